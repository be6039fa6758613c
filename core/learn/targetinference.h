#pragma once

#include "data/dataset.h"
#include "learn/model.h"

namespace plumb {

// The task a training run does and why, in words a person reads: the CLI prints it after "task:",
// the Train view shows it under the task, and the model's metadata keeps it.
struct TaskChoice
{
    Task task = Task::Regression;
    // "target 'carb' holds 6 integer values"; "chosen with --task"; "linear_regression does regression only".
    QString reason;
    // True when the task was read from the target's values, so a caller may offer to override it.
    bool inferred = false;
};

// The most distinct integer values an integer-valued target may hold to be read as classes.
inline constexpr std::size_t kMostInferredClasses = 20;

// The task a target column asks for, read from its values as scikit-learn's type_of_target reads
// them (utils/multiclass.py): text, booleans and dates are classes; numbers that are not all whole
// are continuous, so regression. type_of_target calls any whole-number target "multiclass", which
// makes a count or a price in whole units a 200-class problem; here an integer-valued target is
// read as classes only when it holds at most two values, or at most kMostInferredClasses values
// and no more than half as many values as labelled rows (two rows per class on average). So
// iris-style 0/1/2 (3 values, 150 rows) and mtcars 'carb' (6 values, 32 rows) classify, while
// scikit-learn's diabetes target (214 values, 442 rows) and R's airquality 'Ozone' (67 values,
// 116 rows) regress. Missing values are not counted.
TaskChoice inferTask(const Column &target);

// The model kinds that do `task`, in modelKinds() order.
QStringList modelKindsFor(Task task);

// "classification" / "regression".
QString taskName(Task task);

// A column chosen to predict when none is named, and why ("its role is target").
struct TargetChoice
{
    QString column; // empty: no column qualifies
    QString reason;
};

// The column a run predicts when none is named: the column whose role is Target (a workspace names
// one), else the first column named like a label (target, label, class, y, outcome; any case),
// else the last column. Never a column whose role is Id, Timestamp or Ignored.
TargetChoice defaultTarget(const Dataset &data);

} // namespace plumb
