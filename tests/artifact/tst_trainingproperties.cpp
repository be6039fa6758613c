// Whatever small table training is given, it either refuses with a message or saves a file that
// the real loader opens and that predicts finite values: never a file that does not load, never a
// non-finite number in the metadata. Each row generates a table from its seed with the awkward
// features it names (classes missing from folds, one-row classes, a class only in the last rows,
// constant and all-missing columns, 1e300 and 1e-300 values, integer targets, rows without a
// target) and trains every model kind, for each task it does, under every validation scheme.

#include "artifacttestutil.h"

#include "artifact/modelartifact.h"
#include "artifact/trainedmodel.h"
#include "base/random.h"
#include "learn/trainer.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

// What a generated table holds besides a numeric feature "a", a categorical feature "c" and a
// time column "t" (1, 2, ... in row order).
enum Trait : unsigned {
    OneRowClasses = 1 << 0, // two classes of a single row each
    ClassAtTheEnd = 1 << 1, // a class only in the last three rows (the future of a time split)
    ConstantColumn = 1 << 2, // "k": 7 on every row
    EmptyColumn = 1 << 3, // "e": no value on any row
    HugeValues = 1 << 4, // "h": about ±1e300, and the regression target scaled by 1e300
    TinyValues = 1 << 5, // "s": about ±1e-300
    IntegerTarget = 1 << 6, // the target is 0..3 written as integers (both tasks)
    MissingTargets = 1 << 7, // a quarter of the rows have no target
    TwoClasses = 1 << 8, // the class target has two classes (else three or more)
};

QByteArray generatedCsv(int rows, unsigned traits, std::uint64_t seed)
{
    Random random(seed);
    QStringList header{u"a"_s, u"c"_s, u"t"_s};
    if (traits & ConstantColumn)
        header.append(u"k"_s);
    if (traits & EmptyColumn)
        header.append(u"e"_s);
    if (traits & HugeValues)
        header.append(u"h"_s);
    if (traits & TinyValues)
        header.append(u"s"_s);
    header.append(u"y"_s);
    QByteArray csv = header.join(u',').toUtf8() + '\n';
    const QStringList categories{u"p"_s, u"q"_s, u"r"_s};
    const QStringList classes = traits & TwoClasses ? QStringList{u"no"_s, u"yes"_s} : QStringList{u"x"_s, u"y"_s, u"z"_s};
    for (int row = 0; row < rows; ++row) {
        const double a = random.uniform() * 10 - 5;
        QStringList fields{QString::number(a, 'g', 17), categories[int(random.below(3))], QString::number(row + 1)};
        if (traits & ConstantColumn)
            fields.append(u"7"_s);
        if (traits & EmptyColumn)
            fields.append(QString());
        if (traits & HugeValues)
            fields.append(QString::number((random.uniform() * 2 - 1) * 1e300, 'g', 17));
        if (traits & TinyValues)
            fields.append(QString::number((random.uniform() * 2 - 1) * 1e-300, 'g', 17));
        QString target;
        if (traits & IntegerTarget) {
            target = QString::number(int(random.below(4)));
        } else {
            target = classes[int(random.below(std::uint64_t(classes.size())))];
            if (a > 3 && !(traits & TwoClasses)) // learnable, a little
                target = classes[0];
        }
        if ((traits & OneRowClasses) && row == 1)
            target = u"solo1"_s;
        if ((traits & OneRowClasses) && row == rows / 2)
            target = u"solo2"_s;
        if ((traits & ClassAtTheEnd) && row >= rows - 3)
            target = u"late"_s;
        if ((traits & MissingTargets) && random.below(4) == 0)
            target.clear();
        fields.append(target);
        csv += fields.join(u',').toUtf8() + '\n';
    }
    return csv;
}

// The path of the first null in `json` (what Qt writes for NaN and infinity), except a metric's
// value that says why it is undefined; empty when there is none.
QString firstNull(const QJsonValue &json, const QString &where)
{
    if (json.isNull())
        return where;
    if (json.isArray()) {
        const QJsonArray array = json.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            if (QString found = firstNull(array[i], u"%1[%2]"_s.arg(where).arg(i)); !found.isEmpty())
                return found;
    }
    if (json.isObject()) {
        const QJsonObject object = json.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == u"value"_s && object.contains(u"undefined"_s))
                continue;
            if (QString found = firstNull(it.value(), where + u'.' + it.key()); !found.isEmpty())
                return found;
        }
    }
    return {};
}

} // namespace

class TestTrainingProperties : public QObject
{
    Q_OBJECT

private slots:
    void trainedFilesLoadOrTrainingRefuses_data();
    void trainedFilesLoadOrTrainingRefuses();
};

