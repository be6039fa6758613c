#pragma once

#include "base/result.h"
#include "data/dataset.h"
#include "serve/chunkscorer.h"

#include <QIODevice>

#include <cstdint>
#include <limits>
#include <vector>

namespace plumb {

// Where BatchScorer delivers a run: the scored rows chunk by chunk, in input order, from the thread
// that called BatchScorer::run. One sink per run.
class BatchSink
{
public:
    virtual ~BatchSink();
    // True: the rows are wanted as columns (ScoredChunk::table, refused rows in ScoredChunk::refused),
    // not as text.
    virtual bool takesTable() const = 0;
    // Once, before any chunk, with the scorer that will score them.
    virtual std::optional<Error> begin(const ChunkScorer &scorer) = 0;
    // Every scored chunk, in input order. An error ends the run with it.
    virtual std::optional<Error> write(ScoredChunk &chunk) = 0;
    // Once, after the last chunk of a run that did not fail.
    virtual std::optional<Error> finish() { return std::nullopt; }
};

// The scored rows as text (CSV or JSON Lines, as BatchOptions::output says) to a device, and the
// refused rows as CSV ("line,reason", the header first when `rejectsHeader`) to another, when given:
// what `plumb predict` writes. Fails naming the device that could not be written.
class DeviceSink final : public BatchSink
{
public:
    DeviceSink(QIODevice &output, QIODevice *rejects, bool rejectsHeader = true);
    bool takesTable() const override { return false; }
    std::optional<Error> begin(const ChunkScorer &scorer) override;
    std::optional<Error> write(ScoredChunk &chunk) override;

private:
    QIODevice &mOutput;
    QIODevice *mRejects;
    bool mRejectsHeader;
};

// The scored rows as one Dataset, for a table (CSV input): the input's columns, named as in its
// header, then "prediction" and for a classifier one "proba:<class>" per class, as `plumb predict`
// lays out its CSV. Numeric feature columns are the numbers the model read (FeatureBatch), the
// prediction is a number (regression) or the class label, the probabilities numbers; a column of
// text (the other input columns, categorical features, class labels) is typed at the end as
// CsvReader types a column (TypeGuesser over its distinct values, read with the input's syntax),
// so the table is the one the scored CSV reads back as, without writing or reading any text.
// Keeps the first `maxRefused` refused rows; all are counted in the run's summary.
class TableSink final : public BatchSink
{
public:
    explicit TableSink(std::size_t maxRefused = std::numeric_limits<std::size_t>::max()) : mMaxRefused(maxRefused) { }
    bool takesTable() const override { return true; }
    std::optional<Error> begin(const ChunkScorer &scorer) override;
    std::optional<Error> write(ScoredChunk &chunk) override;
    std::optional<Error> finish() override;

    // The table so far (its columns even with no row scored); the sink keeps none of it.
    Dataset takeTable() { return std::move(mTable); }
    std::vector<RefusedRow> takeRefused() { return std::move(mRefused); }

private:
    Dataset mTable;
    ValueSyntax mSyntax;
    std::vector<RefusedRow> mRefused;
    std::size_t mMaxRefused;
};

} // namespace plumb
