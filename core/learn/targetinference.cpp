#include "learn/targetinference.h"

#include <cmath>
#include <set>

namespace plumb {

namespace {

// Names that say a column is what is predicted, lower case.
const QStringList &labelNames()
{
    static const QStringList names{QStringLiteral("target"), QStringLiteral("label"), QStringLiteral("class"),
                                   QStringLiteral("y"), QStringLiteral("outcome")};
    return names;
}

bool canBeTarget(const Column &column)
{
    return column.role() != ColumnRole::Id && column.role() != ColumnRole::Timestamp && column.role() != ColumnRole::Ignored;
}

TaskChoice inferNumeric(const Column &target)
{
    std::set<double> distinct;
    std::size_t labelled = 0;
    for (double value : target.numbers()) {
        if (std::isnan(value))
            continue;
        ++labelled;
        // type_of_target's test: any value that differs from its integer part makes the target continuous.
        if (!std::isfinite(value) || value != std::floor(value))
            return {Task::Regression, QStringLiteral("target '%1' holds numbers that are not whole").arg(target.name()), true};
        distinct.insert(value);
    }
    const std::size_t count = distinct.size();
    if (count == 0)
        return {Task::Regression, QStringLiteral("target '%1' holds no values").arg(target.name()), true};
    if (count <= 2 || (count <= kMostInferredClasses && 2 * count <= labelled))
        return {Task::Classification, QStringLiteral("target '%1' holds %2 integer values").arg(target.name()).arg(count), true};
    return {Task::Regression,
            QStringLiteral("target '%1' holds %2 distinct integers in %3 rows, more than %4 or half the rows, so not classes")
                .arg(target.name())
                .arg(count)
                .arg(labelled)
                .arg(kMostInferredClasses),
            true};
}

} // namespace

TaskChoice inferTask(const Column &target)
{
    switch (target.type()) {
    case ColumnType::Categorical:
        return {Task::Classification, QStringLiteral("target '%1' holds text").arg(target.name()), true};
    case ColumnType::Boolean:
        return {Task::Classification, QStringLiteral("target '%1' holds true/false values").arg(target.name()), true};
    case ColumnType::Datetime:
        return {Task::Classification, QStringLiteral("target '%1' holds dates, which are read as classes").arg(target.name()),
                true};
    case ColumnType::Float:
    case ColumnType::Integer:
        break;
    }
    return inferNumeric(target);
}

QStringList modelKindsFor(Task task)
{
    QStringList kinds;
    for (const QString &kind : modelKinds()) {
        const std::optional<Task> only = onlyTaskOf(kind);
        if (!only || *only == task)
            kinds.append(kind);
    }
    return kinds;
}

QString taskName(Task task)
{
    return task == Task::Classification ? QStringLiteral("classification") : QStringLiteral("regression");
}

TargetChoice defaultTarget(const Dataset &data)
{
    for (const Column &column : data.columns())
        if (column.role() == ColumnRole::Target)
            return {column.name(), QStringLiteral("its role is target")};
    for (const QString &label : labelNames())
        for (const Column &column : data.columns())
            if (canBeTarget(column) && column.name().compare(label, Qt::CaseInsensitive) == 0)
                return {column.name(), QStringLiteral("named like a label")};
    for (auto column = data.columns().rbegin(); column != data.columns().rend(); ++column)
        if (canBeTarget(*column))
            return {column->name(),
                    column == data.columns().rbegin()
                        ? QStringLiteral("the last column")
                        : QStringLiteral("the last column that is not an id, timestamp or ignored")};
    return {QString(), QStringLiteral("every column is an id, timestamp or ignored")};
}

} // namespace plumb
