#include "learn/encoders.h"

#include <QHash>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace plumb {

namespace {

const QString kMaxCategories = QStringLiteral("max_categories");
constexpr std::int32_t kInfrequent = -3;

std::optional<Error> requireCategorical(const QString &kind, const Block &block)
{
    if (!block.isCategorical())
        return Error::invalid(QStringLiteral("%1: '%2' holds numbers; it encodes categories").arg(kind, block.names.value(0)));
    return std::nullopt;
}

// Maps a block column's codes (into its own vocabulary) to positions in `categories`;
// categories absent from `categories` map to `absent`.
std::vector<std::int32_t> codeMap(const QStringList &vocabulary, const QStringList &categories, std::int32_t absent)
{
    QHash<QString, std::int32_t> position;
    for (qsizetype i = 0; i < categories.size(); ++i)
        position.insert(categories[i], std::int32_t(i));
    std::vector<std::int32_t> map(std::size_t(vocabulary.size()));
    for (qsizetype i = 0; i < vocabulary.size(); ++i)
        map[std::size_t(i)] = position.value(vocabulary[i], absent);
    return map;
}

// The categories present in the column, sorted, with their counts.
QStringList presentCategories(const Block &block, std::size_t column, std::vector<std::size_t> &counts)
{
    std::vector<std::size_t> all(std::size_t(block.vocabularies[column].size()), 0);
    for (std::int32_t code : block.codes[column])
        if (code >= 0)
            ++all[std::size_t(code)];
    QStringList present;
    counts.clear();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i] > 0) {
            present.append(block.vocabularies[column][qsizetype(i)]);
            counts.push_back(all[i]);
        }
    return present;
}

// Indices of the `keep` largest counts (ties: the lower index), ascending.
std::vector<std::size_t> mostFrequent(const std::vector<std::size_t> &counts, std::size_t keep)
{
    std::vector<std::size_t> order(counts.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
    order.resize(std::min(keep, order.size()));
    std::sort(order.begin(), order.end());
    return order;
}

// Where a one-hot encoder puts one value, as an offset into its column's outputs: the category's
// own column, the infrequent column (`categories` on), or nowhere (-1), counting an unknown value.
// `code` is the value's code in the block, `mapped` its position among the encoder's categories
// (kInfrequent for a rare one, kUnknownCode for one without a column).
Eigen::Index oneHotColumn(std::int32_t code, std::int32_t mapped, bool hasInfrequent, qsizetype categories, TransformNotes &notes)
{
    if (mapped >= 0)
        return mapped;
    if (mapped == kInfrequent || (code == kUnknownCode && hasInfrequent))
        return categories;
    if (code != kMissingCode)
        ++notes.unknownCategories;
    return -1;
}

// An ordinal encoder's output for a value whose code is `mapped`: the code, NaN for a missing
// value, -1 for an unknown one (counted).
double ordinalValue(std::int32_t mapped, TransformNotes &notes)
{
    if (mapped == kUnknownCode)
        ++notes.unknownCategories;
    return mapped >= 0 ? double(mapped) : (mapped == kMissingCode ? std::nan("") : -1.0);
}

std::optional<QStringList> textList(const QJsonArray &array)
{
    QStringList names;
    for (const QJsonValue &name : array) {
        if (!name.isString())
            return std::nullopt;
        names.append(name.toString());
    }
    return names;
}

std::optional<Error> readCategories(const ComponentState &state, const QString &kind, Eigen::Index inputColumns,
                                    std::vector<QStringList> &categories)
{
    const QJsonArray columns = state.values.value(QStringLiteral("categories")).toArray();
    if (columns.size() != inputColumns)
        return Error::invalid(
            QStringLiteral("%1: 'categories' lists %2 columns, expected %3").arg(kind).arg(columns.size()).arg(inputColumns));
    categories.clear();
    for (const QJsonValue &column : columns) {
        QStringList names;
        for (const QJsonValue &name : column.toArray()) {
            if (!name.isString())
                return Error::invalid(QStringLiteral("%1: a category name is not text").arg(kind));
            names.append(name.toString());
        }
        if (names.size() != QSet<QString>(names.begin(), names.end()).size())
            return Error::invalid(QStringLiteral("%1: a column lists a category twice").arg(kind));
        categories.push_back(names);
    }
    return std::nullopt;
}

QJsonArray categoriesJson(const std::vector<QStringList> &categories)
{
    QJsonArray columns;
    for (const QStringList &names : categories)
        columns.append(QJsonArray::fromStringList(names));
    return columns;
}

} // namespace