void TestTrainingProperties::trainedFilesLoadOrTrainingRefuses_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<unsigned>("traits");
    QTest::addColumn<quint64>("seed");

    // Row counts within 10..40; seeds fixed so a failure reproduces.
    QTest::newRow("plain-three-classes") << 24 << 0u << quint64(1);
    QTest::newRow("plain-two-classes") << 20 << unsigned(TwoClasses) << quint64(2);
    QTest::newRow("one-row-classes") << 30 << unsigned(OneRowClasses) << quint64(3);
    QTest::newRow("class-only-in-last-rows") << 25 << unsigned(ClassAtTheEnd) << quint64(4);
    QTest::newRow("constant-and-empty-columns") << 18 << unsigned(ConstantColumn | EmptyColumn) << quint64(5);
    QTest::newRow("huge-values") << 22 << unsigned(HugeValues | TwoClasses) << quint64(6);
    QTest::newRow("tiny-values") << 22 << unsigned(TinyValues) << quint64(7);
    QTest::newRow("integer-target") << 28 << unsigned(IntegerTarget) << quint64(8);
    QTest::newRow("integer-target-huge-and-tiny") << 26 << unsigned(IntegerTarget | HugeValues | TinyValues) << quint64(9);
    QTest::newRow("missing-target-rows") << 32 << unsigned(MissingTargets | OneRowClasses) << quint64(10);
    QTest::newRow("ten-rows-everything") << 10
                                         << unsigned(OneRowClasses | ConstantColumn | EmptyColumn | HugeValues | MissingTargets)
                                         << quint64(11);
    QTest::newRow("forty-rows-everything") << 40
                                           << unsigned(OneRowClasses | ClassAtTheEnd | ConstantColumn | EmptyColumn | TinyValues)
                                           << quint64(12);
}

void TestTrainingProperties::trainedFilesLoadOrTrainingRefuses()
{
    QFETCH(int, rows);
    QFETCH(unsigned, traits);
    QFETCH(quint64, seed);

    Result<Dataset> data = testutil::readCsv(generatedCsv(rows, traits, seed), u"generated.csv"_s);
    QVERIFY2(data.ok(), data.ok() ? "" : qPrintable(data.error().message));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"model.plumb"_s);
    int saved = 0, refused = 0;
    for (const QString &kind : modelKinds()) {
        for (const Task task : {Task::Classification, Task::Regression}) {
            if (!createModel(kind, task) || (task == Task::Regression && !(traits & IntegerTarget)))
                continue;
            for (const QString &scheme : {u"holdout:0.2"_s, u"kfold:3"_s, u"time:t"_s}) {
                const QString what = u"%1, %2, %3"_s.arg(kind, task == Task::Regression ? u"regression"_s : u"classification"_s,
                                                         scheme);
                TrainingSpec spec;
                spec.target = u"y"_s;
                spec.modelKind = kind;
                spec.task = task;
                spec.validation = ValidationScheme::parse(scheme).value();
                spec.seed = seed;
                Result<TrainingOutcome> outcome = trainAndValidate(data.value(), spec);
                if (!outcome) {
                    QVERIFY2(!outcome.error().message.trimmed().isEmpty(), qPrintable(what + u": refused without a message"_s));
                    ++refused;
                    continue;
                }
                const ModelMetadata metadata = trainingMetadata(data.value(), spec, outcome.value());
                const QJsonObject json = metadata.toJson();
                const QString null = firstNull(json, u"metadata"_s);
                QVERIFY2(null.isEmpty(), qPrintable(u"%1: a non-finite number is written at %2"_s.arg(what, null)));
                const std::optional<Error> error = saveModelArtifact(
                    path, outcome.value().pipeline, metadata, referenceProfile(data.value(), outcome.value().pipeline), true);
                QVERIFY2(!error, qPrintable(u"%1: %2"_s.arg(what, error ? error->message : QString())));
                Result<ModelArtifact> loaded = loadModelArtifact(path);
                QVERIFY2(loaded.ok(), qPrintable(u"%1: %2"_s.arg(what, loaded.ok() ? QString() : loaded.error().message)));
                Result<Prediction> prediction = loaded.value().pipeline->predict(data.value());
                QVERIFY2(prediction.ok(),
                         qPrintable(u"%1: %2"_s.arg(what, prediction.ok() ? QString() : prediction.error().message)));
                const bool finite = task == Task::Regression ? prediction.value().values.allFinite()
                                                             : prediction.value().probabilities.allFinite();
                QVERIFY2(finite, qPrintable(what + u": the saved model predicts a non-finite value on a training row"_s));
                ++saved;
            }
        }
    }
    qInfo("%d trainings saved a loadable file, %d refused", saved, refused);
    QVERIFY(saved > 0); // the property says nothing if every training refuses
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestTrainingProperties)
#include "tst_trainingproperties.moc"
