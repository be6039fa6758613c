// The column routing and preprocessing steps as ONNX nodes.
//
// Numeric branches run their steps as standard operators in double precision, with the same
// arithmetic as the steps themselves (so the values match bit for bit): the imputer is
// Where(IsNaN(x), fill, x), the standard scaler (x - mean) / scale, the min-max scaler
// x * scale + (0 - min * scale).
//
// Categorical branches are tabulated: every step of such a branch maps each value of a column on
// its own (a category, a missing value or an unseen one) to that column's output values, so the
// export runs the fitted steps themselves on each category of the vocabulary, on "missing" and on
// "unknown", and stores the resulting table. In the graph a LabelEncoder maps the text to its row
// ("" is missing, text outside the vocabulary unknown) and a Gather reads the row.

#include "interop/onnxsteps.h"

#include "learn/encoders.h"
#include "learn/imputer.h"
#include "learn/scalers.h"

namespace plumb::onnxexport {

namespace {

std::vector<double> toVector(const Eigen::VectorXd &values)
{
    return std::vector<double>(values.data(), values.data() + values.size());
}

Result<std::string> exportNumericBranch(GraphBuilder &graph, const RouterBranch &branch, const FeatureInputs &inputs)
{
    std::vector<std::string> columns;
    for (const QString &column : branch.columns)
        columns.push_back(inputs.at(column));
    std::string x = columns.size() == 1 ? columns.front() : [&] {
        onnx::NodeProto &concat = graph.node("Concat", columns);
        GraphBuilder::set(concat, "axis", std::int64_t(1));
        return concat.output(0);
    }();
    const std::int64_t width = branch.columns.size();
    for (const auto &step : branch.steps) {
        if (const auto *imputer = dynamic_cast<const SimpleImputer *>(step.get())) {
            const std::string fills = graph.doubles("fills", toVector(imputer->numericFills()), {1, width});
            const std::string missing = graph.apply("IsNaN", {x});
            x = graph.apply("Where", {missing, fills, x});
        } else if (const auto *scaler = dynamic_cast<const StandardScaler *>(step.get())) {
            const std::string means = graph.doubles("means", toVector(scaler->means()), {1, width});
            const std::string scales = graph.doubles("scales", toVector(scaler->scales()), {1, width});
            x = graph.apply("Div", {graph.apply("Sub", {x, means}), scales});
        } else if (const auto *minMax = dynamic_cast<const MinMaxScaler *>(step.get())) {
            // The offsets as MinMaxScaler::transform computes them: -(min * scale).
            const Eigen::VectorXd offsets = -(minMax->minima().array() * minMax->scales().array()).matrix();
            const std::string scales = graph.doubles("scales", toVector(minMax->scales()), {1, width});
            const std::string shifts = graph.doubles("offsets", toVector(offsets), {1, width});
            x = graph.apply("Add", {graph.apply("Mul", {x, scales}), shifts});
        } else {
            return Error::invalid(
                QStringLiteral("branch '%1', step %2: no ONNX form for this step on numbers").arg(branch.name, step->kind()));
        }
    }
    return x;
}

// How many output columns each input column of a categorical branch owns, from its encoder.
Result<std::vector<Eigen::Index>> categoricalWidths(const RouterBranch &branch)
{
    const Transformer *last = branch.steps.empty() ? nullptr : branch.steps.back().get();
    std::vector<Eigen::Index> widths;
    if (const auto *oneHot = dynamic_cast<const OneHotEncoder *>(last)) {
        for (std::size_t c = 0; c < oneHot->categories().size(); ++c)
            widths.push_back(oneHot->categories()[c].size() + (oneHot->hasInfrequent()[c] ? 1 : 0));
    } else if (dynamic_cast<const OrdinalEncoder *>(last)) {
        widths.assign(std::size_t(branch.columns.size()), 1);
    } else {
        return Error::invalid(QStringLiteral("branch '%1': it does not end with an encoder known to the export (%2)")
                                  .arg(branch.name, last ? last->kind() : QStringLiteral("no steps")));
    }
    if (widths.size() != std::size_t(branch.columns.size()))
        return Error::invalid(QStringLiteral("branch '%1': the encoder has %2 columns, the branch %3")
                                  .arg(branch.name)
                                  .arg(widths.size())
                                  .arg(branch.columns.size()));
    return widths;
}

// The branch's steps run on every category of each column, then on "missing", then on
// "unknown": the table's rows 0..V-1 are the categories, row `missingRow` missing and row
// missingRow + 1 unknown (shorter vocabularies pad with missing; those rows are never read).
Result<Eigen::MatrixXd> tabulate(const RouterBranch &branch, Eigen::Index total, std::int32_t &missingRow)
{
    qsizetype longest = 0;
    for (const QStringList &vocabulary : branch.vocabularies) {
        if (vocabulary.contains(QString()))
            return Error::invalid(
                QStringLiteral("branch '%1': an empty category cannot be told from a missing value in ONNX text input")
                    .arg(branch.name));
        longest = std::max(longest, vocabulary.size());
    }
    missingRow = std::int32_t(longest);
    const std::int32_t unknownRow = missingRow + 1;
    Block block;
    block.names = branch.columns;
    block.vocabularies = branch.vocabularies;
    for (const QStringList &vocabulary : branch.vocabularies) {
        std::vector<std::int32_t> codes(std::size_t(unknownRow + 1), kMissingCode);
        for (std::int32_t r = 0; r < std::int32_t(vocabulary.size()); ++r)
            codes[std::size_t(r)] = r;
        codes[std::size_t(unknownRow)] = kUnknownCode;
        block.codes.push_back(std::move(codes));
    }
    TransformNotes notes;
    for (const auto &step : branch.steps)
        block = step->transform(block, notes);
    if (block.isCategorical() || block.numbers.cols() != total)
        return Error::invalid(QStringLiteral("branch '%1': the encoder gives %2 columns, expected %3")
                                  .arg(branch.name)
                                  .arg(block.numbers.cols())
                                  .arg(total));
    return std::move(block.numbers);
}

Result<std::string> exportCategoricalBranch(GraphBuilder &graph, const RouterBranch &branch, const FeatureInputs &inputs)
{
    for (const auto &step : branch.steps)
        if (!dynamic_cast<const SimpleImputer *>(step.get()) && !step->encodesCategories())
            return Error::invalid(
                QStringLiteral("branch '%1', step %2: no ONNX form for this step on categories").arg(branch.name, step->kind()));
    Result<std::vector<Eigen::Index>> widths = categoricalWidths(branch);
    if (!widths)
        return widths.error();
    Eigen::Index total = 0;
    for (Eigen::Index width : widths.value())
        total += width;
    std::int32_t missingRow = 0;
    Result<Eigen::MatrixXd> table = tabulate(branch, total, missingRow);
    if (!table)
        return table.error();
    const std::int32_t unknownRow = missingRow + 1;

    std::vector<std::string> outputs;
    Eigen::Index first = 0;
    for (qsizetype c = 0; c < branch.columns.size(); ++c) {
        const QStringList &vocabulary = branch.vocabularies[std::size_t(c)];
        const Eigen::Index width = widths.value()[std::size_t(c)];
        std::vector<double> rowsOfColumn;
        for (Eigen::Index r = 0; r <= unknownRow; ++r)
            for (Eigen::Index o = 0; o < width; ++o)
                rowsOfColumn.push_back(table.value()(r, first + o));
        first += width;

        onnx::NodeProto &encoder = graph.node("LabelEncoder", {inputs.at(branch.columns[c])}, 1, kMlDomain);
        std::vector<std::int64_t> rows;
        for (qsizetype r = 0; r < vocabulary.size(); ++r)
            rows.push_back(r);
        rows.push_back(missingRow);
        GraphBuilder::set(encoder, "keys_strings", QStringList(vocabulary) << QString());
        GraphBuilder::set(encoder, "values_int64s", rows);
        GraphBuilder::set(encoder, "default_int64", std::int64_t(unknownRow));
        const std::string values = graph.doubles("categories", rowsOfColumn, {unknownRow + 1, width});
        const std::string gathered = graph.apply("Gather", {values, encoder.output(0)});
        outputs.push_back(graph.apply("Reshape", {gathered, graph.int64s("shape", {-1, width}, {2})}));
    }
    if (outputs.size() == 1)
        return outputs.front();
    onnx::NodeProto &concat = graph.node("Concat", outputs);
    GraphBuilder::set(concat, "axis", std::int64_t(1));
    return concat.output(0);
}

} // namespace

bool isTextFeature(const Pipeline &pipeline, const QString &feature)
{
    for (const RouterBranch &branch : pipeline.router().branches())
        if (branch.categorical && branch.columns.contains(feature))
            return true;
    return false;
}

Result<std::string> exportPreprocessing(GraphBuilder &graph, const Pipeline &pipeline, const FeatureInputs &inputs)
{
    std::vector<std::string> outputs;
    for (const RouterBranch &branch : pipeline.router().branches()) {
        for (const QString &column : branch.columns)
            if (!inputs.count(column))
                return Error::invalid(
                    QStringLiteral("branch '%1' reads '%2', which is not a feature of the model").arg(branch.name, column));
        if (branch.columns.isEmpty())
            continue;
        Result<std::string> output = branch.categorical ? exportCategoricalBranch(graph, branch, inputs)
                                                        : exportNumericBranch(graph, branch, inputs);
        if (!output)
            return output.error();
        outputs.push_back(output.value());
    }
    if (outputs.empty())
        return Error::invalid(QStringLiteral("the preprocessing has no branch with columns"));
    if (outputs.size() == 1)
        return outputs.front();
    onnx::NodeProto &concat = graph.node("Concat", outputs);
    GraphBuilder::set(concat, "axis", std::int64_t(1));
    return concat.output(0);
}

} // namespace plumb::onnxexport
