#include "ui/train/runhistoryfile.h"

#include "learn/model.h"
#include "learn/targetinference.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cmath>
#include <limits>

namespace plumb::ui {

namespace {

QJsonArray pairs(const std::vector<std::pair<QString, QString>> &values)
{
    QJsonArray array;
    for (const auto &[name, value] : values)
        array.append(QJsonArray{name, value});
    return array;
}

QJsonObject runToJson(const TrainingRun &run, const QString &data, const QString &savedAs)
{
    QStringList features = run.spec.features;
    if (run.modelKept) {
        features.clear();
        for (const FeatureSpec &feature : run.outcome.pipeline.features())
            features.append(feature.name);
    }
    QJsonArray metrics;
    for (const auto &[name, value] : run.outcome.validation.metrics)
        metrics.append(QJsonArray{name, std::isfinite(value) ? QJsonValue(value) : QJsonValue()});
    const PreprocessingChoices &choices = run.spec.preprocessing;
    return QJsonObject{
        {QStringLiteral("number"), run.number},
        {QStringLiteral("data"), data},
        {QStringLiteral("model"), run.spec.modelKind},
        {QStringLiteral("target"), run.spec.target},
        {QStringLiteral("features"), QJsonArray::fromStringList(features)},
        {QStringLiteral("parameters"), pairs(run.spec.parameters)},
        {QStringLiteral("preprocessing"),
         QJsonObject{{QStringLiteral("numeric_imputer"), choices.numericImputer},
                     {QStringLiteral("numeric_scaler"), choices.numericScaler},
                     {QStringLiteral("categorical_imputer"), choices.categoricalImputer},
                     {QStringLiteral("categorical_encoder"), choices.categoricalEncoder}}},
        {QStringLiteral("validation"), run.spec.validation.toString()},
        // A seed past 2^53 would lose digits as a JSON number.
        {QStringLiteral("seed"), QString::number(run.spec.seed)},
        {QStringLiteral("importance"), run.spec.importance},
        {QStringLiteral("task"), taskName(run.outcome.validation.task)},
        {QStringLiteral("metrics"), metrics},
        {QStringLiteral("fit_seconds"), run.outcome.fitSeconds},
        {QStringLiteral("training_rows"), double(run.outcome.trainingRows)},
        {QStringLiteral("saved_as"), savedAs},
    };
}

// Reads one run's fields, each checked for its type; the first problem names the run and field.
class RunReader
{
public:
    RunReader(const QJsonObject &json, QString where) : mJson(json), mWhere(std::move(where)) { }

