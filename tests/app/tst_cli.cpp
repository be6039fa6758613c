// The plumb command line as a user runs it: exit codes, messages and output of each command.
#include "plumbprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace plumb::test;

namespace {

// The words of `text` as inspect writes them: split at white space and the punctuation that
// separates its values ("alpha=1, fit_intercept=true (intact); 2026-01-02T03:04:05.678Z").
QStringList words(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,;:=()]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

// Every key, text and number in `value`, and the length of every array (the text prints counts:
// "3 categories", "12 globals").
void collect(const QJsonValue &value, QSet<QString> &texts, QList<double> &numbers)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            for (const QString &word : words(it.key()))
                texts.insert(word);
            collect(it.value(), texts, numbers);
        }
    } else if (value.isArray()) {
        numbers.append(double(value.toArray().size()));
        for (const QJsonValue &item : value.toArray())
            collect(item, texts, numbers);
    } else if (value.isString()) {
        for (const QString &word : words(value.toString()))
            texts.insert(word);
    } else if (value.isDouble()) {
        numbers.append(value.toDouble());
    } else if (value.isBool()) {
        texts.insert(value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
    }
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exitCodesAndMessages_data();
    void exitCodesAndMessages();
    void profileTable();
    void profileJson();
    void profileRolesAndTypes();
    void trainInspectPredictVerify();
    void trainErrors_data();
    void trainErrors();
    void inspectJsonHoldsTheText_data();
    void inspectJsonHoldsTheText();
    void trainOutput_data();
    void trainOutput();
    void verifyRefusesDamage_data();
    void verifyRefusesDamage();

private:
    QString writeFile(const QString &name, const QByteArray &content);
    QTemporaryDir mDir;
};

void TestCli::initTestCase()
{
    QVERIFY(mDir.isValid());
    writeFile(QStringLiteral("good.csv"), "id,age,city,score\n1,34,Oslo,0.5\n2,41,Bergen,NA\n3,29,Oslo,1.25\n");
    writeFile(QStringLiteral("ragged.csv"), "a,b,c\n1,2,3\n4,5\n");
    writeFile(QStringLiteral("empty.csv"), "");
    // A small, learnable classification table: y is "yes" when x1 + x2 is large (by construction).
    QByteArray table = "x1,x2,colour,y\n";
    for (int i = 0; i < 200; ++i) {
        const double x1 = (i * 37 % 101) / 10.0, x2 = (i * 53 % 97) / 10.0;
        const char *colour = i % 3 == 0 ? "red" : (i % 3 == 1 ? "green" : "blue");
        table += QByteArray::number(x1) + ',' + QByteArray::number(x2) + ',' + colour + ','
            + ((x1 + x2 > 10.0) != (i % 17 == 0) ? "yes" : "no") + '\n';
    }
    writeFile(QStringLiteral("train.csv"), table);
    writeFile(QStringLiteral("score.csv"), "x1,x2,colour\n1.5,2.5,red\n9.5,8.0,purple\n");
}

QString TestCli::writeFile(const QString &name, const QByteArray &content)
{
    QFile file(mDir.filePath(name));
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(content);
    return file.fileName();
}

