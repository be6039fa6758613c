#pragma once

// The 100,000 rows of make_xgboost_fixtures.py's spread() and XGBoost's margins for them
// (NAME.spread.margins.f32.z), shared by tst_xgboostimporter and tst_onnxexport.

#include "data/dataset.h"
#include "learn/pipeline.h"

#include <QByteArray>
#include <QFile>
#include <QSet>
#include <QStringList>

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace plumb::xgboostspread {

constexpr Eigen::Index kRows = 100000;

// spread() of make_xgboost_fixtures.py: 100,000 rows from `source` by integer arithmetic and one
// double multiplication each, which Python and C++ both do in IEEE double, so the rows are the
// same bits XGBoost scored. A categorical column (its index in `categorical`) takes the source's
// code, or r % 61 when k is +-20.
inline Eigen::MatrixXd spread(const Eigen::MatrixXd &source, const QSet<Eigen::Index> &categorical = {},
                              Eigen::Index rows = kRows)
{
    const std::int64_t n = source.rows();
    Eigen::MatrixXd out(rows, source.cols());
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t f = 0; f < source.cols(); ++f) {
            const std::int64_t k = (r * 2654435761LL + f * 40503) % 41 - 20;
            const double value = source((r * 7919 + f * 104729) % n, f);
            if ((r * 31 + f * 17) % 11 == 0)
                out(r, f) = std::nan("");
            else if (categorical.contains(Eigen::Index(f)))
                out(r, f) = std::abs(k) == 20 ? double(r % 61) : value;
            else
                out(r, f) = value * (1.0 + double(k) / 1e4);
        }
    return out;
}

// The float32 values of a compressed golden file (NAME.spread.margins.f32.z: XGBoost's margins for
// the spread rows; NAME.contribs.f32.z: its contributions): the byte count big-endian, then zlib,
// as qUncompress reads it, of little-endian float32 values. Empty when the file is missing or
// damaged.
inline std::vector<float> readFloats(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = qUncompress(file.readAll());
    std::vector<float> out(std::size_t(bytes.size()) / 4);
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::uint32_t bits = 0;
        for (int b = 3; b >= 0; --b)
            bits = (bits << 8) | std::uint8_t(bytes[qsizetype(i * 4 + std::size_t(b))]);
        std::memcpy(&out[i], &bits, sizeof(float));
    }
    return out;
}

// The positions of the pipeline's features that a categorical branch reads (an imported model's
// categorical features), and every feature's name into `names`.
inline QSet<Eigen::Index> categoricalColumns(const Pipeline &pipeline, QStringList &names)
{
    QSet<Eigen::Index> categorical;
    for (const FeatureSpec &feature : pipeline.features()) {
        for (const RouterBranch &branch : pipeline.router().branches())
            if (branch.categorical && branch.columns.contains(feature.name))
                categorical.insert(names.size());
        names.append(feature.name);
    }
    return categorical;
}

// The rows as a dataset of Float columns named `names` (NaN missing): category codes as whole
// numbers, as a CSV of codes reads.
inline Dataset dataset(const Eigen::MatrixXd &rows, const QStringList &names)
{
    Dataset data;
    for (Eigen::Index f = 0; f < rows.cols(); ++f) {
        Column column(names[f], ColumnType::Float);
        column.numbers().assign(rows.col(f).data(), rows.col(f).data() + rows.rows());
        data.addColumn(std::move(column));
    }
    return data;
}

} // namespace plumb::xgboostspread
