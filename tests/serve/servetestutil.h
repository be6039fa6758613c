#pragma once

// Small fitted pipelines and tables for the serve tests, and the general path of reading a request
// body that faster readers are checked against.

#include "data/csvreader.h"
#include "learn/pipeline.h"
#include "serve/featurebatch.h"
#include "serve/jsonrow.h"
#include "serve/rowvalidator.h"

#include <QByteArray>

#include <cstring>
#include <optional>
#include <string_view>

namespace plumb::test {

// A table of x1, x2 (floats, x2 sometimes missing), colour (red/green/blue) and two targets:
// y = 2 x1 - x2 + 3 [colour = red] + noise, and big = yes when x1 + x2 > 10. Built by formula, so
// every value is known: row i has x1 = (i % 17) * 0.75 and x2 = (i % 11) * 1.25.
inline QByteArray trainingTable(int rows)
{
    QByteArray csv = "x1,x2,colour,y,big\n";
    static const char *colours[] = {"red", "green", "blue"};
    for (int i = 0; i < rows; ++i) {
        const double x1 = (i % 17) * 0.75, x2 = (i % 11) * 1.25;
        const bool red = i % 3 == 0;
        csv += QByteArray::number(x1) + ',' + (i % 13 == 7 ? QByteArray("NA") : QByteArray::number(x2)) + ',' + colours[i % 3]
            + ',' + QByteArray::number(2 * x1 - x2 + (red ? 3 : 0) + (i % 7) * 0.01) + ',' + (x1 + x2 > 10 ? "yes" : "no") + '\n';
    }
    return csv;
}

// A fitted pipeline of `kind` (ridge or logistic_regression) on x1, x2 and colour.
inline Pipeline fittedPipeline(const QString &kind)
{
    const Dataset data = CsvReader::readBytes(trainingTable(300), QStringLiteral("training.csv")).value();
    const QStringList features{QStringLiteral("x1"), QStringLiteral("x2"), QStringLiteral("colour")};
    Pipeline pipeline = Pipeline::withDefaults(data, features, createModel(kind)).value();
    const QString target = kind == QLatin1String("ridge") ? QStringLiteral("y") : QStringLiteral("big");
    pipeline.fit(data, target, {});
    return pipeline;
}

// A fitted ridge on x1 and colour without a numeric imputer: x1 cannot be missing (colour, a
// category, always can: a missing category encodes as all zeros).
inline Pipeline strictPipeline()
{
    const Dataset data = CsvReader::readBytes(trainingTable(300), QStringLiteral("training.csv")).value();
    PreprocessingChoices choices;
    choices.numericImputer = QStringLiteral("none");
    Pipeline pipeline = Pipeline::withDefaults(data, {QStringLiteral("x1"), QStringLiteral("colour")},
                                               createModel(QStringLiteral("ridge")), choices)
                            .value();
    pipeline.fit(data, QStringLiteral("y"), {});
    return pipeline;
}

// The general path: the dataset, or an empty optional when it refuses the body.
inline std::optional<Dataset> generalRead(const RowValidator &validator, std::string_view body, std::size_t maxRows)
{
    std::vector<JsonRow> rows;
    if (readJsonRows(body, rows, maxRows) || rows.empty())
        return std::nullopt;
    FeatureBatch batch(validator.features());
    std::vector<FeatureValue> values;
    for (const JsonRow &row : rows) {
        if (validator.readJsonRow(row, values))
            return std::nullopt;
        batch.append(values);
    }
    return batch.takeDataset();
}

// Bit for bit: numbers compared as bytes (NaN and -0 included), codes and categories as they are.
inline bool sameData(const Dataset &a, const Dataset &b)
{
    if (a.columnCount() != b.columnCount() || a.rowCount() != b.rowCount())
        return false;
    for (std::size_t c = 0; c < a.columnCount(); ++c) {
        const Column &x = a.column(c), &y = b.column(c);
        if (x.name() != y.name() || x.type() != y.type() || x.codes() != y.codes() || x.categories() != y.categories()
            || x.numbers().size() != y.numbers().size())
            return false;
        if (!x.numbers().empty() && std::memcmp(x.numbers().data(), y.numbers().data(), x.numbers().size() * sizeof(double)) != 0)
            return false;
    }
    return true;
}

} // namespace plumb::test
