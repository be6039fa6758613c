#pragma once

#include "learn/pipeline.h"
#include "serve/chunkreader.h"
#include "serve/rowvalidator.h"

#include <optional>
#include <string>
#include <vector>

namespace plumb {

class FeatureBatch;
class ShapExplainer;

// How the records of a chunk are laid out and how the scored rows are written.
struct ChunkLayout
{
    RowFormat input = RowFormat::Csv;
    RowFormat output = RowFormat::Csv;
    char delimiter = ','; // CSV input, and CSV output
    QStringList columns; // CSV input: the header; JSON input to CSV output: the columns echoed
    std::vector<std::size_t> featureColumns; // CSV input: each feature's position in `columns`
    const ShapExplainer *explainer = nullptr; // set: SHAP columns (ShapExplainer::columnNames) replace the prediction
};

// What scoring one chunk gives: the output bytes of its accepted rows (in input order), one reject
// line per refused row ("line,reason" as CSV), and counts.
struct ScoredChunk
{
    std::string output;
    std::string rejects;
    std::size_t scored = 0;
    std::size_t rejected = 0;
    std::size_t unknownCategories = 0;
    std::size_t positionalRows = 0; // JSON Lines rows read by position (RowValidator::readJsonRow)
    std::optional<Error> error; // the chunk could not be scored at all
};

// Scores one chunk of records: splits them (CSV or JSON Lines), validates each row against the
// model's schema (RowValidator), gathers the valid ones into a FeatureBatch, predicts them with
// Pipeline::predict in one call, and writes every accepted row as the input record echoed, then the
// prediction and, for classifiers, one probability per class. Numbers are written in shortest
// round-trip form, so reading them back gives the same doubles. Thread-safe: chunks may be scored
// concurrently with one scorer.
class ChunkScorer
{
public:
    // The pipeline and validator must outlive the scorer.
    ChunkScorer(const Pipeline &pipeline, const RowValidator &validator, ChunkLayout layout);

    // The output's header line for CSV output (with its line end); empty for JSON Lines.
    std::string header() const;

    ScoredChunk score(InputChunk &chunk) const;

private:
    struct Echoes; // accepted rows' echoed bytes, filled while reading

    void readCsv(InputChunk &chunk, std::string &original, FeatureBatch &batch, Echoes &echoes, ScoredChunk &result) const;
    void readJsonLines(const InputChunk &chunk, FeatureBatch &batch, Echoes &echoes, ScoredChunk &result) const;
    void echoCsvAsJson(const std::vector<std::string_view> &fields, std::string &out) const;
    void echoJsonAsCsv(const JsonRow &row, std::string &out) const;
    void appendPrediction(const Prediction &prediction, Eigen::Index row, std::string &out) const;
    void appendExplanations(const Dataset &data, const Echoes &echoes, ScoredChunk &result) const;
    void reject(std::int64_t line, const QString &reason, ScoredChunk &result) const;

    const Pipeline &mPipeline;
    const RowValidator &mValidator;
    ChunkLayout mLayout;
    std::vector<std::string> mCsvLabels; // class labels, CSV-quoted where needed
    std::vector<std::string> mJsonLabels; // class labels as JSON strings
    std::vector<std::string> mJsonKeys; // CSV input to JSON output: "name": per column
    std::vector<std::string> mColumnNames; // the layout's columns as UTF-8
    std::vector<std::string> mShapKeys; // JSON output with an explainer: "name": per SHAP column
};

} // namespace plumb
