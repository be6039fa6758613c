#include "serve/batchscorer.h"

#include "serve/batchsink.h"

#include "base/parallel.h"
#include "data/valueparser.h"
#include "serve/chunkscorer.h"
#include "serve/jsonrow.h"
#include "serve/rowvalidator.h"

#include <QElapsedTimer>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

namespace plumb {

namespace {

// JSON Lines to CSV: the columns echoed are the keys of the first row that reads as an object,
// so ids and other extra keys travel with the predictions; the model's features otherwise.
QStringList jsonColumns(const InputChunk &first, const RowValidator &validator)
{
    std::string_view rest(first.bytes);
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        if (line.find_first_not_of(" \t\r") == std::string_view::npos)
            continue;
        JsonRow row;
        if (readJsonRow(line, row))
            break;
        QStringList keys;
        for (const JsonField &field : row.fields)
            keys.append(decodeUtf8(field.key));
        return keys;
    }
    QStringList names;
    for (const FeatureSpec &feature : validator.features())
        names.append(feature.name);
    return names;
}

// A fixed set of threads scoring chunks handed to them in order. The same threads for the whole
// run keep each one's allocator arena warm: chunk buffers are reused instead of being faulted in
// afresh for every chunk, as threads started per chunk did.
class ChunkWorkers
{
public:
    ChunkWorkers(std::size_t threads, const ChunkScorer &scorer) : mScorer(scorer)
    {
        for (std::size_t t = 0; t < threads; ++t)
            mThreads.emplace_back([this] { work(); });
    }
    ~ChunkWorkers()
    {
        {
            const std::lock_guard lock(mMutex);
            mStopping = true;
        }
        mWake.notify_all();
        for (std::thread &thread : mThreads)
            thread.join();
    }

    std::future<ScoredChunk> submit(InputChunk chunk)
    {
        std::packaged_task<ScoredChunk()> task([this, chunk = std::move(chunk)]() mutable {
            const SerialLoopScope serial; // the chunks are the parallelism
            return mScorer.score(chunk);
        });
        std::future<ScoredChunk> result = task.get_future();
        {
            const std::lock_guard lock(mMutex);
            mTasks.push_back(std::move(task));
        }
        mWake.notify_one();
        return result;
    }

private:
    void work()
    {
        for (;;) {
            std::packaged_task<ScoredChunk()> task;
            {
                std::unique_lock lock(mMutex);
                mWake.wait(lock, [this] { return mStopping || !mTasks.empty(); });
                if (mTasks.empty())
                    return;
                task = std::move(mTasks.front());
                mTasks.pop_front();
            }
            task();
        }
    }

    const ChunkScorer &mScorer;
    std::mutex mMutex;
    std::condition_variable mWake;
    std::deque<std::packaged_task<ScoredChunk()>> mTasks;
    bool mStopping = false;
    std::vector<std::thread> mThreads;
};

// The columns and feature positions of the input, from its header (CSV) or its first row (JSON Lines).
// `notice` is set when the columns feed the features by position.
Result<ChunkLayout> layoutFor(const BatchOptions &options, const ChunkReader &reader, const std::optional<InputChunk> &first,
                              const RowValidator &validator, const QString &inputName, QString &notice)
{
    ChunkLayout layout{options.input, options.output, reader.delimiter(), reader.columnNames(), {}, options.explainer, false};
    if (options.input == RowFormat::Csv) {
        Result<ColumnBinding> bound = validator.bindColumns(reader.columnNames());
        if (!bound)
            return Error::invalid(QStringLiteral("%1: %2").arg(inputName, bound.error().message));
        layout.featureColumns = std::move(bound.value().positions);
        notice = bound.value().notice;
    } else {
        layout.delimiter = options.csv.delimiter ? options.csv.delimiter : ',';
        if (first)
            layout.columns = jsonColumns(*first, validator);
    }
    return layout;
}

// Adds a scored chunk to the summary and hands it to the sink.
std::optional<Error> deliver(ScoredChunk &done, BatchSink &sink, BatchSummary &summary)
{
    if (done.error)
        return done.error;
    ++summary.chunks;
    summary.rowsScored += done.scored;
    summary.rowsRejected += done.rejected;
    summary.unknownCategories += done.unknownCategories;
    summary.positionalRows += done.positionalRows;
    summary.largestChunkRows = std::max(summary.largestChunkRows, done.scored + done.rejected);
    return sink.write(done);
}

} // namespace

