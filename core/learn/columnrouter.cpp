#include "learn/columnrouter.h"

#include "base/hugepages.h"
#include "learn/encoders.h"
#include "learn/imputer.h"
#include "learn/scalers.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <set>

namespace plumb {

namespace {

std::size_t rowAt(const std::vector<std::size_t> &rows, Eigen::Index i)
{
    return rows.empty() ? std::size_t(i) : rows[std::size_t(i)];
}

Eigen::Index rowCount(const Dataset &data, const std::vector<std::size_t> &rows)
{
    return rows.empty() ? Eigen::Index(data.rowCount()) : Eigen::Index(rows.size());
}

// The category text of every distinct value of a column, indexed like the column's own codes:
// categories as stored; numbers (booleans included) by their display text.
struct ColumnTexts
{
    std::vector<std::int32_t> codes; // per requested row: index into texts, or kMissingCode
    QStringList texts;
};

ColumnTexts columnTexts(const Column &column, const std::vector<std::size_t> &rows, Eigen::Index count)
{
    ColumnTexts result;
    result.codes.resize(std::size_t(count));
    if (column.type() == ColumnType::Categorical) {
        result.texts = column.categories();
        for (Eigen::Index i = 0; i < count; ++i)
            result.codes[std::size_t(i)] = column.codes()[rowAt(rows, i)];
        return result;
    }
    QHash<double, std::int32_t> seen;
    for (Eigen::Index i = 0; i < count; ++i) {
        const std::size_t row = rowAt(rows, i);
        const double value = column.numbers()[row];
        if (std::isnan(value)) {
            result.codes[std::size_t(i)] = kMissingCode;
            continue;
        }
        auto found = seen.constFind(value);
        if (found == seen.constEnd()) {
            found = seen.insert(value, std::int32_t(result.texts.size()));
            result.texts.append(column.displayText(row));
        }
        result.codes[std::size_t(i)] = *found;
    }
    return result;
}

QStringList sortedPresent(const ColumnTexts &texts)
{
    std::set<QString> present;
    for (std::int32_t code : texts.codes)
        if (code >= 0)
            present.insert(texts.texts[code]);
    return QStringList(present.begin(), present.end());
}

} // namespace

ColumnRouter ColumnRouter::withDefaults(const std::vector<std::pair<QString, ColumnType>> &columns, InputNeeds needs)
{
    RouterBranch numeric{QStringLiteral("numeric"), {}, false, {}, {}};
    RouterBranch categorical{QStringLiteral("categorical"), {}, true, {}, {}};
    for (const auto &[name, type] : columns)
        (type == ColumnType::Categorical || type == ColumnType::Boolean ? categorical : numeric).columns.append(name);
    ColumnRouter router;
    if (!numeric.columns.isEmpty()) {
        if (!needs.missingAllowed) {
            auto imputer = std::make_unique<SimpleImputer>();
            imputer->setParam(QStringLiteral("strategy"), QStringLiteral("median"));
            numeric.steps.push_back(std::move(imputer));
        }
        if (needs.scaled)
            numeric.steps.push_back(std::make_unique<StandardScaler>());
        router.addBranch(std::move(numeric));
    }
    if (!categorical.columns.isEmpty()) {
        if (!needs.missingAllowed) {
            auto imputer = std::make_unique<SimpleImputer>();
            imputer->setParam(QStringLiteral("strategy"), QStringLiteral("most_frequent"));
            categorical.steps.push_back(std::move(imputer));
        }
        if (needs.categoryCodes)
            categorical.steps.push_back(std::make_unique<OrdinalEncoder>());
        else
            categorical.steps.push_back(std::make_unique<OneHotEncoder>());
        router.addBranch(std::move(categorical));
    }
    return router;
}

bool PreprocessingChoices::isDefault() const
{
    return numericImputer.isEmpty() && numericScaler.isEmpty() && categoricalImputer.isEmpty() && categoricalEncoder.isEmpty();
}

QStringList PreprocessingChoices::numericImputers()
{
    return {QStringLiteral("median"), QStringLiteral("mean"), QStringLiteral("most_frequent"), QStringLiteral("constant"),
            QStringLiteral("none")};
}

QStringList PreprocessingChoices::numericScalers()
{
    return {QStringLiteral("standard_scaler"), QStringLiteral("min_max_scaler"), QStringLiteral("none")};
}

QStringList PreprocessingChoices::categoricalImputers()
{
    return {QStringLiteral("most_frequent"), QStringLiteral("constant"), QStringLiteral("none")};
}

QStringList PreprocessingChoices::categoricalEncoders()
{
    return {QStringLiteral("one_hot_encoder"), QStringLiteral("ordinal_encoder")};
}

namespace {

std::optional<Error> checkChoice(const char *what, const QString &value, const QStringList &allowed)
{
    if (value.isEmpty() || allowed.contains(value))
        return std::nullopt;
    return Error::invalid(QStringLiteral("preprocessing: %1 '%2' is not one of %3")
                              .arg(QLatin1String(what), value, allowed.join(QLatin1String(", "))));
}

bool isScaler(const Transformer &step)
{
    return step.kind() == QLatin1String("standard_scaler") || step.kind() == QLatin1String("min_max_scaler");
}

// Sets the branch's imputer (the first step, when there is one) to `strategy`, adds one in front,
// or removes it ("none").
void chooseImputer(RouterBranch &branch, const QString &strategy)
{
    auto &steps = branch.steps;
    const bool present = !steps.empty() && steps.front()->kind() == QLatin1String("simple_imputer");
    if (strategy == QLatin1String("none")) {
        if (present)
            steps.erase(steps.begin());
        return;
    }
    if (!present)
        steps.insert(steps.begin(), std::make_unique<SimpleImputer>());
    steps.front()->setParam(QStringLiteral("strategy"), strategy);
}

// Replaces the branch's last step when `matches` says it is the kind being chosen, else appends
// the new one; "none" only removes.
void chooseLastStep(RouterBranch &branch, const QString &kind, bool (*matches)(const Transformer &))
{
    auto &steps = branch.steps;
    if (!steps.empty() && matches(*steps.back()))
        steps.pop_back();
    if (kind != QLatin1String("none"))
        steps.push_back(createTransformer(kind));
}

} // namespace

std::optional<Error> ColumnRouter::applyChoices(const PreprocessingChoices &choices)
{
    if (auto error = checkChoice("numeric imputer", choices.numericImputer, PreprocessingChoices::numericImputers()))
        return error;
    if (auto error = checkChoice("numeric scaler", choices.numericScaler, PreprocessingChoices::numericScalers()))
        return error;
    if (auto error = checkChoice("categorical imputer", choices.categoricalImputer, PreprocessingChoices::categoricalImputers()))
        return error;
    if (auto error = checkChoice("categorical encoder", choices.categoricalEncoder, PreprocessingChoices::categoricalEncoders()))
        return error;
    for (RouterBranch &branch : mBranches) {
        const bool numeric = branch.name == QLatin1String("numeric");
        const QString &imputer = numeric ? choices.numericImputer : choices.categoricalImputer;
        if (!imputer.isEmpty())
            chooseImputer(branch, imputer);
        if (numeric && !choices.numericScaler.isEmpty())
            chooseLastStep(branch, choices.numericScaler, isScaler);
        if (!numeric && !choices.categoricalEncoder.isEmpty())
            chooseLastStep(branch, choices.categoricalEncoder, [](const Transformer &step) { return step.encodesCategories(); });
    }
    return std::nullopt;
}

std::vector<int> ColumnRouter::categoryCodeOutputs() const
{
    std::vector<int> outputs;
    Eigen::Index first = 0;
    for (const RouterBranch &branch : mBranches) {
        Eigen::Index width = branch.columns.size();
        for (const auto &step : branch.steps)
            width = step->outputColumns(width);
        if (!branch.steps.empty() && branch.steps.back()->kind() == QLatin1String("ordinal_encoder"))
            for (Eigen::Index c = 0; c < width; ++c)
                outputs.push_back(int(first + c));
        first += width;
    }
    return outputs;
}

Block ColumnRouter::readBranch(const Dataset &data, const RouterBranch &branch, const std::vector<std::size_t> &rows) const
{
    const Eigen::Index count = rowCount(data, rows);
    Block block;
    block.names = branch.columns;
    if (!branch.categorical) {
        block.numbers.resize(count, branch.columns.size());
        for (qsizetype c = 0; c < branch.columns.size(); ++c) {
            const std::vector<double> &values = data.column(*data.indexOf(branch.columns[c])).numbers();
            if (rows.empty()) {
                std::copy(values.begin(), values.begin() + count, block.numbers.col(c).data());
                continue;
            }
            for (Eigen::Index i = 0; i < count; ++i)
                block.numbers(i, c) = values[rows[std::size_t(i)]];
        }
        return block;
    }
    for (qsizetype c = 0; c < branch.columns.size(); ++c) {
        const ColumnTexts texts = columnTexts(data.column(*data.indexOf(branch.columns[c])), rows, count);
        // Codes follow the fitted vocabulary; values outside it are unknown.
        const QStringList &vocabulary = branch.vocabularies[std::size_t(c)];
        QHash<QString, std::int32_t> position;
        for (qsizetype v = 0; v < vocabulary.size(); ++v)
            position.insert(vocabulary[v], std::int32_t(v));
        std::vector<std::int32_t> map(std::size_t(texts.texts.size()));
        for (qsizetype t = 0; t < texts.texts.size(); ++t)
            map[std::size_t(t)] = position.value(texts.texts[t], kUnknownCode);
        std::vector<std::int32_t> codes(static_cast<std::size_t>(count));
        for (Eigen::Index i = 0; i < count; ++i) {
            const std::int32_t code = texts.codes[std::size_t(i)];
            codes[std::size_t(i)] = code >= 0 ? map[std::size_t(code)] : kMissingCode;
        }
        block.codes.push_back(std::move(codes));
        block.vocabularies.push_back(vocabulary);
    }
    return block;
}

Result<Eigen::MatrixXd> ColumnRouter::fitTransform(const Dataset &data, const std::vector<std::size_t> &rows)
{
    std::vector<Eigen::MatrixXd> outputs;
    mOutputNames.clear();
    for (RouterBranch &branch : mBranches) {
        branch.vocabularies.clear();
        for (const QString &name : branch.columns) {
            const auto index = data.indexOf(name);
            if (!index)
                return Error::invalid(QStringLiteral("branch '%1': the data has no column '%2'").arg(branch.name, name));
            const Column &column = data.column(*index);
            if (!branch.categorical && column.type() == ColumnType::Categorical)
                return Error::invalid(
                    QStringLiteral("branch '%1': column '%2' holds text, but the branch reads numbers").arg(branch.name, name));
            if (branch.categorical)
                branch.vocabularies.push_back(sortedPresent(columnTexts(column, rows, rowCount(data, rows))));
        }
        Block block = readBranch(data, branch, rows);
        for (auto &step : branch.steps) {
            if (block.isCategorical() ? !step->acceptsCategorical() : !step->acceptsNumeric())
                return Error::invalid(QStringLiteral("branch '%1': %2 cannot take %3 here")
                                          .arg(branch.name, step->kind(),
                                               block.isCategorical() ? QStringLiteral("categories") : QStringLiteral("numbers")));
            Result<Block> transformed = step->fitTransform(block);
            if (!transformed)
                return Error::invalid(QStringLiteral("branch '%1': %2").arg(branch.name, transformed.error().message));
            block = std::move(transformed).value();
        }
        if (block.isCategorical())
            return Error::invalid(QStringLiteral("branch '%1' ends with categories; add an encoder").arg(branch.name));
        mOutputNames += block.names;
        outputs.push_back(std::move(block.numbers));
    }
    if (outputs.size() == 1)
        return std::move(outputs.front());
    Eigen::Index width = 0;
    for (const auto &output : outputs)
        width += output.cols();
    Eigen::MatrixXd joined(rowCount(data, rows), width);
    adviseHugePages(joined.data(), std::size_t(joined.size()) * sizeof(double));
    Eigen::Index offset = 0;
    for (const auto &output : outputs) {
        joined.middleCols(offset, output.cols()) = output;
        offset += output.cols();
    }
    return joined;
}

Eigen::MatrixXd ColumnRouter::transform(const Dataset &data, const std::vector<std::size_t> &rows, TransformNotes &notes) const
{
    Eigen::MatrixXd joined(rowCount(data, rows), mOutputNames.size());
    adviseHugePages(joined.data(), std::size_t(joined.size()) * sizeof(double));
    Eigen::Index offset = 0;
    for (const RouterBranch &branch : mBranches) {
        Block block = readBranch(data, branch, rows);
        for (const auto &step : branch.steps)
            block = step->transform(block, notes);
        joined.middleCols(offset, block.numbers.cols()) = block.numbers;
        offset += block.numbers.cols();
    }
    return joined;
}

void ColumnRouter::transformRow(std::vector<RowBlock> &rows, double *out, TransformNotes &notes) const
{
    for (std::size_t b = 0; b < mBranches.size(); ++b) {
        RowBlock &row = rows[b];
        for (const auto &step : mBranches[b].steps)
            step->transformRow(row, notes);
        out = std::copy(row.numbers.begin(), row.numbers.end(), out);
    }
}

bool ColumnRouter::isFitted() const
{
    for (const RouterBranch &branch : mBranches)
        for (const auto &step : branch.steps)
            if (!step->isFitted())
                return false;
    return !mOutputNames.isEmpty();
}

std::optional<Error> ColumnRouter::setRestoredOutputs(const QStringList &names)
{
    Eigen::Index width = 0;
    for (const RouterBranch &branch : mBranches) {
        if (branch.categorical && branch.vocabularies.size() != std::size_t(branch.columns.size()))
            return Error::invalid(QStringLiteral("branch '%1': %2 vocabularies for %3 columns")
                                      .arg(branch.name)
                                      .arg(branch.vocabularies.size())
                                      .arg(branch.columns.size()));
        Eigen::Index columns = branch.columns.size();
        for (const auto &step : branch.steps) {
            if (!step->isFitted())
                return Error::invalid(QStringLiteral("branch '%1': %2 is not fitted").arg(branch.name, step->kind()));
            columns = step->outputColumns(columns);
        }
        width += columns;
    }
    if (width != names.size())
        return Error::invalid(
            QStringLiteral("the preprocessing produces %1 columns, but %2 output names are listed").arg(width).arg(names.size()));
    mOutputNames = names;
    return std::nullopt;
}

ColumnRouter ColumnRouter::cloneUnfitted() const
{
    ColumnRouter clone;
    for (const RouterBranch &branch : mBranches) {
        RouterBranch copy{branch.name, branch.columns, branch.categorical, {}, {}};
        for (const auto &step : branch.steps)
            copy.steps.push_back(step->cloneUnfitted());
        clone.addBranch(std::move(copy));
    }
    return clone;
}

} // namespace plumb
