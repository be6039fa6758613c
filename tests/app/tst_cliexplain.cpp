// plumb explain as a user runs it: an XGBoost model imported with plumb import-xgboost and a tree
// trained with plumb train are explained row by row, and each row's base + SHAP values gives back
// what plumb predict says for it (softmax of the logits, the sigmoid of the log-odds, the tree's
// probability); standard input and -o work as for predict; a model kind without an exact
// explanation is refused with the reason.
#include "artifacttestutil.h"
#include "plumbprocess.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace plumb::test;

namespace {

const QString kFixtures = QStringLiteral(PLUMB_SOURCE_DIR "/tests/interop/fixtures/xgboost/");

// CSV text as header + rows of numbers (the fixtures and Plumb's output have no quoted fields;
// an empty field is NaN, a text field such as a colour 0: only numeric columns are read).
struct Table
{
    QStringList header;
    QList<std::vector<double>> rows;
    qsizetype column(const QString &name) const { return header.indexOf(name); }
};

Table readTable(const QString &text)
{
    Table table;
    const QStringList lines = text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.isEmpty())
        return table;
    table.header = lines.first().split(QLatin1Char(','));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        std::vector<double> row;
        for (const QString &field : lines[i].split(QLatin1Char(',')))
            row.push_back(field.isEmpty() ? std::nan("") : field.toDouble());
        table.rows.append(row);
    }
    return table;
}

// base + the row's SHAP values for the output whose columns end in `suffix` ("" or "@k").
double total(const Table &table, qsizetype row, const QString &suffix)
{
    double sum = 0;
    for (qsizetype c = 0; c < table.header.size(); ++c)
        if (table.header[c].startsWith(QLatin1String("shap:")) && table.header[c].endsWith(suffix)
            && (suffix.isEmpty() ? !table.header[c].contains(QLatin1Char('@')) : true))
            sum += table.rows[row][std::size_t(c)];
    return sum;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

} // namespace

class TestCliExplain : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void multiclassLogitsGiveBackTheProbabilities();
    void binaryLogOddsFromStandardInputToAFile();
    void treeProbabilities();
    void logisticAgainstTheTrainingMeans();
    void refusedModelKind();
    void oldBoostingFileSaysWhatItCanGive();

private:
    QTemporaryDir mDir;
};

void TestCliExplain::initTestCase()
{
    QVERIFY(mDir.isValid());
    QByteArray csv = "x1,x2,colour,y\n";
    for (int i = 0; i < 200; ++i) {
        const double x1 = i % 10, x2 = (i * 7) % 11;
        const char *colour = i % 3 == 0 ? "red" : i % 3 == 1 ? "green" : "blue";
        csv += QByteArray::number(x1) + ',' + QByteArray::number(x2) + ',' + colour + ',' + (x1 + x2 > 10 ? "yes" : "no") + '\n';
    }
    writeFile(mDir.filePath(QStringLiteral("train.csv")), csv);
}

// multi_softprob (iris, 4 features, 3 classes): columns shap:f_k@class and shap:base@class per
// class; softmax of each row's three totals is predict's proba:<class> (within 1e-9: both print
// shortest round-trip doubles).
void TestCliExplain::multiclassLogitsGiveBackTheProbabilities()
{
    const QString model = mDir.filePath(QStringLiteral("iris.plumb"));
    const Run import = runPlumb(
        {QStringLiteral("import-xgboost"), kFixtures + QStringLiteral("multi_softprob.ubj"), QStringLiteral("-o"), model});
    QVERIFY2(import.exitCode == 0, qPrintable(import.err));
    const QString inputs = kFixtures + QStringLiteral("multi_softprob.inputs.csv");
    const Run explain = runPlumb({QStringLiteral("explain"), model, inputs});
    QVERIFY2(explain.exitCode == 0, qPrintable(explain.err));
    QVERIFY2(explain.err.contains(QLatin1String("exact TreeSHAP of the logit of '0', logit of '1', logit of '2'")),
             qPrintable(explain.err));
    const Run predict = runPlumb({QStringLiteral("predict"), model, inputs});
    QCOMPARE(predict.exitCode, 0);
    const Table shap = readTable(explain.out), scored = readTable(predict.out);
    QCOMPARE(shap.header.mid(0, 9),
             (QStringList{QStringLiteral("f_0"), QStringLiteral("f_1"), QStringLiteral("f_2"), QStringLiteral("f_3"),
                          QStringLiteral("shap:f_0@0"), QStringLiteral("shap:f_1@0"), QStringLiteral("shap:f_2@0"),
                          QStringLiteral("shap:f_3@0"), QStringLiteral("shap:base@0")}));
    QCOMPARE(shap.header.size(), 4 + 3 * 5);
    QCOMPARE(shap.rows.size(), 150);
    QCOMPARE(scored.rows.size(), 150);
    for (qsizetype r = 0; r < shap.rows.size(); ++r) {
        double logits[3], sum = 0;
        for (int k = 0; k < 3; ++k)
            sum += std::exp(logits[k] = total(shap, r, QStringLiteral("@%1").arg(k)));
        for (int k = 0; k < 3; ++k) {
            const double proba = scored.rows[r][std::size_t(scored.column(QStringLiteral("proba:%1").arg(k)))];
            QVERIFY2(std::abs(std::exp(logits[k]) / sum - proba) < 1e-9,
                     qPrintable(QStringLiteral("row %1, class %2").arg(r).arg(k)));
        }
    }
}