OneHotEncoder::OneHotEncoder()
    : Transformer(ParamValues({integerParam(kMaxCategories, 0, 0, 1e6,
                                            QStringLiteral("Most output columns per input column (0: no limit); "
                                                           "rarer categories share one 'infrequent' column."))}))
{
}

Result<Block> OneHotEncoder::fitTransform(const Block &block)
{
    mFitted = false;
    if (auto error = requireCategorical(kind(), block))
        return *error;
    const auto cap = std::size_t(mParams.integer(kMaxCategories));
    mCategories.clear();
    mHasInfrequent.clear();
    for (std::size_t c = 0; c < block.codes.size(); ++c) {
        std::vector<std::size_t> counts;
        QStringList present = presentCategories(block, c, counts);
        const bool capped = cap > 0 && std::size_t(present.size()) > cap;
        if (capped) {
            // Keep the cap - 1 most frequent (ties: sorted order), in sorted order.
            QStringList kept;
            for (std::size_t index : mostFrequent(counts, cap - 1))
                kept.append(present[qsizetype(index)]);
            present = kept;
        }
        mCategories.push_back(present);
        mHasInfrequent.push_back(capped);
    }
    indexCategories();
    mFitted = true;
    TransformNotes notes;
    return transform(block, notes);
}

Block OneHotEncoder::transform(const Block &block, TransformNotes &notes) const
{
    Block out;
    out.numbers = Eigen::MatrixXd::Zero(block.rows(), outputColumns(block.columns()));
    Eigen::Index offset = 0;
    for (std::size_t c = 0; c < mCategories.size(); ++c) {
        const QString &input = block.names[qsizetype(c)];
        for (const QString &category : mCategories[c])
            out.names.append(input + QLatin1Char('_') + category);
        if (mHasInfrequent[c])
            out.names.append(input + QStringLiteral("_infrequent"));
        const std::vector<std::int32_t> map = codeMap(block.vocabularies[c], mCategories[c],
                                                      mHasInfrequent[c] ? kInfrequent : kUnknownCode);
        for (Eigen::Index row = 0; row < block.rows(); ++row) {
            const std::int32_t code = block.codes[c][std::size_t(row)];
            const std::int32_t mapped = code >= 0 ? map[std::size_t(code)] : kUnknownCode;
            const Eigen::Index column = oneHotColumn(code, mapped, mHasInfrequent[c], mCategories[c].size(), notes);
            if (column >= 0)
                out.numbers(row, offset + column) = 1.0;
        }
        offset += mCategories[c].size() + (mHasInfrequent[c] ? 1 : 0);
    }
    return out;
}

void OneHotEncoder::transformRow(RowBlock &row, TransformNotes &notes) const
{
    row.numbers.assign(std::size_t(outputColumns(0)), 0.0);
    std::size_t offset = 0;
    for (std::size_t c = 0; c < mCategories.size(); ++c) {
        const std::int32_t code = row.codes[c];
        const std::int32_t absent = mHasInfrequent[c] ? kInfrequent : kUnknownCode;
        const std::int32_t mapped = code >= 0 ? mColumnOf[c].value(row.texts[c], absent) : kUnknownCode;
        const Eigen::Index column = oneHotColumn(code, mapped, mHasInfrequent[c], mCategories[c].size(), notes);
        if (column >= 0)
            row.numbers[offset + std::size_t(column)] = 1.0;
        offset += std::size_t(mCategories[c].size()) + (mHasInfrequent[c] ? 1 : 0);
    }
    row.categorical = false;
}

