#pragma once

#include "base/result.h"
#include "learn/block.h"
#include "learn/componentstate.h"
#include "learn/params.h"

#include <memory>

namespace plumb {

// Counts of what a transform met that it had not seen when fitted; reported beside predictions.
struct TransformNotes
{
    std::size_t unknownCategories = 0; // values outside the fitted vocabulary (one-hot: all zeros; ordinal: code -1)
};

// The contract every preprocessing step follows (the same as Model's): constructed valid with
// default parameters; fitTransform() replaces all learned state and keeps no reference to the
// data; changing a parameter never refits; transform() takes one row or many.
class Transformer
{
public:
    virtual ~Transformer();

    // Stable identifier in files and on the command line: "standard_scaler".
    virtual QString kind() const = 0;
    virtual bool acceptsCategorical() const = 0;
    virtual bool acceptsNumeric() const = 0;
    // True for encoders: categories in, numbers out. Other steps give what they take.
    virtual bool encodesCategories() const { return false; }

    const ParamValues &params() const { return mParams; }
    std::optional<Error> setParam(const QString &name, const QVariant &value) { return mParams.set(name, value); }
    std::optional<Error> setParams(const ParamValues &values);

    // Learns from the training block and returns its transform. Fails for a block of the wrong
    // kind (numeric or categorical) or one it cannot learn from (say, a column with no values).
    virtual Result<Block> fitTransform(const Block &block) = 0;
    virtual bool isFitted() const = 0;
    // Applies the learned transform. The block must have the columns it was fitted on.
    virtual Block transform(const Block &block, TransformNotes &notes) const = 0;
    // The one-row form of transform(): `row` holds the step's input for one row (as many columns
    // as it was fitted on) and is replaced by its output, bit for bit the values transform() gives
    // that row, with the same notes. Allocates nothing once `row` has held a row of this shape.
    virtual void transformRow(RowBlock &row, TransformNotes &notes) const = 0;
    // True when a missing input leaves this step as a defined value (an imputer fills it, a one-hot
    // encoder writes zeros), so the rows it reads may have gaps whatever the model takes.
    virtual bool definesMissing() const { return false; }

    // How many columns the fitted step produces from `inputColumns`.
    virtual Eigen::Index outputColumns(Eigen::Index inputColumns) const { return inputColumns; }

    virtual ComponentState state() const = 0;
    // Replaces the learned state after checking every value; on error the step is left unfitted.
    // `inputColumns` is how many columns the step receives, for shape checks.
    virtual std::optional<Error> restore(const ComponentState &state, Eigen::Index inputColumns) = 0;
    virtual std::unique_ptr<Transformer> cloneUnfitted() const = 0;

protected:
    explicit Transformer(ParamValues params) : mParams(std::move(params)) { }
    ParamValues mParams;
};

// The closed set of preprocessing kinds, and a factory for them.
QStringList transformerKinds();
std::unique_ptr<Transformer> createTransformer(const QString &kind);

} // namespace plumb