void TestCli::exitCodesAndMessages_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("expectedText"); // in stdout or stderr

    const auto path = [this](const char *name) { return mDir.filePath(QLatin1String(name)); };
    QTest::newRow("no-arguments") << QStringList{} << 2 << QStringLiteral("usage: plumb <command>");
    QTest::newRow("help") << QStringList{QStringLiteral("--help")} << 0 << QStringLiteral("profile");
    QTest::newRow("version") << QStringList{QStringLiteral("--version")} << 0 << QStringLiteral("plumb ");
    QTest::newRow("unknown-command") << QStringList{QStringLiteral("frobnicate")} << 2
                                     << QStringLiteral("unknown command 'frobnicate'");
    QTest::newRow("profile-help") << QStringList{QStringLiteral("profile"), QStringLiteral("--help")} << 0
                                  << QStringLiteral("--skip-bad-rows");
    QTest::newRow("profile-no-file") << QStringList{QStringLiteral("profile")} << 2
                                     << QStringLiteral("plumb profile: expected 1 argument(s), got 0");
    QTest::newRow("profile-unknown-option") << QStringList{QStringLiteral("profile"), QStringLiteral("--bogus")} << 2
                                            << QStringLiteral("bogus");
    QTest::newRow("missing-file") << QStringList{QStringLiteral("profile"), path("nope.csv")} << 1
                                  << QStringLiteral("cannot open");
    QTest::newRow("empty-file") << QStringList{QStringLiteral("profile"), path("empty.csv")} << 1
                                << QStringLiteral("empty.csv is empty");
    QTest::newRow("ragged-row") << QStringList{QStringLiteral("profile"), path("ragged.csv")} << 1
                                << QStringLiteral("ragged.csv, line 3: 2 fields, but the header has 3");
    QTest::newRow("ragged-row-skipped") << QStringList{QStringLiteral("profile"), QStringLiteral("--skip-bad-rows"),
                                                       path("ragged.csv")}
                                        << 0 << QStringLiteral("skipped 1 row(s) with the wrong number of fields (lines 3)");
    QTest::newRow("bad-type") << QStringList{QStringLiteral("profile"), QStringLiteral("--type"), QStringLiteral("age=number"),
                                             path("good.csv")}
                              << 2 << QStringLiteral("--type takes COLUMN=TYPE");
    QTest::newRow("type-of-unknown-column") << QStringList{QStringLiteral("profile"), QStringLiteral("--type"),
                                                           QStringLiteral("height=float"), path("good.csv")}
                                            << 1 << QStringLiteral("no column named 'height'");
    QTest::newRow("role-of-unknown-column") << QStringList{QStringLiteral("profile"), QStringLiteral("--role"),
                                                           QStringLiteral("height=target"), path("good.csv")}
                                            << 2 << QStringLiteral("no column of the data: 'height'");
    QTest::newRow("bad-delimiter") << QStringList{QStringLiteral("profile"), QStringLiteral("--delimiter"), QStringLiteral("ab"),
                                                  path("good.csv")}
                                   << 2 << QStringLiteral("--delimiter takes one ASCII character");
    // Names typed wrong get the close ones (train.csv has x1, x2, colour, y; good.csv id, age, city, score).
    const auto train = [this](const QStringList &extra) {
        return QStringList{QStringLiteral("train"),   mDir.filePath(QStringLiteral("train.csv")),
                           QStringLiteral("-o"),      mDir.filePath(QStringLiteral("never.plumb")),
                           QStringLiteral("--model"), QStringLiteral("logistic_regression")}
        + extra;
    };
    const QString good = path("good.csv");
    QTest::newRow("train-target-case") << train({QStringLiteral("--target"), QStringLiteral("Y")}) << 1
                                       << QStringLiteral("no target column named 'Y' in the data; close names: y");
    QTest::newRow("train-feature-typo") << train(
        {QStringLiteral("--target"), QStringLiteral("y"), QStringLiteral("--features"), QStringLiteral("x1,colr")})
                                        << 1 << QStringLiteral("no column named 'colr' in the data; close names: colour");
    QTest::newRow("train-feature-two-close")
        << train({QStringLiteral("--target"), QStringLiteral("y"), QStringLiteral("--features"), QStringLiteral("x3")}) << 1
        << QStringLiteral("no column named 'x3' in the data; close names: x1, x2");
    QTest::newRow("train-target-nothing-close") << train({QStringLiteral("--target"), QStringLiteral("churned")}) << 1
                                                << QStringLiteral("no target column named 'churned' in the data\n");
    QTest::newRow("type-typo") << QStringList{QStringLiteral("profile"), QStringLiteral("--type"),
                                              QStringLiteral("Age=categorical"), good}
                               << 1 << QStringLiteral("no column named 'Age' (given a type); close names: age");
    QTest::newRow("role-typo") << QStringList{QStringLiteral("profile"), QStringLiteral("--role"), QStringLiteral("scor=target"),
                                              good}
                               << 2 << QStringLiteral("--role names no column of the data: 'scor'; close names: score");
}