    QString string(const char *field)
    {
        const QJsonValue value = mJson.value(QLatin1String(field));
        if (!value.isString())
            fail(field, "a string");
        return value.toString();
    }
    double number(const char *field)
    {
        const QJsonValue value = mJson.value(QLatin1String(field));
        if (!value.isDouble())
            fail(field, "a number");
        return value.toDouble();
    }
    bool boolean(const char *field)
    {
        const QJsonValue value = mJson.value(QLatin1String(field));
        if (!value.isBool())
            fail(field, "true or false");
        return value.toBool();
    }
    QJsonArray array(const char *field)
    {
        const QJsonValue value = mJson.value(QLatin1String(field));
        if (!value.isArray())
            fail(field, "an array");
        return value.toArray();
    }
    QJsonObject object(const char *field)
    {
        const QJsonValue value = mJson.value(QLatin1String(field));
        if (!value.isObject())
            fail(field, "an object");
        return value.toObject();
    }
    // A [name, value] pair of an array field.
    QJsonArray pair(const QJsonValue &value, const char *field)
    {
        const QJsonArray array = value.toArray();
        if (array.size() != 2 || !array[0].isString())
            fail(field, "a list of [name, value] pairs");
        return array;
    }
    void fail(const char *field, const char *wanted)
    {
        if (mProblem.isEmpty())
            mProblem = QStringLiteral("%1: \"%2\" must be %3").arg(mWhere, QLatin1String(field), QLatin1String(wanted));
    }
    const QString &problem() const { return mProblem; }

private:
    QJsonObject mJson;
    QString mWhere;
    QString mProblem;
};

Result<KeptRun> runFromJson(const QJsonObject &json, const QString &where, const QDir &root)
{
    RunReader reader(json, where);
    const int number = int(reader.number("number"));
    TrainingSpec spec;
    spec.modelKind = reader.string("model");
    spec.target = reader.string("target");
    for (const QJsonValue &feature : reader.array("features"))
        spec.features.append(feature.toString());
    for (const QJsonValue &value : reader.array("parameters")) {
        const QJsonArray pair = reader.pair(value, "parameters");
        spec.parameters.emplace_back(pair[0].toString(), pair[1].toString());
    }
    const QJsonObject choices = reader.object("preprocessing");
    spec.preprocessing.numericImputer = choices.value(QStringLiteral("numeric_imputer")).toString();
    spec.preprocessing.numericScaler = choices.value(QStringLiteral("numeric_scaler")).toString();
    spec.preprocessing.categoricalImputer = choices.value(QStringLiteral("categorical_imputer")).toString();
    spec.preprocessing.categoricalEncoder = choices.value(QStringLiteral("categorical_encoder")).toString();
    const QString validation = reader.string("validation");
    bool seedOk = false;
    spec.seed = reader.string("seed").toULongLong(&seedOk);
    spec.importance = reader.boolean("importance");
    const QString taskText = reader.string("task");
    Evaluation evaluation;
    for (const QJsonValue &value : reader.array("metrics")) {
        const QJsonArray pair = reader.pair(value, "metrics");
        evaluation.metrics.emplace_back(pair[0].toString(),
                                        pair[1].isDouble() ? pair[1].toDouble() : std::numeric_limits<double>::quiet_NaN());
    }
    const double fitSeconds = reader.number("fit_seconds");
    const double trainingRows = reader.number("training_rows");
    const QString savedAs = reader.string("saved_as");
    if (!reader.problem().isEmpty())
        return Error::invalid(reader.problem());
    if (!seedOk)
        return Error::invalid(QStringLiteral("%1: \"seed\" is not a whole number").arg(where));
    if (taskText != taskName(Task::Classification) && taskText != taskName(Task::Regression))
        return Error::invalid(QStringLiteral("%1: \"task\" is \"%2\", not classification or regression").arg(where, taskText));
    evaluation.task = taskText == taskName(Task::Classification) ? Task::Classification : Task::Regression;
    Result<ValidationScheme> scheme = ValidationScheme::parse(validation);
    if (!scheme)
        return Error::invalid(QStringLiteral("%1: \"validation\": %2").arg(where, scheme.error().message));
    spec.validation = scheme.value();
    // The run's model is not kept: an unfitted one of its kind stands in, so the run is whole.
    std::unique_ptr<Model> model = createModel(spec.modelKind, evaluation.task);
    if (!model)
        return Error::invalid(QStringLiteral("%1: \"model\" is \"%2\", not a kind of model this Plumb trains for %3")
                                  .arg(where, spec.modelKind, taskText));
    const Task task = evaluation.task;
    auto run = std::make_shared<const TrainingRun>(TrainingRun{
        .number = number,
        .spec = std::move(spec),
        .outcome = TrainingOutcome{.pipeline = Pipeline(ColumnRouter(), std::move(model)),
                                   .validation = std::move(evaluation),
                                   .foldMetrics = {},
                                   .importance = {},
                                   .shap = {},
                                   .fitReport = {},
                                   .task = TaskChoice{.task = task, .reason = {}, .inferred = false},
                                   .fitSeconds = fitSeconds,
                                   .trainingRows = std::size_t(std::max(0.0, trainingRows))},
        .metadata = {},
        .profile = {},
        .modelKept = false,
    });
    return KeptRun{run, savedAs.isEmpty() ? QString() : QDir::cleanPath(root.absoluteFilePath(savedAs))};
}

} // namespace

RunHistoryFile::RunHistoryFile(const QString &workspaceRoot) : mRoot(workspaceRoot)
{
}

QString RunHistoryFile::path() const
{
    return QDir(mRoot).filePath(QString::fromLatin1(kFileName));
}

QString RunHistoryFile::relative(const QString &path) const
{
    return path.isEmpty() ? QString() : QDir(mRoot).relativeFilePath(path);
}

Result<std::vector<KeptRun>> RunHistoryFile::read(const QString &dataPath)
{
    mOtherRuns = {};
    QFile file(path());
    if (!file.exists())
        return std::vector<KeptRun>{};
    const QString name = QString::fromLatin1(kFileName);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1: %2").arg(path(), file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::invalid(
            QStringLiteral("%1 is not JSON: %2 at byte %3").arg(name, parseError.errorString()).arg(parseError.offset));
    const QJsonObject root = document.object();
    const QJsonValue format = root.value(QStringLiteral("format"));
    if (!format.isDouble())
        return Error::invalid(QStringLiteral("%1: \"format\" must be a number").arg(name));
    if (format.toInt() > kFormat)
        return Error::invalid(
            QStringLiteral("%1 is format %2; this Plumb reads format %3 and older").arg(name).arg(format.toInt()).arg(kFormat));
    if (!root.value(QStringLiteral("runs")).isArray())
        return Error::invalid(QStringLiteral("%1: \"runs\" must be an array").arg(name));
    const QString data = relative(dataPath);
    std::vector<KeptRun> runs;
    QJsonArray others;
    const QJsonArray entries = root.value(QStringLiteral("runs")).toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject entry = entries[i].toObject();
        if (entry.value(QStringLiteral("data")).toString() != data) {
            others.append(entry);
            continue;
        }
        Result<KeptRun> run = runFromJson(entry, QStringLiteral("%1, run %2").arg(name).arg(i + 1), QDir(mRoot));
        if (!run)
            return run.error();
        runs.push_back(std::move(run).value());
    }
    mOtherRuns = others;
    return runs;
}

std::optional<Error> RunHistoryFile::write(const QString &dataPath, const std::vector<std::shared_ptr<const TrainingRun>> &runs,
                                           const QHash<int, QString> &savedAs) const
{
    QJsonArray entries = mOtherRuns;
    for (const auto &run : runs)
        entries.append(runToJson(*run, relative(dataPath), relative(savedAs.value(run->number))));
    const QJsonObject root{{QStringLiteral("format"), kFormat}, {QStringLiteral("runs"), entries}};
    QSaveFile file(path());
    const QByteArray bytes = QJsonDocument(root).toJson();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path(), file.errorString()));
    return std::nullopt;
}

} // namespace plumb::ui
