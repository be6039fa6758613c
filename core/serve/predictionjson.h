#pragma once

#include "data/dataset.h"
#include "learn/pipeline.h"

#include <string>

namespace plumb {

// JSON text for what the scoring service answers and what its prediction log keeps. Everything is
// appended to `out` as UTF-8; numbers in shortest round-trip form, so reading them back gives the
// same doubles; a non-finite number is written as null.

// A number, or null when it is NaN or infinite.
void appendJsonNumber(double value, std::string &out);

// The predictions as a JSON array: class labels (strings) for a classifier, numbers for a regressor.
void appendPredictionsJson(const Prediction &prediction, std::string &out);

// A classifier's probabilities as a JSON array of rows, each an array in the order of
// prediction.classes; an empty array for a regressor.
void appendProbabilitiesJson(const Prediction &prediction, std::string &out);

// The rows of `data` as a JSON array of objects keyed by column name, in a form RowValidator reads
// back: numbers (null when missing), true/false for booleans, strings for categories, and seconds
// since the epoch for datetimes.
void appendRowsJson(const Dataset &data, std::string &out);

} // namespace plumb