void TestCli::exitCodesAndMessages()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, expectedText);
    const Run run = runPlumb(arguments);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.out.contains(expectedText) || run.err.contains(expectedText),
             qPrintable(QStringLiteral("stdout: %1\nstderr: %2").arg(run.out, run.err)));
}

void TestCli::profileTable()
{
    const Run run = runPlumb({QStringLiteral("profile"), mDir.filePath(QStringLiteral("good.csv"))});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(QLatin1String("3 rows x 4 columns")));
    // One table row per column, with the inferred type and default role.
    const QStringList lines = run.out.split(QLatin1Char('\n'));
    const auto lineOf = [&](const QString &start) {
        for (const QString &line : lines)
            if (line.startsWith(start + QLatin1Char(' ')))
                return line;
        return QString();
    };
    QVERIFY(lineOf(QStringLiteral("id")).contains(QLatin1String("integer")));
    QVERIFY(lineOf(QStringLiteral("id")).contains(QLatin1String(" id ")));
    QVERIFY(lineOf(QStringLiteral("city")).contains(QLatin1String("categorical")));
    QVERIFY(lineOf(QStringLiteral("city")).contains(QLatin1String("Oslo (2)")));
    QVERIFY(lineOf(QStringLiteral("score")).contains(QLatin1String("33.3%")));
}

void TestCli::profileJson()
{
    const Run run = runPlumb({QStringLiteral("profile"), QStringLiteral("--json"), mDir.filePath(QStringLiteral("good.csv"))});
    QCOMPARE(run.exitCode, 0);
    QJsonParseError error;
    const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(report.value(QLatin1String("rows")).toInt(), 3);
    const QJsonArray columns = report.value(QLatin1String("columns")).toArray();
    QCOMPARE(columns.size(), 4);
    const QJsonObject age = columns.at(1).toObject();
    QCOMPARE(age.value(QLatin1String("name")).toString(), QStringLiteral("age"));
    // mean of 34, 41, 29 by hand: 104 / 3
    QCOMPARE(age.value(QLatin1String("mean")).toDouble(), 104.0 / 3.0);
    QCOMPARE(age.value(QLatin1String("min")).toDouble(), 29.0);
    const QJsonObject score = columns.at(3).toObject();
    QCOMPARE(score.value(QLatin1String("missing")).toInt(), 1);
    QCOMPARE(columns.at(2).toObject().value(QLatin1String("mean")).type(), QJsonValue::Null);
}

void TestCli::profileRolesAndTypes()
{
    const Run run = runPlumb({QStringLiteral("profile"), QStringLiteral("--json"), QStringLiteral("--role"),
                              QStringLiteral("score=target"), QStringLiteral("--type"), QStringLiteral("age=categorical"),
                              mDir.filePath(QStringLiteral("good.csv"))});
    QCOMPARE(run.exitCode, 0);
    const QJsonArray columns = QJsonDocument::fromJson(run.out.toUtf8()).object().value(QLatin1String("columns")).toArray();
    QCOMPARE(columns.at(3).toObject().value(QLatin1String("role")).toString(), QStringLiteral("target"));
    QCOMPARE(columns.at(1).toObject().value(QLatin1String("type")).toString(), QStringLiteral("categorical"));
    QCOMPARE(columns.at(1).toObject().value(QLatin1String("unique")).toInt(), 3);
}

