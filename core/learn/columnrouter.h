#pragma once

#include "data/dataset.h"
#include "learn/model.h"
#include "learn/transformer.h"

#include <memory>
#include <vector>

namespace plumb {

// One branch of a ColumnRouter: the input columns it reads, whether it reads them as categories,
// and the steps applied to them in order.
struct RouterBranch
{
    QString name;
    QStringList columns;
    bool categorical = false;
    std::vector<std::unique_ptr<Transformer>> steps;
    // Fitted: per input column of a categorical branch, the sorted categories seen in training.
    std::vector<QStringList> vocabularies;
};

// Changes to the default preprocessing, per kind of column; an empty string keeps what
// ColumnRouter::withDefaults chose for the model.
struct PreprocessingChoices
{
    QString numericImputer; // "mean", "median", "most_frequent", "constant" (fills 0) or "none"
    QString numericScaler; // "standard_scaler", "min_max_scaler" or "none"
    QString categoricalImputer; // "most_frequent", "constant" (fills "missing") or "none"
    QString categoricalEncoder; // "one_hot_encoder" or "ordinal_encoder"

    bool isDefault() const;
    // The values each choice takes besides the empty default, for forms and messages.
    static QStringList numericImputers();
    static QStringList numericScalers();
    static QStringList categoricalImputers();
    static QStringList categoricalEncoders();
};

// Applies transformers to groups of columns and joins their outputs side by side, in branch
// order (scikit-learn's ColumnTransformer with remainder="drop"). Reads the columns straight
// from a Dataset, for all rows or a subset, without copying the dataset.
class ColumnRouter
{
public:
    ColumnRouter() = default;
    ColumnRouter(ColumnRouter &&) = default;
    ColumnRouter &operator=(ColumnRouter &&) = default;

    // Sensible defaults from column types and what the model needs: numbers (float, integer,
    // datetime) -> median imputer (unless the model takes missing values) + standard scaler
    // (unless the model is scale-free); categories and booleans -> most-frequent imputer (unless
    // the model takes missing values) + one-hot encoder, or an ordinal encoder when the model
    // takes category codes (a column with more categories than the model takes codes keeps the
    // most frequent and groups the rest into one infrequent code; see OrdinalEncoder and
    // InputNeeds::mostCategoryCodes). `columns` are (name, type) pairs in input order; branches
    // with no column are left out.
    static ColumnRouter withDefaults(const std::vector<std::pair<QString, ColumnType>> &columns, InputNeeds needs = {});

    // Replaces steps of the default branches ("numeric", "categorical") as `choices` say. "none"
    // removes the step; a model that cannot take missing values then fails its fit on data with
    // gaps. Fails naming the choice and the values it takes for an unknown value; the router is
    // unchanged then.
    std::optional<Error> applyChoices(const PreprocessingChoices &choices);

    void addBranch(RouterBranch branch) { mBranches.push_back(std::move(branch)); }
    const std::vector<RouterBranch> &branches() const { return mBranches; }
    std::vector<RouterBranch> &branches() { return mBranches; }

    // Fits every step on the given rows of `data` and returns the joined output (rows x outputs).
    // Fails naming the branch and step (a missing column, a step given the wrong kind of data).
    Result<Eigen::MatrixXd> fitTransform(const Dataset &data, const std::vector<std::size_t> &rows);
    // Transforms the given rows (all rows when `rows` is empty). The columns must exist; the
    // pipeline checks that first.
    Eigen::MatrixXd transform(const Dataset &data, const std::vector<std::size_t> &rows, TransformNotes &notes) const;
    // The one-row form of transform(), through each step's transformRow: `rows` holds one RowBlock
    // per branch (branches() order) with the row's values of the branch's columns, categories
    // coded as transform() reads them (kUnknownCode outside the branch's vocabulary); they are
    // used as scratch. Writes outputNames().size() values to `out`, bit for bit the row transform()
    // gives, with the same notes.
    void transformRow(std::vector<RowBlock> &rows, double *out, TransformNotes &notes) const;
    bool isFitted() const;
    // Names of the output columns, once fitted.
    const QStringList &outputNames() const { return mOutputNames; }
    // The output columns that hold category codes (branches ending in an ordinal encoder).
    std::vector<int> categoryCodeOutputs() const;

    // For a router read back from a file: the output names, checked against what the restored
    // steps produce. Fails naming the branch when the widths disagree.
    std::optional<Error> setRestoredOutputs(const QStringList &names);

    // A copy with the same branches and step parameters, unfitted.
    ColumnRouter cloneUnfitted() const;

private:
    Block readBranch(const Dataset &data, const RouterBranch &branch, const std::vector<std::size_t> &rows) const;

    std::vector<RouterBranch> mBranches;
    QStringList mOutputNames;
};

} // namespace plumb
