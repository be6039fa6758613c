#pragma once

#include "base/progress.h"
#include "base/result.h"
#include "learn/pipeline.h"
#include "serve/chunkreader.h"

#include <QIODevice>

#include <cstdint>

namespace plumb {

class BatchSink;
class ShapExplainer;

// How a batch is read and written.
struct BatchOptions
{
    RowFormat input = RowFormat::Csv;
    RowFormat output = RowFormat::Csv;
    CsvOptions csv; // CSV input: a forced delimiter, header, decimal mark, missing tokens
    std::size_t chunkBytes = 2 << 20; // input bytes per chunk
    int threads = 0; // chunks scored at once; 0 = workerCount()
    bool rejectsHeader = true; // start the rejects with a "line,reason" header
    bool positionalFeatures = false; // the model's features are positional (ColumnBinding)
    const ShapExplainer *explainer = nullptr; // set: write each row's SHAP values, not its prediction
};

// What a run did.
struct BatchSummary
{
    std::uint64_t rowsScored = 0;
    std::uint64_t rowsRejected = 0;
    std::uint64_t unknownCategories = 0; // values encoded as unseen categories
    std::uint64_t positionalRows = 0; // JSON Lines rows whose keys were read by position
    std::size_t chunks = 0;
    std::size_t largestChunkRows = 0; // rows (scored + rejected) of the largest chunk
    std::uint64_t bytesRead = 0;
    double seconds = 0;
    // Set when columns were matched to positional features by position (ColumnBinding::notice;
    // for JSON Lines, how many rows' keys were read in order).
    QString notice;
};

// Scores a stream of rows with a fitted pipeline without holding the stream in memory: the input
// is cut into chunks of whole records (ChunkReader), up to `threads` chunks are validated and
// scored at once (ChunkScorer), and their output is written in input order as each finishes. At
// most threads + 1 chunks are in flight, so memory stays bounded by the chunk size whatever the
// input's length. Rows that fail validation are written to `rejects` (CSV: line,reason; the line
// is 1-based in the input, the header being line 1) and the run goes on. Columns feed features as
// RowValidator::bindColumns decides (by name, or by position for positional features). Fails on unreadable input (a bad header, a
// missing feature column, a record over the size cap), a write error, or cancellation. Progress is
// the share of the input read, reported per chunk when the input's size is known (a file).
class BatchScorer
{
public:
    // The pipeline must be fitted and outlive the scorer.
    BatchScorer(const Pipeline &pipeline, BatchOptions options);

    // Delivers the run to `sink` (DeviceSink: text, as `plumb predict` writes it; TableSink: columns,
    // as the Predict view shows them). `input` is an open device (a file, standard input, a buffer);
    // `inputName` names it in messages. A table sink needs CSV input and no explainer.
    Result<BatchSummary> run(QIODevice &input, const QString &inputName, BatchSink &sink,
                             ProgressSink &progress = nullProgress()) const;
    // run() into a DeviceSink: the scored rows to `output`, the refused ones to `rejects` (may be
    // null: refused rows are then only counted), with a header when BatchOptions::rejectsHeader.
    Result<BatchSummary> run(QIODevice &input, const QString &inputName, QIODevice &output, QIODevice *rejects,
                             ProgressSink &progress = nullProgress()) const;

private:
    const Pipeline &mPipeline;
    BatchOptions mOptions;
};

} // namespace plumb