void TestCli::trainInspectPredictVerify()
{
    const QString model = mDir.filePath(QStringLiteral("model.plumb"));
    const Run train = runPlumb({QStringLiteral("train"), mDir.filePath(QStringLiteral("train.csv")), QStringLiteral("--target"),
                                QStringLiteral("y"), QStringLiteral("--model"), QStringLiteral("logistic_regression"),
                                QStringLiteral("-o"), model, QStringLiteral("--validation"), QStringLiteral("kfold:4"),
                                QStringLiteral("--set"), QStringLiteral("C=10"), QStringLiteral("--tag"),
                                QStringLiteral("test")});
    QCOMPARE(train.exitCode, 0);
    QVERIFY2(train.out.contains(QLatin1String("trained logistic_regression on 200 rows")), qPrintable(train.out + train.err));
    QVERIFY(train.out.contains(QLatin1String("roc_auc")));
    QVERIFY(train.out.contains(QLatin1String("saved ")));

    const Run again = runPlumb({QStringLiteral("train"), mDir.filePath(QStringLiteral("train.csv")), QStringLiteral("--target"),
                                QStringLiteral("y"), QStringLiteral("--model"), QStringLiteral("ridge"), QStringLiteral("-o"),
                                model});
    QCOMPARE(again.exitCode, 1); // never overwrites without --force
    QVERIFY(again.err.contains(QLatin1String("exists")));

    const Run inspect = runPlumb({QStringLiteral("inspect"), model});
    QCOMPARE(inspect.exitCode, 0);
    QVERIFY(inspect.out.contains(QLatin1String("C=10")));
    QVERIFY(inspect.out.contains(QLatin1String("classification: no, yes")));
    QVERIFY(inspect.out.contains(QLatin1String("one_hot_encoder")));
    QVERIFY(inspect.out.contains(QLatin1String("training.csv")) || inspect.out.contains(QLatin1String("train.csv")));

    const Run predict = runPlumb({QStringLiteral("predict"), model, mDir.filePath(QStringLiteral("score.csv"))});
    QCOMPARE(predict.exitCode, 0);
    const QStringList lines = predict.out.trimmed().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QStringLiteral("x1,x2,colour,prediction,proba:no,proba:yes"));
    // x1 + x2 = 4 is far below the boundary at 10 and 17.5 far above it (see the table's construction).
    QVERIFY(lines[1].startsWith(QLatin1String("1.5,2.5,red,no,")));
    // Input records are echoed as written ("8.0" stays "8.0").
    QVERIFY(lines[2].startsWith(QLatin1String("9.5,8.0,purple,yes,")));
    QVERIFY(predict.err.contains(QLatin1String("1 value(s) were categories the model never saw")));

    const Run verify = runPlumb({QStringLiteral("verify"), model});
    QCOMPARE(verify.exitCode, 0);
    QVERIFY(verify.out.contains(QLatin1String("intact")));
}

void TestCli::trainErrors_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown-model") << QStringList{QStringLiteral("--model"), QStringLiteral("forest"), QStringLiteral("--target"),
                                                  QStringLiteral("y")}
                                   << 1 << QStringLiteral("unknown model 'forest'");
    QTest::newRow("unknown-target") << QStringList{QStringLiteral("--model"), QStringLiteral("ridge"), QStringLiteral("--target"),
                                                   QStringLiteral("z")}
                                    << 1 << QStringLiteral("no target column named 'z'");
    QTest::newRow("regression-on-text") << QStringList{QStringLiteral("--model"), QStringLiteral("ridge"),
                                                       QStringLiteral("--target"), QStringLiteral("y")}
                                        << 1 << QStringLiteral("ridge predicts numbers, but the target 'y' is categorical");
    QTest::newRow("bad-parameter") << QStringList{QStringLiteral("--model"),  QStringLiteral("logistic_regression"),
                                                  QStringLiteral("--target"), QStringLiteral("y"),
                                                  QStringLiteral("--set"),    QStringLiteral("C=-1")}
                                   << 1 << QStringLiteral("parameter 'C': -1 is outside (0, inf)");
    QTest::newRow("unknown-parameter") << QStringList{QStringLiteral("--model"),  QStringLiteral("ridge"),
                                                      QStringLiteral("--target"), QStringLiteral("x1"),
                                                      QStringLiteral("--set"),    QStringLiteral("depth=3")}
                                       << 1 << QStringLiteral("no parameter named 'depth'");
    QTest::newRow("bad-validation") << QStringList{QStringLiteral("--model"),      QStringLiteral("ridge"),
                                                   QStringLiteral("--target"),     QStringLiteral("x1"),
                                                   QStringLiteral("--validation"), QStringLiteral("kfold:1")}
                                    << 2 << QStringLiteral("kfold:K (2 <= K <= 100)");
    QTest::newRow("missing-model-option") << QStringList{QStringLiteral("--target"), QStringLiteral("y")} << 2
                                          << QStringLiteral("--model and -o are required");
    // Without --target the last column, y (text), is the target: a regression-only model says so.
    QTest::newRow("default-target-is-text") << QStringList{QStringLiteral("--model"), QStringLiteral("ridge")} << 1
                                            << QStringLiteral("ridge predicts numbers, but the target 'y' is categorical");
    QTest::newRow("task-flag-conflict-refused")
        << QStringList{QStringLiteral("--model"),  QStringLiteral("linear_regression"),
                       QStringLiteral("--target"), QStringLiteral("x1"),
                       QStringLiteral("--task"),   QStringLiteral("classification")}
        << 1
        << QStringLiteral("linear_regression does regression only; for classification use logistic_regression, knn, gaussian_nb");
    QTest::newRow("task-flag-conflict-refused-logistic")
        << QStringList{QStringLiteral("--model"),  QStringLiteral("logistic_regression"),
                       QStringLiteral("--target"), QStringLiteral("y"),
                       QStringLiteral("--task"),   QStringLiteral("regression")}
        << 1 << QStringLiteral("logistic_regression does classification only; for regression use linear_regression, ridge");
}

