#pragma once

// What every Plumb-side benchmark program shares: timing, statistics, its one-line JSON report,
// command-line options, loading a numeric CSV with a target column "y", and checking a model's
// one-row path against its batch.

#include "data/dataset.h"
#include "learn/model.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

#include <Eigen/Core>

#include <chrono>
#include <vector>

namespace plumb::bench {

using Clock = std::chrono::steady_clock;

inline const QString kTarget = QStringLiteral("y");

double secondsSince(Clock::time_point start);
// CPU seconds used by the process so far (all threads): on a shared machine, work that waited for
// a core shows as less CPU time than wall-clock time.
double processCpuSeconds();
double median(std::vector<double> values);
// The q-quantile by the nearest-rank method (q = 0.99: the smallest value at or above 99% of them).
double quantile(std::vector<double> values, double q);

QJsonArray toJson(const std::vector<double> &values);
QJsonArray toJson(const Eigen::VectorXd &values);

// Prints "PROGRAM: message" to stderr and exits with status 1. The program name is argv[0]'s.
[[noreturn]] void fail(const QString &message);
// The report as one compact JSON line on stdout.
void print(const QJsonObject &report);

// The value after `name` on the command line, or `fallback`.
QString option(const QStringList &args, const QString &name, const QString &fallback);
// A whole-number option, at least 1.
int intOption(const QStringList &args, const QString &name, int fallback);

// Reads a CSV file, failing the program on error; `seconds` receives the read time.
Dataset load(const QString &path, double &seconds);
// Every column but the target "y" (which must exist).
QStringList featuresOf(const Dataset &data);
// The features as one n x p matrix and the target as a vector, copied straight from the columns.
void toMatrix(const Dataset &data, const QStringList &features, Eigen::MatrixXd &X, Eigen::VectorXd &y);
// load, featuresOf and toMatrix in one: the file's matrix and target, without keeping the table.
void loadMatrix(const QString &path, Eigen::MatrixXd &X, Eigen::VectorXd &y);
// A binary target as class indices: 1 where y is 1, else 0; classCount 2.
FitTarget binaryTarget(const Eigen::VectorXd &y);

// How many of the first `count` rows of X predictRow answers with the same doubles, bit for bit, as
// the same rows of `batch` (predictProba's or predict's outputs, one row per row of X).
Eigen::Index rowPathAgreements(const Model &model, const Eigen::MatrixXd &X, const Eigen::MatrixXd &batch, Eigen::Index count);

} // namespace plumb::bench
