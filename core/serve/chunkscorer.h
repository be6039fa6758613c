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
    // Set (CSV input, no explainer): the scored rows are kept as columns in ScoredChunk::table, the
    // refused ones in ScoredChunk::refused, and no text is written.
    bool table = false;
};

// A row of the input that was not scored, and why (RowValidator's reason, naming the column).
struct RefusedRow
{
    std::int64_t line = 0; // 1-based line in the input, the header being line 1
    QString reason;
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
    Dataset table; // ChunkLayout::table: the accepted rows, laid out as ChunkScorer::emptyTable()
    std::vector<RefusedRow> refused; // ChunkLayout::table: the refused rows, in input order
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
    // How the input's fields are read (decimal mark, missing tokens).
    const ValueSyntax &syntax() const { return mValidator.syntax(); }
    // ChunkLayout::table: the table's columns with no row. The layout's columns in order (a feature's
    // column typed as the model reads it, the others text), then "prediction" (the class label, or
    // a number) and one "proba:<class>" number column per class.
    Dataset emptyTable() const;

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
    Dataset tableOf(const Dataset &features, Echoes &echoes, const Prediction *prediction) const;

    const Pipeline &mPipeline;
    const RowValidator &mValidator;
    ChunkLayout mLayout;
    std::vector<std::string> mCsvLabels; // class labels, CSV-quoted where needed
    std::vector<std::string> mJsonLabels; // class labels as JSON strings
    std::vector<std::string> mJsonKeys; // CSV input to JSON output: "name": per column
    std::vector<std::string> mColumnNames; // the layout's columns as UTF-8
    std::vector<std::string> mShapKeys; // JSON output with an explainer: "name": per SHAP column
    std::vector<int> mFeatureAt; // table output: per layout column, the feature it feeds, or -1
};

} // namespace plumb