void TestCli::trainErrors()
{
    QFETCH(QStringList, extra);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run run = runPlumb(QStringList{QStringLiteral("train"), mDir.filePath(QStringLiteral("train.csv")),
                                         QStringLiteral("-o"), mDir.filePath(QStringLiteral("never.plumb"))}
                             + extra);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY(!QFile::exists(mDir.filePath(QStringLiteral("never.plumb"))));
}

void TestCli::inspectJsonHoldsTheText_data()
{
    QTest::addColumn<QStringList>("make"); // the plumb command that writes model.plumb (its path appended)
    const QString train = mDir.filePath(QStringLiteral("train.csv"));
    const auto trained = [&](const char *model, const char *target, const QStringList &extra = {}) {
        return QStringList{QStringLiteral("train"),    train,
                           QStringLiteral("--model"),  QLatin1String(model),
                           QStringLiteral("--target"), QLatin1String(target),
                           QStringLiteral("--force"),  QStringLiteral("-o")}
        + extra;
    };
    // Classifiers on y, regressors on x1 (numeric: regression), one of every kind.
    for (const char *model : {"logistic_regression", "decision_tree", "random_forest", "gradient_boosting", "knn", "gaussian_nb"})
        QTest::newRow(model) << trained(model, "y");
    for (const char *model : {"linear_regression", "ridge", "lasso", "elastic_net"})
        QTest::newRow(model) << trained(model, "x1");
    QTest::newRow("tagged-kfold") << QStringList{QStringLiteral("train"),        train,
                                                 QStringLiteral("--model"),      QStringLiteral("ridge"),
                                                 QStringLiteral("--target"),     QStringLiteral("x1"),
                                                 QStringLiteral("--validation"), QStringLiteral("kfold:3"),
                                                 QStringLiteral("--tag"),        QStringLiteral("first"),
                                                 QStringLiteral("--tag"),        QStringLiteral("second"),
                                                 QStringLiteral("--name"),       QStringLiteral("named"),
                                                 QStringLiteral("--force"),      QStringLiteral("-o")};
    QTest::newRow("imported") << QStringList{
        QStringLiteral("import-sklearn"),
        QStringLiteral(PLUMB_SOURCE_DIR "/tests/interop/fixtures/mixed_pipeline_logistic.zlib.joblib"), QStringLiteral("--force"),
        QStringLiteral("-o")};
}

