#include "benchcommon.h"

#include "base/hugepages.h"
#include "data/csvreader.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace plumb::bench {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double processCpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return double(now.tv_sec) + 1e-9 * double(now.tv_nsec);
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double quantile(std::vector<double> values, double q)
{
    std::sort(values.begin(), values.end());
    const auto rank = std::size_t(std::ceil(q * double(values.size())));
    return values[std::min(values.size() - 1, rank > 0 ? rank - 1 : 0)];
}

QJsonArray toJson(const std::vector<double> &values)
{
    QJsonArray array;
    for (const double value : values)
        array.append(value);
    return array;
}

QJsonArray toJson(const Eigen::VectorXd &values)
{
    return toJson(std::vector<double>(values.data(), values.data() + values.size()));
}

void fail(const QString &message)
{
    const QString program = QFileInfo(QCoreApplication::applicationFilePath()).fileName();
    std::fprintf(stderr, "%s: %s\n", qPrintable(program), qPrintable(message));
    std::exit(1);
}

void print(const QJsonObject &report)
{
    std::printf("%s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
}

QString option(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype at = args.indexOf(name);
    return at > 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
}

int intOption(const QStringList &args, const QString &name, int fallback)
{
    return std::max(1, option(args, name, QString::number(fallback)).toInt());
}

Dataset load(const QString &path, double &seconds)
{
    const auto start = Clock::now();
    Result<Dataset> data = CsvReader::readFile(path);
    seconds = secondsSince(start);
    if (!data)
        fail(data.error().message);
    return std::move(data).value();
}

QStringList featuresOf(const Dataset &data)
{
    QStringList features;
    for (const Column &column : data.columns())
        if (column.name() != kTarget)
            features.append(column.name());
    if (!data.indexOf(kTarget))
        fail(QStringLiteral("the data has no column '%1'").arg(kTarget));
    return features;
}

void toMatrix(const Dataset &data, const QStringList &features, Eigen::MatrixXd &X, Eigen::VectorXd &y)
{
    const auto n = Eigen::Index(data.rowCount());
    X.resize(n, features.size());
    adviseHugePages(X.data(), std::size_t(X.size()) * sizeof(double)); // as the pipeline's router does for its matrix
    for (qsizetype c = 0; c < features.size(); ++c)
        std::memcpy(X.col(c).data(), data.column(*data.indexOf(features[c])).numbers().data(), sizeof(double) * std::size_t(n));
    y = Eigen::Map<const Eigen::VectorXd>(data.column(*data.indexOf(kTarget)).numbers().data(), n);
}

void loadMatrix(const QString &path, Eigen::MatrixXd &X, Eigen::VectorXd &y)
{
    double seconds = 0;
    const Dataset data = load(path, seconds);
    toMatrix(data, featuresOf(data), X, y);
}

FitTarget binaryTarget(const Eigen::VectorXd &y)
{
    FitTarget target;
    target.classCount = 2;
    target.classes.resize(std::size_t(y.size()));
    for (Eigen::Index i = 0; i < y.size(); ++i)
        target.classes[std::size_t(i)] = y[i] == 1.0 ? 1 : 0;
    return target;
}

Eigen::Index rowPathAgreements(const Model &model, const Eigen::MatrixXd &X, const Eigen::MatrixXd &batch, Eigen::Index count)
{
    Eigen::Index same = 0;
    Eigen::VectorXd x(X.cols()), out(model.rowOutputs()), expected(model.rowOutputs());
    for (Eigen::Index i = 0; i < std::min(count, X.rows()); ++i) {
        x = X.row(i).transpose();
        expected = batch.row(i).transpose();
        model.predictRow(x.data(), out.data());
        same += std::memcmp(out.data(), expected.data(), sizeof(double) * std::size_t(out.size())) == 0 ? 1 : 0;
    }
    return same;
}

} // namespace plumb::bench