// binary_logistic_missing (30 positional features, a fifth missing) from standard input to -o:
// one output, the log-odds of '1', whose sigmoid is predict's proba:1.
void TestCliExplain::binaryLogOddsFromStandardInputToAFile()
{
    const QString model = mDir.filePath(QStringLiteral("binary.plumb"));
    const Run import = runPlumb({QStringLiteral("import-xgboost"), kFixtures + QStringLiteral("binary_logistic_missing.ubj"),
                                 QStringLiteral("-o"), model});
    QVERIFY2(import.exitCode == 0, qPrintable(import.err));
    const QString inputs = kFixtures + QStringLiteral("binary_logistic_missing.inputs.csv");
    const QString output = mDir.filePath(QStringLiteral("explained.csv"));
    QProcess process;
    process.setStandardInputFile(inputs);
    process.start(QStringLiteral(PLUMB_CLI_PATH),
                  {QStringLiteral("explain"), model, QStringLiteral("-"), QStringLiteral("-o"), output});
    QVERIFY(process.waitForFinished(120000));
    const QByteArray err = process.readAllStandardError();
    QVERIFY2(process.exitCode() == 0, err.constData());
    QVERIFY2(err.contains("exact TreeSHAP of the log-odds of '1'"), err.constData());
    QFile file(output);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const Table shap = readTable(QString::fromUtf8(file.readAll()));
    QVERIFY(shap.header.contains(QStringLiteral("shap:x29")));
    QVERIFY(shap.header.contains(QStringLiteral("shap:base")));
    const Run predict = runPlumb({QStringLiteral("predict"), model, inputs});
    QCOMPARE(predict.exitCode, 0);
    const Table scored = readTable(predict.out);
    QCOMPARE(shap.rows.size(), scored.rows.size());
    QVERIFY(shap.rows.size() > 500);
    for (qsizetype r = 0; r < shap.rows.size(); ++r) {
        const double p = 1 / (1 + std::exp(-total(shap, r, QString())));
        QVERIFY2(std::abs(p - scored.rows[r][std::size_t(scored.column(QStringLiteral("proba:1")))]) < 1e-9,
                 qPrintable(QString::number(r)));
    }
}

// A decision tree trained by plumb train: the two classes' explanation is the probability of 'yes',
// and base + values is predict's proba:yes; colour's one-hot columns are summed into shap:colour.
void TestCliExplain::treeProbabilities()
{
    const QString model = mDir.filePath(QStringLiteral("tree.plumb"));
    const QString data = mDir.filePath(QStringLiteral("train.csv"));
    const Run train = runPlumb({QStringLiteral("train"), data, QStringLiteral("--target"), QStringLiteral("y"),
                                QStringLiteral("--model"), QStringLiteral("decision_tree"), QStringLiteral("-o"), model});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    const Run explain = runPlumb({QStringLiteral("explain"), model, data});
    QVERIFY2(explain.exitCode == 0, qPrintable(explain.err));
    QVERIFY(explain.err.contains(QLatin1String("probability of 'yes'")));
    const Run predict = runPlumb({QStringLiteral("predict"), model, data});
    const Table shap = readTable(explain.out);
    QCOMPARE(shap.header.mid(4),
             (QStringList{QStringLiteral("shap:x1"), QStringLiteral("shap:x2"), QStringLiteral("shap:colour"),
                          QStringLiteral("shap:base")}));
    const Table scored = readTable(predict.out);
    QCOMPARE(shap.rows.size(), 200);
    for (qsizetype r = 0; r < shap.rows.size(); ++r)
        QVERIFY2(std::abs(total(shap, r, QString()) - scored.rows[r][std::size_t(scored.column(QStringLiteral("proba:yes")))])
                     < 1e-9,
                 qPrintable(QString::number(r)));
}