void TestCli::inspectJsonHoldsTheText()
{
    QFETCH(QStringList, make);
    const QString model = mDir.filePath(QStringLiteral("inspected.plumb"));
    const Run made = runPlumb(make << model);
    QVERIFY2(made.exitCode == 0, qPrintable(made.err));
    const Run text = runPlumb({QStringLiteral("inspect"), model});
    const Run json = runPlumb({QStringLiteral("inspect"), model, QStringLiteral("--json")});
    QCOMPARE(text.exitCode, 0);
    QCOMPARE(json.exitCode, 0);
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(json.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    // What the text says in the structure a script reads.
    QVERIFY(!object.value(QLatin1String("kind")).toString().isEmpty());
    QVERIFY(text.out.contains(QStringLiteral("\nkind    %1\n").arg(object.value(QLatin1String("kind")).toString())));
    QVERIFY(!object.value(QLatin1String("features")).toArray().isEmpty());
    QVERIFY(object.value(QLatin1String("pipeline"))
                .toObject()
                .value(QLatin1String("model"))
                .toObject()
                .contains(QLatin1String("params")));
    QSet<QString> texts;
    QList<double> numbers;
    collect(object, texts, numbers);
    // The text's labels, which name a value rather than hold one.
    static const QSet<QString> labels{
        QStringLiteral("model"),          QStringLiteral("description"), QStringLiteral("tags"),     QStringLiteral("author"),
        QStringLiteral("created"),        QStringLiteral("file"),        QStringLiteral("sha256"),   QStringLiteral("digest"),
        QStringLiteral("intact"),         QStringLiteral("signature"),   QStringLiteral("software"), QStringLiteral("training"),
        QStringLiteral("data"),           QStringLiteral("rows"),        QStringLiteral("columns"),  QStringLiteral("validation"),
        QStringLiteral("seed"),           QStringLiteral("fit"),         QStringLiteral("s"),        QStringLiteral("imported"),
        QStringLiteral("from"),           QStringLiteral("globals"),     QStringLiteral("objects"),  QStringLiteral("converted"),
        QStringLiteral("lineage"),        QStringLiteral("parent"),      QStringLiteral("kind"),     QStringLiteral("target"),
        QStringLiteral("classification"), QStringLiteral("regression"),  QStringLiteral("features"), QStringLiteral("range"),
        QStringLiteral("unknown"),        QStringLiteral("categories"),  QStringLiteral(".."),       QStringLiteral("pipeline"),
        QStringLiteral("permutation"),    QStringLiteral("importance"),  QStringLiteral("drop"),     QStringLiteral("in"),
        QStringLiteral("when"),           QStringLiteral("the"),         QStringLiteral("feature"),  QStringLiteral("is"),
        QStringLiteral("shuffled"),       QStringLiteral("+-"),          QStringLiteral("not"),      QStringLiteral("defined")};
    QStringList missing;
    for (const QString &word : words(text.out)) {
        if (labels.contains(word) || texts.contains(word))
            continue;
        bool isNumber = false;
        const double value = word.toDouble(&isNumber);
        // Printed with 6 decimals or 6 significant digits: equal within that rounding.
        if (isNumber && std::any_of(numbers.begin(), numbers.end(), [&](double n) {
                return std::abs(n - value) <= 1e-6 + 1e-5 * std::abs(n);
            }))
            continue;
        missing.append(word);
    }
    QVERIFY2(
        missing.isEmpty(),
        qPrintable(QStringLiteral("in the text but not the JSON: %1\n%2").arg(missing.join(QLatin1String(" | ")), text.out)));
}

void TestCli::trainOutput_data()
{
    QTest::addColumn<QString>("file"); // in tests/reference/datasets, or this suite's folder
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QStringList>("shown"); // lines (or parts) the output holds
    QTest::addColumn<QStringList>("notShown"); // text it must not hold
    const QString forest = QStringLiteral("random_forest");
    QTest::newRow("integer-labels-multiclass-random-forest")
        << "mtcars.csv" << QStringList{QStringLiteral("--target"), QStringLiteral("carb"), QStringLiteral("--model"), forest}
        << QStringList{QStringLiteral(
                           "task: classification (target 'carb' holds 6 integer values; pass --task regression to override)\n"),
                       QStringLiteral("accuracy")}
        << QStringList{QStringLiteral("r2")};
    QTest::newRow("integer-labels-multiclass-gradient-boosting")
        << "mtcars.csv"
        << QStringList{QStringLiteral("--target"), QStringLiteral("carb"), QStringLiteral("--model"),
                       QStringLiteral("gradient_boosting")}
        << QStringList{QStringLiteral("task: classification (target 'carb'"), QStringLiteral("accuracy")}
        << QStringList{QStringLiteral("r2")};
    QTest::newRow("float-target-regression")
        << "mtcars.csv" << QStringList{QStringLiteral("--target"), QStringLiteral("mpg"), QStringLiteral("--model"), forest}
        << QStringList{QStringLiteral(
                           "task: regression (target 'mpg' holds numbers that are not whole; pass --task classification to override)"),
                       QStringLiteral("r2")}
        << QStringList{QStringLiteral("accuracy")};
    QTest::newRow("many-integers-regression")
        << "airquality.csv" << QStringList{QStringLiteral("--target"), QStringLiteral("Ozone"), QStringLiteral("--model"), forest}
        << QStringList{QStringLiteral("task: regression (target 'Ozone' holds 67 distinct integers in 116 rows")}
        << QStringList{};
    QTest::newRow("task-flag-honoured") << "mtcars.csv" << QStringList{QStringLiteral("--target"), QStringLiteral("carb"),
                                                                       QStringLiteral("--model"),  forest,
                                                                       QStringLiteral("--task"),   QStringLiteral("regression")}
                                        << QStringList{QStringLiteral("task: regression (chosen with --task)"),
                                                       QStringLiteral("r2")}
                                        << QStringList{};
    QTest::newRow("default-target-last-column")
        << "mtcars.csv" << QStringList{QStringLiteral("--model"), forest}
        << QStringList{QStringLiteral("target: carb (the last column; pass --target to choose another)")} << QStringList{};
    // Trees are grown, not iterated; the solver of a logistic regression iterates.
    QTest::newRow("no-iterations-for-trees")
        << "mtcars.csv" << QStringList{QStringLiteral("--target"), QStringLiteral("am"), QStringLiteral("--model"), forest}
        << QStringList{QStringLiteral("trained random_forest on 32 rows in ")} << QStringList{QStringLiteral("iterations")};
    QTest::newRow("iterations-for-solvers") << "mtcars.csv"
                                            << QStringList{QStringLiteral("--target"), QStringLiteral("am"),
                                                           QStringLiteral("--model"), QStringLiteral("logistic_regression")}
                                            << QStringList{QStringLiteral(" iterations, converged)")} << QStringList{};
    // The longest name sets the width of the importance column.
    QTest::newRow("long-feature-names") << "long-names.csv"
                                        << QStringList{QStringLiteral("--target"), QStringLiteral("y"), QStringLiteral("--model"),
                                                       QStringLiteral("ridge")}
                                        << QStringList{QStringLiteral("  mean concave points of the cell nuclei    "),
                                                       QStringLiteral("  b                                                0 +- ")}
                                        << QStringList{QStringLiteral("-0.000000")};
    // 300 cities, more than the 255 category codes gradient boosting splits: the rarest share one.
    QTest::newRow("gb-300-categories") << "wide.csv"
                                       << QStringList{QStringLiteral("--target"), QStringLiteral("y"), QStringLiteral("--model"),
                                                      QStringLiteral("gradient_boosting")}
                                       << QStringList{QStringLiteral("task: classification (target 'y' holds text"),
                                                      QStringLiteral("  city  ")}
                                       << QStringList{};
    // birthwt 'ftv' holds 0 in 100 of 189 rows: a percentage error is undefined there.
    QTest::newRow("mape-with-zero-target") << "birthwt.csv"
                                           << QStringList{QStringLiteral("--target"), QStringLiteral("ftv"),
                                                          QStringLiteral("--model"), QStringLiteral("ridge")}
                                           << QStringList{QStringLiteral("mape  not shown: the target is 0 in ")}
                                           << QStringList{};
}

void TestCli::trainOutput()
{
    QFETCH(QString, file);
    QFETCH(QStringList, extra);
    QFETCH(QStringList, shown);
    QFETCH(QStringList, notShown);
    QByteArray longNames = "mean concave points of the cell nuclei,b,y\n";
    // y follows the long-named column; b is unrelated to it, and ridge's importance for b is
    // -2.4e-07 (plumb inspect --json on this table), which six decimals would show as -0.000000.
    for (int i = 0; i < 60; ++i)
        longNames += QByteArray::number(i % 13) + ',' + QByteArray::number(i * 7 % 5) + ','
            + QByteArray::number(2.0 * (i % 13) + 0.5) + '\n';
    writeFile(QStringLiteral("long-names.csv"), longNames);
    QByteArray wide = "x,city,y\n";
    for (int i = 0; i < 900; ++i) // y follows the city's number; cities past c019 are rare
        wide += QByteArray::number(i % 17) + ",c" + QByteArray::number(i < 300 ? i % 20 : i % 300) + ','
            + (i % 2 ? "odd" : "even") + '\n';
    writeFile(QStringLiteral("wide.csv"), wide);
    const QString path = QFile::exists(mDir.filePath(file))
        ? mDir.filePath(file)
        : QStringLiteral(PLUMB_SOURCE_DIR "/tests/reference/datasets/") + file;
    const QString model = mDir.filePath(QStringLiteral("output.plumb"));
    const Run run = runPlumb(QStringList{QStringLiteral("train"), path, QStringLiteral("-o"), model, QStringLiteral("--force")}
                             + extra);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    for (const QString &text : shown)
        QVERIFY2(run.out.contains(text), qPrintable(QStringLiteral("no \"%1\" in:\n%2").arg(text, run.out)));
    for (const QString &text : notShown)
        QVERIFY2(!run.out.contains(text), qPrintable(QStringLiteral("\"%1\" in:\n%2").arg(text, run.out)));
}

void TestCli::verifyRefusesDamage_data()
{
    QTest::addColumn<int>("offset"); // byte to flip; -1 appends a byte, -2 truncates
    QTest::addColumn<QString>("message");
    QTest::newRow("flipped-manifest-byte") << 100 << QStringLiteral("does not match its SHA-256 digest");
    QTest::newRow("flipped-last-byte") << -3 << QStringLiteral("does not match its SHA-256 digest");
    QTest::newRow("appended-byte") << -1 << QStringLiteral("truncated or has bytes appended");
    QTest::newRow("truncated") << -2 << QStringLiteral("truncated or has bytes appended");
    QTest::newRow("not-a-model") << -4 << QStringLiteral("is not a Plumb model file");
}

void TestCli::verifyRefusesDamage()
{
    QFETCH(int, offset);
    QFETCH(QString, message);
    const QString model = mDir.filePath(QStringLiteral("damage-source.plumb"));
    if (!QFile::exists(model))
        QCOMPARE(runPlumb({QStringLiteral("train"), mDir.filePath(QStringLiteral("train.csv")), QStringLiteral("--target"),
                           QStringLiteral("x1"), QStringLiteral("--model"), QStringLiteral("ridge"), QStringLiteral("-o"), model})
                     .exitCode,
                 0);
    QFile source(model);
    QVERIFY(source.open(QIODevice::ReadOnly));
    QByteArray bytes = source.readAll();
    if (offset >= 0)
        bytes[offset] = char(bytes[offset] ^ 0x01);
    else if (offset == -1)
        bytes.append('x');
    else if (offset == -2)
        bytes.chop(1);
    else if (offset == -3)
        bytes[bytes.size() - 1] = char(bytes[bytes.size() - 1] ^ 0x01);
    else
        bytes = "id,x\n1,2\n";
    const QString damaged = writeFile(QStringLiteral("damaged.plumb"), bytes);
    const Run verify = runPlumb({QStringLiteral("verify"), damaged});
    QCOMPARE(verify.exitCode, 3);
    QVERIFY2(verify.err.contains(message), qPrintable(verify.err));
    const Run predict = runPlumb({QStringLiteral("predict"), damaged, mDir.filePath(QStringLiteral("score.csv"))});
    QCOMPARE(predict.exitCode, 3);
    QVERIFY(predict.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
