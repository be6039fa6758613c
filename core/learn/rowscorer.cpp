#include "learn/rowscorer.h"

#include "data/valueparser.h"
#include "learn/encoders.h"
#include "learn/imputer.h"
#include "learn/scalers.h"

#include <charconv>
#include <cmath>

namespace plumb {

namespace {

// The category a value names, written as the batch path reads it from a column (Column::displayText).
QString categoryText(const RowValue &value, ColumnType type)
{
    if (value.kind == RowValue::Kind::Text)
        return value.text;
    if (type == ColumnType::Boolean)
        return value.number != 0 ? QStringLiteral("true") : QStringLiteral("false");
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value.number);
    return QString::fromLatin1(buffer, qsizetype(result.ptr - buffer));
}

// A numeric feature's value; text is read as the column type reads it. std::nullopt: unreadable.
std::optional<double> numberOf(const RowValue &value, ColumnType type)
{
    if (value.kind == RowValue::Kind::Missing)
        return std::nan("");
    if (value.kind == RowValue::Kind::Number)
        return value.number;
    const QByteArray utf8 = value.text.toUtf8();
    const std::string_view text(utf8.constData(), std::size_t(utf8.size()));
    if (isMissingToken(text))
        return std::nan("");
    if (type == ColumnType::Datetime)
        return parseDatetime(text);
    if (type == ColumnType::Boolean) {
        if (const auto flag = parseBoolean(text, true))
            return *flag ? 1.0 : 0.0;
        return std::nullopt;
    }
    return parseNumber(text);
}

bool isMissingValue(const RowValue &value)
{
    if (value.kind == RowValue::Kind::Missing)
        return true;
    if (value.kind == RowValue::Kind::Number)
        return std::isnan(value.number);
    const QByteArray utf8 = value.text.toUtf8();
    return isMissingToken(std::string_view(utf8.constData(), std::size_t(utf8.size())));
}

} // namespace

RowScorer::RowScorer(const Pipeline &pipeline) : mPipeline(pipeline)
{
    mFast = compile();
    mInputs.resize(mWidth);
}

bool RowScorer::compile()
{
    QHash<QString, Eigen::Index> featureIndex;
    for (std::size_t f = 0; f < mPipeline.features().size(); ++f)
        featureIndex.insert(mPipeline.features()[f].name, Eigen::Index(f));
    mWidth = 0;
    for (const RouterBranch &branch : mPipeline.router().branches()) {
        for (qsizetype c = 0; c < branch.columns.size(); ++c) {
            FeaturePlan plan;
            plan.feature = featureIndex.value(branch.columns[c], -1);
            plan.slot = mWidth;
            plan.categorical = branch.categorical;
            if (plan.feature < 0)
                return false;
            if (branch.categorical ? !compileCategorical(branch, c, plan) : !compileNumeric(branch, c, plan))
                return false;
            mWidth += plan.width;
            mPlans.push_back(std::move(plan));
        }
    }
    return mWidth == mPipeline.model().featureCount();
}

bool RowScorer::compileNumeric(const RouterBranch &branch, qsizetype column, FeaturePlan &plan) const
{
    for (const auto &step : branch.steps) {
        if (const auto *imputer = dynamic_cast<const SimpleImputer *>(step.get()))
            plan.steps.push_back({NumericStep::Op::Impute, imputer->numericFills()[column], 0});
        else if (const auto *standard = dynamic_cast<const StandardScaler *>(step.get()))
            plan.steps.push_back({NumericStep::Op::Standardise, standard->means()[column], standard->scales()[column]});
        else if (const auto *minMax = dynamic_cast<const MinMaxScaler *>(step.get()))
            plan.steps.push_back(
                {NumericStep::Op::Rescale, minMax->scales()[column], -(minMax->minima()[column] * minMax->scales()[column])});
        else
            return false;
    }
    return true;
}

bool RowScorer::compileCategorical(const RouterBranch &branch, qsizetype column, FeaturePlan &plan) const
{
    // Supported: [simple_imputer] then one_hot_encoder, each column ending in its own slots.
    const SimpleImputer *imputer = nullptr;
    const OneHotEncoder *encoder = nullptr;
    for (const auto &step : branch.steps) {
        if (!encoder && !imputer && (imputer = dynamic_cast<const SimpleImputer *>(step.get())))
            continue;
        if (!encoder && (encoder = dynamic_cast<const OneHotEncoder *>(step.get())))
            continue;
        return false;
    }
    if (!encoder)
        return false;
    // The encoder lays out each input column's outputs one after another, as compile() counts.
    const QStringList &categories = encoder->categories()[std::size_t(column)];
    const bool infrequent = encoder->hasInfrequent()[std::size_t(column)];
    const Eigen::Index infrequentSlot = categories.size();
    for (qsizetype i = 0; i < categories.size(); ++i)
        plan.slotOf.insert(categories[i], i);
    QStringList known = branch.vocabularies[std::size_t(column)];
    if (imputer)
        known.append(imputer->categoricalFills()[column]);
    for (const QString &category : known)
        if (!plan.slotOf.contains(category))
            plan.slotOf.insert(category, infrequent ? infrequentSlot : -1);
    plan.imputesMissing = imputer != nullptr;
    if (imputer)
        plan.missingSlot = plan.slotOf.value(imputer->categoricalFills()[column], -1);
    // An unseen category goes to the infrequent column when there is one, else nowhere (counted).
    plan.unknownSlot = infrequent ? infrequentSlot : -1;
    plan.width = categories.size() + (infrequent ? 1 : 0);
    return true;
}

