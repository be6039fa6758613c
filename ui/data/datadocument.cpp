#include "ui/data/datadocument.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QPointer>

#include <algorithm>
#include <utility>

namespace plumb::ui {

namespace {

// Share of the progress bar given to reading; profiling takes the rest.
constexpr double kReadShare = 0.85;

// Default roles first, then the source's explicit roles (workspace manifest, user edits),
// in name order so that warnings come out the same every time.
QStringList applyRoles(Dataset &dataset, const DataSource &source)
{
    dataset.assignDefaultRoles();
    QStringList names = source.roles.keys();
    std::sort(names.begin(), names.end());
    QStringList warnings;
    for (const QString &name : names) {
        const ColumnRole role = source.roles.value(name);
        if (const auto index = dataset.indexOf(name)) {
            dataset.column(*index).setRole(role);
            continue;
        }
        warnings.append(QStringLiteral("%1 has no column \"%2\"; its role \"%3\" was not applied")
                            .arg(QFileInfo(source.path).fileName(), name, columnRoleName(role)));
    }
    return warnings;
}

// Runs on a worker thread: owns copies of everything it reads.
std::shared_ptr<Result<LoadedData>> loadInBackground(const DataSource &source, ProgressTracker &progress)
{
    using Outcome = Result<LoadedData>;
    QElapsedTimer timer;
    timer.start();

    ProgressRange readRange(progress, 0.0, kReadShare);
    LoadedData data;
    Result<Dataset> read = CsvReader::readFile(source.path, source.options, readRange, &data.dialect);
    if (!read)
        return std::make_shared<Outcome>(read.error());
    if (progress.isCancelled())
        return std::make_shared<Outcome>(Error::cancelled());
    QStringList warnings = read.warnings();
    data.dataset = std::move(read).value();
    warnings += applyRoles(data.dataset, source);

    ProgressRange profileRange(progress, kReadShare, 1.0);
    Result<std::vector<ColumnProfile>> profiles = profileDataset(data.dataset, profileRange);
    if (!profiles)
        return std::make_shared<Outcome>(profiles.error());
    warnings += profiles.warnings();
    data.profiles = std::move(profiles).value();

    data.elapsedMs = timer.elapsed();

    auto outcome = std::make_shared<Outcome>(std::move(data));
    outcome->setWarnings(warnings);
    return outcome;
}

// Conversions that only relabel stored numbers: every integer is a float, 0/1 are integers.
bool convertsInPlace(ColumnType from, ColumnType to)
{
    const bool toFloat = to == ColumnType::Float && (from == ColumnType::Integer || from == ColumnType::Boolean);
    const bool toInteger = to == ColumnType::Integer && from == ColumnType::Boolean;
    return toFloat || toInteger;
}

} // namespace

DataDocument::DataDocument(QObject *parent) : QObject(parent)
{
}

DataDocument::~DataDocument()
{
    // A load or a profile job is cancelled and waited for as its BackgroundJob goes, before the data.
    // Readers of the dataset in place finish before it goes.
    const auto holds = std::exchange(mHolds, {});
    for (const auto &[id, stop] : holds)
        stop();
}

std::shared_ptr<void> DataDocument::holdDataset(std::function<void()> stop)
{
    if (mJob != Job::None)
        return nullptr;
    const bool wasBusy = isBusy();
    const int id = mNextHold++;
    mHolds.emplace(id, std::move(stop));
    if (!wasBusy)
        emit busyChanged(true);
    // The deleter runs where the holder lets go; a document already gone has nothing to release.
    // The stored pointer only makes the handle non-null; nothing reads through it.
    return std::shared_ptr<void>(static_cast<void *>(this), [document = QPointer<DataDocument>(this), id](void *) {
        if (document)
            document->releaseHold(id);
    });
}

void DataDocument::releaseHold(int id)
{
    if (mHolds.erase(id) == 1 && !isBusy())
        emit busyChanged(false);
}

bool DataDocument::openFile(const QString &path)
{
    if (isBusy())
        return false;
    DataSource source;
    source.path = QFileInfo(path).absoluteFilePath();
    startLoad(std::move(source));
    return true;
}

bool DataDocument::openWorkspace(const QString &directory)
{
    if (isBusy())
        return false;
    Result<Workspace> workspace = Workspace::load(directory);
    if (!workspace) {
        emit loadFailed(workspace.error().message);
        return false;
    }
    DataSource source;
    source.path = workspace.value().trainingPath;
    source.roles = workspace.value().roles;
    if (!workspace.value().target.isEmpty())
        source.roles.insert(workspace.value().target, ColumnRole::Target);
    source.workspace = std::move(workspace).value();
    startLoad(std::move(source));
    return true;
}

bool DataDocument::reloadWith(const CsvOptions &options)
{
    if (isBusy() || !mData)
        return false;
    DataSource source = mSource;
    source.options = options;
    startLoad(std::move(source));
    return true;
}

void DataDocument::cancel()
{
    // Re-profiling a column is short and not cancelled: its profile must arrive.
    mLoading.cancel();
}

std::shared_ptr<const ProgressTracker> DataDocument::progress() const
{
    return mLoading.isRunning() ? mLoading.progress() : mProfiling.progress();
}

const Dataset &DataDocument::dataset() const
{
    static const Dataset empty;
    return mData ? mData->dataset : empty;
}

const ColumnProfile *DataDocument::profile(std::size_t column) const
{
    if (!mData || column >= mData->profiles.size())
        return nullptr;
    return &mData->profiles[column];
}

CsvDialect DataDocument::dialect() const
{
    return mData ? mData->dialect : CsvDialect{};
}

qint64 DataDocument::loadMilliseconds() const
{
    return mData ? mData->elapsedMs : 0;
}

const Workspace *DataDocument::workspace() const
{
    return mSource.workspace ? &*mSource.workspace : nullptr;
}

bool DataDocument::setColumnRole(std::size_t column, ColumnRole role)
{
    if (isBusy() || !mData || column >= mData->dataset.columnCount())
        return false;
    std::vector<Column> &columns = mData->dataset.columns();
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const bool previousTarget = i != column && role == ColumnRole::Target && columns[i].role() == ColumnRole::Target;
        if (i != column && !previousTarget)
            continue;
        const ColumnRole newRole = i == column ? role : ColumnRole::Feature;
        columns[i].setRole(newRole);
        mData->profiles[i].role = newRole;
        mSource.roles.insert(columns[i].name(), newRole);
        emit columnChanged(int(i));
    }
    return true;
}

