// The data-reading options every command shares (--decimal, --na-values, --no-default-na) on files
// as R writes them (tests/data/golden/rformats, made by make_files.R): what plumb profile reports,
// and that a model trained on a decimal-comma file scores a decimal-comma file as it scores the
// same data written with decimal points.
#include "plumbprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace plumb::test;
using namespace Qt::StringLiterals;

namespace {

const QString kRFormats = QStringLiteral(PLUMB_SOURCE_DIR "/tests/data/golden/rformats/");

QJsonObject column(const QJsonObject &report, const QString &name)
{
    for (const QJsonValue &value : report.value(u"columns"_s).toArray())
        if (value.toObject().value(u"name"_s).toString() == name)
            return value.toObject();
    return {};
}

} // namespace

class TestCliCsv : public QObject
{
    Q_OBJECT

private slots:
    void profileReportsHowTheFileWasRead_data();
    void profileReportsHowTheFileWasRead();
    void badOptionValues_data();
    void badOptionValues();
    void decimalCommaTrainAndPredict();

private:
    QTemporaryDir mDir;
};

void TestCliCsv::profileReportsHowTheFileWasRead_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("decimal");
    QTest::addColumn<QString>("column"); // a column to check
    QTest::addColumn<QString>("type"); // its type
    QTest::addColumn<int>("unique"); // its distinct values (R's table(): mtcars wt has 29, survey Exer 3)
    QTest::addColumn<QString>("headline"); // in the table's first line
    QTest::addColumn<QString>("warning"); // on standard error ("" = no warning there)

    QTest::newRow("write-csv2-sniffed") << QStringList{} << u"mtcars_csv2.csv"_s << u","_s << u"wt"_s << u"float"_s << 29
                                        << u"decimal ',' (sniffed)"_s << QString();
    QTest::newRow("decimal-override") << QStringList{u"--decimal"_s, u"."_s} << u"mtcars_csv2.csv"_s << u"."_s << u"wt"_s
                                      << u"categorical"_s << 29 << u"decimal '.' (given)"_s << QString();
    QTest::newRow("write-csv") << QStringList{} << u"mtcars_csv.csv"_s << u"."_s << u"Unnamed: 0"_s << u"categorical"_s << 32
                               << u"decimal '.' (the ',' delimiter rules out ',')"_s << QString();
    QTest::newRow("survey-defaults") << QStringList{} << u"survey.csv"_s << u"."_s << u"Exer"_s << u"categorical"_s << 2
                                     << u"missing: the default tokens"_s
                                     << u"column 'Exer': 'None' was read as missing in 24 of 237 rows"_s;
    QTest::newRow("na-token-none-kept-with-no-default-na")
        << QStringList{u"--no-default-na"_s, u"--na-values"_s, u"NA"_s} << u"survey.csv"_s << u"."_s << u"Exer"_s
        << u"categorical"_s << 3 << u"missing: empty fields and 'NA'"_s << QString();
}

void TestCliCsv::profileReportsHowTheFileWasRead()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, file);
    QFETCH(QString, decimal);
    QFETCH(QString, column);
    QFETCH(QString, type);
    QFETCH(int, unique);
    QFETCH(QString, headline);
    QFETCH(QString, warning);

    const Run table = runPlumb(QStringList{u"profile"_s, kRFormats + file} + arguments);
    QCOMPARE(table.exitCode, 0);
    QVERIFY2(table.out.section(u'\n', 0, 0).contains(headline), qPrintable(table.out.section(u'\n', 0, 0)));
    if (warning.isEmpty())
        QVERIFY2(!table.err.contains(u"looks like a category"_s), qPrintable(table.err));
    else
        QVERIFY2(table.err.contains(warning), qPrintable(table.err));

    const Run json = runPlumb(QStringList{u"profile"_s, u"--json"_s, kRFormats + file} + arguments);
    QCOMPARE(json.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(report.value(u"dialect"_s).toObject().value(u"decimal"_s).toString(), decimal);
    const QJsonObject profile = ::column(report, column);
    QCOMPARE(profile.value(u"type"_s).toString(), type);
    QCOMPARE(profile.value(u"unique"_s).toInt(), unique);
    // R's row names are an id, never a feature.
    QCOMPARE(report.value(u"columns"_s).toArray().at(0).toObject().value(u"role"_s).toString(), u"id"_s);
}

void TestCliCsv::badOptionValues_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("decimal-letter") << QStringList{u"--decimal"_s, u"x"_s} << u"--decimal takes '.' or ',', not 'x'"_s;
    QTest::newRow("decimal-two-chars") << QStringList{u"--decimal"_s, u".,"_s} << u"--decimal takes '.' or ',', not '.,'"_s;
}

void TestCliCsv::badOptionValues()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run run = runPlumb(QStringList{u"profile"_s, kRFormats + u"mtcars_csv.csv"_s} + arguments);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

// mtcars written by write.csv2 and by write.csv holds the same numbers: a linear regression of mpg
// trained on either file predicts the same values for either file.
void TestCliCsv::decimalCommaTrainAndPredict()
{
    QVERIFY(mDir.isValid());
    QStringList predictions;
    for (const QString &file : {u"mtcars_csv.csv"_s, u"mtcars_csv2.csv"_s}) {
        const QString model = mDir.filePath(file + u".plumb"_s);
        const Run train = runPlumb(
            {u"train"_s, kRFormats + file, u"--target"_s, u"mpg"_s, u"--model"_s, u"linear_regression"_s, u"-o"_s, model});
        QVERIFY2(train.exitCode == 0, qPrintable(train.out + train.err));
        const Run predict = runPlumb({u"predict"_s, model, kRFormats + u"mtcars_csv2.csv"_s});
        QVERIFY2(predict.exitCode == 0, qPrintable(predict.err));
        QStringList column;
        const QStringList lines = predict.out.trimmed().split(u'\n');
        QCOMPARE(lines.size(), 33);
        QVERIFY2(lines[0].endsWith(u";prediction"_s), qPrintable(lines[0]));
        for (const QString &line : lines.mid(1))
            column.append(line.section(u';', -1));
        predictions.append(column.join(u' '));
        QVERIFY2(predict.err.contains(u"32 rows scored, 0 rejected"_s), qPrintable(predict.err));
    }
    QCOMPARE(predictions[1], predictions[0]);
}

QTEST_GUILESS_MAIN(TestCliCsv)
#include "tst_clicsv.moc"