void OneHotEncoder::indexCategories()
{
    mColumnOf.assign(mCategories.size(), {});
    for (std::size_t c = 0; c < mCategories.size(); ++c)
        for (qsizetype i = 0; i < mCategories[c].size(); ++i)
            mColumnOf[c].insert(mCategories[c][i], std::int32_t(i));
}

Eigen::Index OneHotEncoder::outputColumns(Eigen::Index) const
{
    Eigen::Index width = 0;
    for (std::size_t c = 0; c < mCategories.size(); ++c)
        width += mCategories[c].size() + (mHasInfrequent[c] ? 1 : 0);
    return width;
}

ComponentState OneHotEncoder::state() const
{
    ComponentState state;
    state.values.insert(QStringLiteral("categories"), categoriesJson(mCategories));
    QJsonArray infrequent;
    for (bool has : mHasInfrequent)
        infrequent.append(has);
    state.values.insert(QStringLiteral("infrequent"), infrequent);
    return state;
}

std::optional<Error> OneHotEncoder::restore(const ComponentState &state, Eigen::Index inputColumns)
{
    mFitted = false;
    if (auto error = readCategories(state, kind(), inputColumns, mCategories))
        return error;
    const QJsonArray infrequent = state.values.value(QStringLiteral("infrequent")).toArray();
    if (infrequent.size() != inputColumns)
        return Error::invalid(QStringLiteral("one_hot_encoder: 'infrequent' lists %1 columns, expected %2")
                                  .arg(infrequent.size())
                                  .arg(inputColumns));
    mHasInfrequent.clear();
    for (const QJsonValue &value : infrequent) {
        if (!value.isBool())
            return Error::invalid(QStringLiteral("one_hot_encoder: 'infrequent' holds a value that is not true or false"));
        mHasInfrequent.push_back(value.toBool());
    }
    indexCategories();
    mFitted = true;
    return std::nullopt;
}

std::unique_ptr<Transformer> OneHotEncoder::cloneUnfitted() const
{
    auto clone = std::make_unique<OneHotEncoder>();
    clone->setParams(mParams);
    return clone;
}

OrdinalEncoder::OrdinalEncoder() : Transformer(ParamValues(std::vector<ParamSpec>{}))
{
}

Result<Block> OrdinalEncoder::fitTransform(const Block &block)
{
    mFitted = false;
    if (auto error = requireCategorical(kind(), block))
        return *error;
    mCategories.clear();
    mInfrequent.clear();
    const auto cap = std::size_t(std::max(mMostCategories, 0));
    for (std::size_t c = 0; c < block.codes.size(); ++c) {
        std::vector<std::size_t> counts;
        const QStringList present = presentCategories(block, c, counts);
        if (cap == 0 || std::size_t(present.size()) <= cap) {
            mCategories.push_back(present);
            mInfrequent.emplace_back();
            continue;
        }
        const std::vector<std::size_t> kept = mostFrequent(counts, cap - 1);
        QStringList categories, infrequent;
        for (std::size_t i = 0, k = 0; i < std::size_t(present.size()); ++i) {
            const bool keep = k < kept.size() && kept[k] == i;
            (keep ? categories : infrequent).append(present[qsizetype(i)]);
            k += keep ? 1 : 0;
        }
        mCategories.push_back(categories);
        mInfrequent.push_back(infrequent);
    }
    indexCategories();
    mFitted = true;
    TransformNotes notes;
    return transform(block, notes);
}