bool DataDocument::setColumnType(std::size_t column, ColumnType type)
{
    if (isBusy() || !mData || column >= mData->dataset.columnCount())
        return false;
    Column &target = mData->dataset.column(column);
    if (target.type() == type)
        return true;
    if (convertsInPlace(target.type(), type)) {
        target.setNumericType(type);
        mSource.options.typeOverrides.insert(target.name(), type);
        mData->profiles[column].type = type;
        emit columnChanged(int(column));
        mProfiledColumn = column;
        const Column *profiled = &target;
        mProfiling.start([profiled](ProgressTracker &) { return profileColumn(*profiled); },
                         [this](const ColumnProfile &profile) { finishProfile(profile); });
        setJob(Job::Profile);
        return true;
    }
    DataSource source = mSource;
    source.options.typeOverrides.insert(target.name(), type);
    startLoad(std::move(source));
    return true;
}

void DataDocument::startLoad(DataSource source)
{
    mPending = std::move(source);
    mLoading.start([request = mPending](ProgressTracker &progress) { return loadInBackground(request, progress); },
                   [this](const LoadResult &outcome) { finishLoad(outcome); },
                   [this] {
                       // Cancel wins even over a load that completed meanwhile: what the user sees
                       // must match what they asked for.
                       setJob(Job::None);
                       emit loadCancelled();
                   });
    setJob(Job::Load);
    emit loadStarted(mPending.path);
}

void DataDocument::finishLoad(const LoadResult &outcome)
{
    const bool cancelled = !outcome->ok() && outcome->error().isCancelled();
    if (cancelled || !outcome->ok()) {
        setJob(Job::None);
        if (cancelled)
            emit loadCancelled();
        else
            emit loadFailed(outcome->error().message);
        return;
    }
    emit aboutToReplaceDataset();
    mData = std::make_unique<LoadedData>(std::move(outcome->value()));
    mSource = std::move(mPending);
    mPending = {};
    mWarnings = outcome->warnings();
    emit datasetReplaced();
    emit warningsChanged(mWarnings);
    setJob(Job::None);
}

void DataDocument::finishProfile(const ColumnProfile &profile)
{
    if (mData && mProfiledColumn < mData->profiles.size())
        mData->profiles[mProfiledColumn] = profile;
    setJob(Job::None);
    emit columnChanged(int(mProfiledColumn));
}

void DataDocument::setJob(Job job)
{
    const bool wasBusy = isBusy();
    mJob = job;
    if (wasBusy != isBusy())
        emit busyChanged(isBusy());
}

} // namespace plumb::ui