std::optional<Error> RowScorer::score(const std::vector<RowValue> &values, double *out, TransformNotes &notes) const
{
    const auto &features = mPipeline.features();
    if (values.size() != features.size())
        return Error::invalid(
            QStringLiteral("expected %1 values (one per feature), got %2").arg(features.size()).arg(values.size()));
    if (!mFast)
        return scoreGeneral(values, out, notes);
    if (auto error = fillInputs(values, notes))
        return error;
    mPipeline.model().predictRow(mInputs.data(), out);
    return std::nullopt;
}

std::optional<Error> RowScorer::transform(const std::vector<RowValue> &values, Eigen::VectorXd &inputs,
                                          TransformNotes &notes) const
{
    const auto &features = mPipeline.features();
    if (values.size() != features.size())
        return Error::invalid(
            QStringLiteral("expected %1 values (one per feature), got %2").arg(features.size()).arg(values.size()));
    if (mFast) {
        if (auto error = fillInputs(values, notes))
            return error;
        inputs = mInputs;
        return std::nullopt;
    }
    Result<Dataset> row = rowDataset(values);
    if (!row)
        return row.error();
    inputs = mPipeline.router().transform(row.value(), {}, notes).row(0).transpose();
    return std::nullopt;
}

std::optional<Error> RowScorer::fillInputs(const std::vector<RowValue> &values, TransformNotes &notes) const
{
    const auto &features = mPipeline.features();
    for (const FeaturePlan &plan : mPlans) {
        const RowValue &value = values[std::size_t(plan.feature)];
        const FeatureSpec &feature = features[std::size_t(plan.feature)];
        if (plan.categorical) {
            // As the batch path counts: any value left without a column, except a missing value
            // that no imputer fills.
            Eigen::Index target = -1;
            if (isMissingValue(value)) {
                target = plan.imputesMissing ? plan.missingSlot : -1;
                notes.unknownCategories += plan.imputesMissing && target < 0;
            } else {
                const auto found = plan.slotOf.constFind(categoryText(value, feature.type));
                target = found != plan.slotOf.constEnd() ? *found : plan.unknownSlot;
                notes.unknownCategories += target < 0;
            }
            for (Eigen::Index s = plan.slot; s < plan.slot + plan.width; ++s)
                mInputs[s] = 0.0;
            if (target >= 0)
                mInputs[plan.slot + target] = 1.0;
            continue;
        }
        const std::optional<double> number = numberOf(value, feature.type);
        if (!number)
            return Error::invalid(
                QStringLiteral("feature '%1': '%2' is not %3").arg(feature.name, value.text, columnTypeName(feature.type)));
        double x = *number;
        for (const NumericStep &step : plan.steps) {
            switch (step.op) {
            case NumericStep::Op::Impute:
                x = std::isnan(x) ? step.a : x;
                break;
            case NumericStep::Op::Standardise:
                x = (x - step.a) / step.b;
                break;
            case NumericStep::Op::Rescale:
                x = x * step.a + step.b;
                break;
            }
        }
        mInputs[plan.slot] = x;
    }
    return std::nullopt;
}

Result<Dataset> RowScorer::rowDataset(const std::vector<RowValue> &values) const
{
    Dataset row;
    for (std::size_t f = 0; f < values.size(); ++f) {
        const FeatureSpec &feature = mPipeline.features()[f];
        Column column(feature.name, feature.type);
        if (feature.type == ColumnType::Categorical) {
            const bool missing = isMissingValue(values[f]);
            column.codes().push_back(missing ? -1 : 0);
            if (!missing)
                column.categories().append(categoryText(values[f], feature.type));
        } else {
            const std::optional<double> number = numberOf(values[f], feature.type);
            if (!number)
                return Error::invalid(QStringLiteral("feature '%1': '%2' is not %3")
                                          .arg(feature.name, values[f].text, columnTypeName(feature.type)));
            column.numbers().push_back(*number);
        }
        row.addColumn(std::move(column));
    }
    return row;
}

std::optional<Error> RowScorer::scoreGeneral(const std::vector<RowValue> &values, double *out, TransformNotes &notes) const
{
    Result<Dataset> rowData = rowDataset(values);
    if (!rowData)
        return rowData.error();
    const Dataset &row = rowData.value();
    Result<Prediction> prediction = mPipeline.predict(row);
    if (!prediction)
        return prediction.error();
    notes.unknownCategories += prediction.value().notes.unknownCategories;
    if (mPipeline.target().task == Task::Classification)
        for (Eigen::Index c = 0; c < prediction.value().probabilities.cols(); ++c)
            out[c] = prediction.value().probabilities(0, c);
    else
        out[0] = prediction.value().values[0];
    return std::nullopt;
}

} // namespace plumb