// Logistic regression: linear SHAP against the training means the model file's profile gives;
// base + values is the log-odds of 'yes', whose sigmoid is predict's proba:yes, and the base is the
// same on every row.
void TestCliExplain::logisticAgainstTheTrainingMeans()
{
    const QString model = mDir.filePath(QStringLiteral("logistic.plumb"));
    const QString data = mDir.filePath(QStringLiteral("train.csv"));
    const Run train = runPlumb({QStringLiteral("train"), data, QStringLiteral("--target"), QStringLiteral("y"),
                                QStringLiteral("--model"), QStringLiteral("logistic_regression"), QStringLiteral("-o"), model});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    const Run explain = runPlumb({QStringLiteral("explain"), model, data});
    QVERIFY2(explain.exitCode == 0, qPrintable(explain.err));
    QVERIFY2(explain.err.contains(QLatin1String("linear SHAP of the log-odds of 'yes'")), qPrintable(explain.err));
    const Run predict = runPlumb({QStringLiteral("predict"), model, data});
    QCOMPARE(predict.exitCode, 0);
    const Table shap = readTable(explain.out), scored = readTable(predict.out);
    QCOMPARE(shap.rows.size(), 200);
    const qsizetype base = shap.column(QStringLiteral("shap:base"));
    QVERIFY(base > 0);
    for (qsizetype r = 0; r < shap.rows.size(); ++r) {
        QCOMPARE(shap.rows[r][std::size_t(base)], shap.rows[0][std::size_t(base)]);
        const double p = 1 / (1 + std::exp(-total(shap, r, QString())));
        QVERIFY2(std::abs(p - scored.rows[r][std::size_t(scored.column(QStringLiteral("proba:yes")))]) < 1e-9,
                 qPrintable(QString::number(r)));
    }
}

void TestCliExplain::refusedModelKind()
{
    const QString model = mDir.filePath(QStringLiteral("knn.plumb"));
    const QString data = mDir.filePath(QStringLiteral("train.csv"));
    const Run train = runPlumb({QStringLiteral("train"), data, QStringLiteral("--target"), QStringLiteral("y"),
                                QStringLiteral("--model"), QStringLiteral("knn"), QStringLiteral("-o"), model});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    const Run explain = runPlumb({QStringLiteral("explain"), model, data});
    QCOMPARE(explain.exitCode, 1);
    QVERIFY(explain.out.isEmpty());
    QVERIFY2(explain.err.contains(QLatin1String("plumb explain: SHAP values are not available for knn models")),
             qPrintable(explain.err));
}

// A boosting file saved before node covers were stored: explain refuses, saying a file saved by
// this version is needed and that the file's permutation importance is there (plumb train
// measures it by default); inspect says the same where the SHAP ranking would be.
void TestCliExplain::oldBoostingFileSaysWhatItCanGive()
{
    const QString fresh = mDir.filePath(QStringLiteral("boosting.plumb")),
                  old = mDir.filePath(QStringLiteral("boosting-old.plumb"));
    const QString data = mDir.filePath(QStringLiteral("train.csv"));
    const Run train = runPlumb({QStringLiteral("train"), data, QStringLiteral("--target"), QStringLiteral("y"),
                                QStringLiteral("--model"), QStringLiteral("gradient_boosting"), QStringLiteral("-o"), fresh});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    QVERIFY2(train.out.contains(QLatin1String("mean |SHAP| (log-odds of")), qPrintable(train.out));
    QFile in(fresh);
    QVERIFY(in.open(QIODevice::ReadOnly));
    writeFile(old, plumb::testutil::withoutNodeCovers(in.readAll()));
    const Run explain = runPlumb({QStringLiteral("explain"), old, data});
    QCOMPARE(explain.exitCode, 1);
    QVERIFY(explain.out.isEmpty());
    for (const char *expected : {"plumb explain: SHAP values need each tree node's training cover",
                                 "saved by an earlier version of Plumb. Train the model again with this version",
                                 "The permutation importance stored in the model file is available instead"})
        QVERIFY2(explain.err.contains(QLatin1String(expected)), qPrintable(explain.err));
    const Run inspect = runPlumb({QStringLiteral("inspect"), old});
    QCOMPARE(inspect.exitCode, 0);
    QVERIFY2(inspect.out.contains(QLatin1String("saved by an earlier version of Plumb")), qPrintable(inspect.out));
    QVERIFY2(!inspect.out.contains(QLatin1String("mean |SHAP|")), qPrintable(inspect.out));
}

QTEST_GUILESS_MAIN(TestCliExplain)
#include "tst_cliexplain.moc"