Block OrdinalEncoder::transform(const Block &block, TransformNotes &notes) const
{
    Block out;
    out.names = block.names;
    out.numbers.resize(block.rows(), Eigen::Index(mCategories.size()));
    for (std::size_t c = 0; c < mCategories.size(); ++c) {
        std::vector<std::int32_t> map = codeMap(block.vocabularies[c], mCategories[c], kUnknownCode);
        if (!mInfrequent[c].isEmpty()) {
            const std::vector<std::int32_t> rare = codeMap(block.vocabularies[c], mInfrequent[c], kUnknownCode);
            for (std::size_t i = 0; i < map.size(); ++i)
                if (rare[i] >= 0)
                    map[i] = std::int32_t(mCategories[c].size());
        }
        for (Eigen::Index row = 0; row < block.rows(); ++row) {
            const std::int32_t code = block.codes[c][std::size_t(row)];
            out.numbers(row, Eigen::Index(c)) = ordinalValue(code >= 0 ? map[std::size_t(code)] : code, notes);
        }
    }
    return out;
}

void OrdinalEncoder::transformRow(RowBlock &row, TransformNotes &notes) const
{
    row.numbers.resize(mCategories.size());
    for (std::size_t c = 0; c < mCategories.size(); ++c) {
        const std::int32_t code = row.codes[c];
        row.numbers[c] = ordinalValue(code >= 0 ? mCodeOf[c].value(row.texts[c], kUnknownCode) : code, notes);
    }
    row.categorical = false;
}

void OrdinalEncoder::indexCategories()
{
    // The codes transform() gives: a category's index, the shared code after them for a rarer one.
    mCodeOf.assign(mCategories.size(), {});
    for (std::size_t c = 0; c < mCategories.size(); ++c) {
        for (qsizetype i = 0; i < mCategories[c].size(); ++i)
            mCodeOf[c].insert(mCategories[c][i], std::int32_t(i));
        for (const QString &rare : mInfrequent[c])
            mCodeOf[c].insert(rare, std::int32_t(mCategories[c].size()));
    }
}

// State: "categories" lists each column's categories in code order; a column that groups rarer
// categories ends its list with the list of them (one code). Readers from before the grouping
// refuse such a list ("a category name is not text") rather than misread it.
ComponentState OrdinalEncoder::state() const
{
    QJsonArray columns;
    for (std::size_t c = 0; c < mCategories.size(); ++c) {
        QJsonArray names = QJsonArray::fromStringList(mCategories[c]);
        if (!mInfrequent[c].isEmpty())
            names.append(QJsonArray::fromStringList(mInfrequent[c]));
        columns.append(names);
    }
    ComponentState state;
    state.values.insert(QStringLiteral("categories"), columns);
    return state;
}

std::optional<Error> OrdinalEncoder::restore(const ComponentState &state, Eigen::Index inputColumns)
{
    mFitted = false;
    const QJsonArray columns = state.values.value(QStringLiteral("categories")).toArray();
    if (columns.size() != inputColumns)
        return Error::invalid(
            QStringLiteral("%1: 'categories' lists %2 columns, expected %3").arg(kind()).arg(columns.size()).arg(inputColumns));
    mCategories.clear();
    mInfrequent.clear();
    for (const QJsonValue &column : columns) {
        QJsonArray names = column.toArray();
        QStringList infrequent;
        if (!names.isEmpty() && names.last().isArray()) {
            const std::optional<QStringList> grouped = textList(names.last().toArray());
            if (!grouped || grouped->isEmpty())
                return Error::invalid(QStringLiteral("%1: a column's infrequent categories are not a list of text").arg(kind()));
            infrequent = *grouped;
            names.removeLast();
        }
        const std::optional<QStringList> categories = textList(names);
        if (!categories)
            return Error::invalid(QStringLiteral("%1: a category name is not text").arg(kind()));
        const QStringList all = *categories + infrequent;
        if (QSet<QString>(all.begin(), all.end()).size() != all.size())
            return Error::invalid(QStringLiteral("%1: a column lists a category twice").arg(kind()));
        mCategories.push_back(*categories);
        mInfrequent.push_back(infrequent);
    }
    indexCategories();
    mFitted = true;
    return std::nullopt;
}

std::unique_ptr<Transformer> OrdinalEncoder::cloneUnfitted() const
{
    auto clone = std::make_unique<OrdinalEncoder>();
    clone->setMostCategories(mMostCategories);
    return clone;
}

} // namespace plumb
