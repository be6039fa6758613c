#pragma once

#include "serve/featurebatch.h"
#include "serve/jsonrow.h"
#include "serve/rowvalidator.h"

#include <QDeadlineTimer>

#include <string_view>
#include <vector>

namespace plumb {

// The common shape of a predict request read straight into a FeatureBatch, without building a
// JsonRow per row: one row object or an array of them, where every row has exactly the model's
// features as keys, in the model's order, written without escapes, and every value is one the
// validator takes as it is (a number for a numeric or datetime feature, true/false for a boolean
// one, a string without escapes for a categorical one, null where the feature may be missing).
// It accepts nothing that readJsonRows followed by RowValidator::readJsonRow would refuse, and
// gives the same values; any other body (extra or reordered keys, escapes, nested values, a
// syntax error, a refusal, more than maxRows rows) is left to that general path, which names
// the problem. Holds only a reference to the validator: cheap to make for each request.
class OrderedRowReader
{
public:
    // What read() did.
    enum class Outcome {
        Read, // every row is in the batch
        NotHandled, // not the common shape, or not valid: read the body with the general path
        Expired, // the deadline passed (checked every 1,024 rows)
    };

    // The validator must outlive the reader.
    explicit OrderedRowReader(const RowValidator &validator);

    // Appends the rows of `body` to `batch` (built on the validator's features). On NotHandled or
    // Expired the batch holds an unspecified part of the rows: take its dataset and drop it.
    Outcome read(std::string_view body, std::size_t maxRows, const JsonRowLimits &limits, const QDeadlineTimer &deadline,
                 FeatureBatch &batch) const;

private:
    bool readRow(const char *&at, const char *end, std::vector<FeatureValue> &values) const;
    bool readValue(std::size_t feature, const char *&at, const char *end, FeatureValue &out) const;

    const RowValidator &mValidator;
};

} // namespace plumb
