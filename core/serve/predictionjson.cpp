#include "serve/predictionjson.h"

#include "serve/jsonrow.h"

#include <charconv>
#include <cmath>

namespace plumb {

void appendJsonNumber(double value, std::string &out)
{
    if (!std::isfinite(value)) {
        out.append("null");
        return;
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

void appendPredictionsJson(const Prediction &prediction, std::string &out)
{
    out += '[';
    std::vector<std::string> labels; // UTF-8 once per class, not once per row
    for (const QString &label : prediction.classes)
        labels.push_back(label.toStdString());
    for (Eigen::Index r = 0; r < prediction.values.size(); ++r) {
        if (r > 0)
            out += ',';
        if (labels.empty())
            appendJsonNumber(prediction.values[r], out);
        else
            appendJsonString(labels[std::size_t(prediction.values[r])], out);
    }
    out += ']';
}

void appendProbabilitiesJson(const Prediction &prediction, std::string &out)
{
    out += '[';
    for (Eigen::Index r = 0; r < prediction.probabilities.rows(); ++r) {
        out += r > 0 ? ",[" : "[";
        for (Eigen::Index c = 0; c < prediction.probabilities.cols(); ++c) {
            if (c > 0)
                out += ',';
            appendJsonNumber(prediction.probabilities(r, c), out);
        }
        out += ']';
    }
    out += ']';
}

void appendRowsJson(const Dataset &data, std::string &out)
{
    // Each key once, quoted and followed by its colon; each categorical column's labels once.
    std::vector<std::string> keys;
    std::vector<std::vector<std::string>> categories(data.columnCount());
    for (std::size_t c = 0; c < data.columnCount(); ++c) {
        std::string key;
        appendJsonString(data.column(c).name().toStdString(), key);
        keys.push_back(key + ':');
        for (const QString &category : data.column(c).categories())
            categories[c].push_back(category.toStdString());
    }
    out += '[';
    for (std::size_t r = 0; r < data.rowCount(); ++r) {
        out += r > 0 ? ",{" : "{";
        for (std::size_t c = 0; c < data.columnCount(); ++c) {
            if (c > 0)
                out += ',';
            out += keys[c];
            const Column &column = data.column(c);
            if (column.type() == ColumnType::Categorical) {
                const std::int32_t code = column.codes()[r];
                if (code < 0)
                    out += "null";
                else
                    appendJsonString(categories[c][std::size_t(code)], out);
            } else if (column.type() == ColumnType::Boolean && !std::isnan(column.numbers()[r])) {
                out += column.numbers()[r] != 0 ? "true" : "false";
            } else {
                appendJsonNumber(column.numbers()[r], out);
            }
        }
        out += '}';
    }
    out += ']';
}

} // namespace plumb