BatchScorer::BatchScorer(const Pipeline &pipeline, BatchOptions options) : mPipeline(pipeline), mOptions(std::move(options))
{
}

Result<BatchSummary> BatchScorer::run(QIODevice &input, const QString &inputName, QIODevice &output, QIODevice *rejects,
                                      ProgressSink &progress) const
{
    DeviceSink sink(output, rejects, mOptions.rejectsHeader);
    return run(input, inputName, sink, progress);
}

Result<BatchSummary> BatchScorer::run(QIODevice &input, const QString &inputName, BatchSink &sink, ProgressSink &progress) const
{
    QElapsedTimer timer;
    timer.start();
    if (!mPipeline.isFitted())
        return Error::invalid(QStringLiteral("the pipeline is not fitted"));
    ChunkReader reader(input, inputName, mOptions.input, mOptions.chunkBytes);
    if (auto error = reader.open(mOptions.csv))
        return *error;
    const RowValidator validator(mPipeline, ValueSyntax(reader.decimal(), mOptions.csv.missingTokens()),
                                 mOptions.positionalFeatures);
    Result<std::optional<InputChunk>> first = reader.next();
    if (!first)
        return first.error();
    QString notice;
    Result<ChunkLayout> layout = layoutFor(mOptions, reader, first.value(), validator, inputName, notice);
    if (!layout)
        return layout.error();
    layout.value().table = sink.takesTable();
    if (layout.value().table && (mOptions.input != RowFormat::Csv || mOptions.explainer))
        return Error::invalid(QStringLiteral("%1: a table of scored rows needs CSV input and no explanations").arg(inputName));
    const ChunkScorer scorer(mPipeline, validator, std::move(layout).value());
    if (auto error = sink.begin(scorer))
        return *error;

    BatchSummary summary;
    const std::size_t threads = std::size_t(mOptions.threads > 0 ? mOptions.threads : workerCount());
    ChunkWorkers workers(threads, scorer);
    std::deque<std::future<ScoredChunk>> inFlight;
    std::optional<InputChunk> pending = std::move(first).value();
    std::optional<Error> failure;
    // Takes the oldest chunk's result and writes it: output order is input order.
    auto finishOldest = [&]() {
        ScoredChunk done = inFlight.front().get();
        inFlight.pop_front();
        if (!failure)
            failure = deliver(done, sink, summary);
    };
    // A file's size is known; a pipe's is not, and then only cancellation is polled.
    const qint64 inputSize = input.isSequential() ? 0 : input.size();
    while (pending && !failure) {
        summary.bytesRead += pending->bytes.size();
        if (inputSize > 0)
            progress.setProgress(std::min(1.0, double(summary.bytesRead) / double(inputSize)), QStringLiteral("Scoring rows"));
        inFlight.push_back(workers.submit(std::move(*pending)));
        if (inFlight.size() > threads)
            finishOldest();
        if (progress.isCancelled()) {
            failure = Error::cancelled();
            break;
        }
        Result<std::optional<InputChunk>> next = reader.next();
        if (!next) {
            failure = next.error();
            break;
        }
        pending = std::move(next).value();
    }
    while (!inFlight.empty())
        finishOldest();
    if (!failure)
        failure = sink.finish();
    if (failure)
        return *failure;
    summary.notice = notice;
    if (summary.positionalRows > 0)
        summary.notice = validator.positionalNotice(
            QStringLiteral("the keys of %1 row(s) in their order").arg(summary.positionalRows));
    summary.seconds = double(timer.nsecsElapsed()) * 1e-9;
    return summary;
}

} // namespace plumb
