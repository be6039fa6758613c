// The golden readers give back exactly the doubles the generator wrote: golden/reader_roundtrip.*
// hold hard cases (subnormals, the largest double, -0, 0.30000000000000004, 1e23) written as the
// goldens write every number (repr in CSV, json in JSON) beside Python's float.hex() of the same
// double, which is parsed here independently with std::from_chars. The one exception: JSON
// loses the sign of a zero.

#include "../data/datatestutil.h" // fromPythonHex
#include "goldenreader.h"

#include <QTest>

#include <bit>
#include <charconv>
#include <cmath>

using namespace Qt::StringLiterals;

namespace plumb::test {

namespace {

QString bits(double value)
{
    return u"%1 (0x%2)"_s.arg(value, 0, 'g', 17).arg(std::bit_cast<quint64>(value), 16, 16, QLatin1Char('0'));
}

} // namespace

class TestGoldenReader : public QObject
{
    Q_OBJECT

private slots:
    void csvNumbersAreExact();
    void jsonNumbersAreExact();
    void nullAndEmptyAreNaN();
    void shapes();
    void quotedCsvFields();
    void problemsAreReported_data();
    void problemsAreReported();
};

void TestGoldenReader::csvNumbersAreExact()
{
    GoldenTable table = GoldenTable::load(goldenPath(u"reader_roundtrip.csv"_s));
    const Eigen::VectorXd values = table.numbers(u"value"_s);
    const QStringList hex = table.text(u"hex"_s);
    QVERIFY2(table.problems().isEmpty(), qPrintable(table.problems().join(u'\n')));
    QVERIFY(values.size() >= 20);
    for (Eigen::Index i = 0; i < values.size(); ++i) {
        const std::optional<double> expected = fromPythonHex(hex[i].toLatin1());
        QVERIFY2(expected, qPrintable(hex[i]));
        QVERIFY2(std::bit_cast<quint64>(values[i]) == std::bit_cast<quint64>(*expected),
                 qPrintable(u"line %1: read %2, float.hex says %3"_s.arg(i + 2).arg(bits(values[i]), bits(*expected))));
    }
}

void TestGoldenReader::jsonNumbersAreExact()
{
    GoldenCase golden = GoldenCase::load(goldenPath(u"reader_roundtrip.json"_s));
    const Eigen::VectorXd values = golden.vector(u"expected.values"_s);
    const QStringList hex = golden.strings(u"expected.hex"_s);
    QVERIFY2(golden.problems().isEmpty(), qPrintable(golden.problems().join(u'\n')));
    QCOMPARE(values.size(), hex.size());
    QVERIFY(values.size() >= 20);
    for (Eigen::Index i = 0; i < values.size(); ++i) {
        const std::optional<double> expected = fromPythonHex(hex[i].toLatin1());
        QVERIFY2(expected, qPrintable(hex[i]));
        // QJsonDocument keeps an integral number as an integer, so -0.0 reads as +0.0: the sign
        // of a zero is the one thing the JSON goldens do not carry (the CSV ones do).
        const bool same = *expected == 0 ? values[i] == 0
                                         : std::bit_cast<quint64>(values[i]) == std::bit_cast<quint64>(*expected);
        QVERIFY2(same, qPrintable(u"element %1: read %2, float.hex says %3"_s.arg(i).arg(bits(values[i]), bits(*expected))));
    }
}

void TestGoldenReader::nullAndEmptyAreNaN()
{
    GoldenCase golden = GoldenCase::load(goldenPath(u"reader_roundtrip.json"_s));
    const Eigen::VectorXd withMissing = golden.vector(u"expected.with_missing"_s);
    QVERIFY2(golden.problems().isEmpty(), qPrintable(golden.problems().join(u'\n')));
    QCOMPARE(withMissing.size(), 3);
    QCOMPARE(withMissing[0], 1.5);
    QVERIFY(std::isnan(withMissing[1]));
    QCOMPARE(withMissing[2], -2.0);

    // preprocessing_train.csv line 4 (the third row) has no age: written as an empty field.
    GoldenTable table = GoldenTable::load(goldenPath(u"preprocessing_train.csv"_s));
    const Eigen::VectorXd age = table.numbers(u"age"_s);
    QVERIFY2(table.problems().isEmpty(), qPrintable(table.problems().join(u'\n')));
    QCOMPARE(age.size(), 12);
    QCOMPARE(age[0], 34.0);
    QVERIFY(std::isnan(age[2]));
}

void TestGoldenReader::shapes()
{
    GoldenCase golden = GoldenCase::load(goldenPath(u"reader_roundtrip.json"_s));
    const Eigen::MatrixXd matrix = golden.matrix(u"expected.matrix"_s);
    const QStringList labels = golden.strings(u"expected.labels"_s);
    QVERIFY2(golden.problems().isEmpty(), qPrintable(golden.problems().join(u'\n')));
    QCOMPARE(golden.name(), u"reader_roundtrip"_s);
    QCOMPARE(matrix.rows(), 2);
    QCOMPARE(matrix.cols(), 3);
    QCOMPARE(matrix(1, 0), 4.0); // rows are the inner arrays
    QCOMPARE(labels, (QStringList{u"a"_s, u"b, c"_s, u"d\"e"_s}));
}

void TestGoldenReader::quotedCsvFields()
{
    // The demo copy has quoted fields with commas ("Bank transfer, automatic"); 3000 rows and the
    // demo's 14 columns (make_sklearn_goldens.py copies the first 3000 rows of training.csv).
    GoldenTable table = GoldenTable::load(goldenPath(u"demo_training_head.csv"_s));
    const QStringList payment = table.text(u"payment_method"_s);
    QVERIFY2(table.problems().isEmpty(), qPrintable(table.problems().join(u'\n')));
    QCOMPARE(table.rowCount(), 3000);
    QCOMPARE(table.header().size(), 14);
    QVERIFY(payment.contains(u"Bank transfer, automatic"_s));
    QVERIFY(payment.contains(u"Electronic check"_s));
}

void TestGoldenReader::problemsAreReported_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("problem");

    QTest::newRow("missing-file") << u"no_such_case.json"_s << u"expected.coef"_s << u"cannot open"_s;
    QTest::newRow("missing-key") << u"reader_roundtrip.json"_s << u"expected.coef"_s
                                 << u"reader_roundtrip.json, 'expected.coef': missing"_s;
    QTest::newRow("not-a-number") << u"reader_roundtrip.json"_s << u"expected.labels"_s
                                  << u"reader_roundtrip.json, 'expected.labels': element 0 is not a number"_s;
    QTest::newRow("missing-column") << u"reader_roundtrip.csv"_s << u"weight"_s
                                    << u"reader_roundtrip.csv has no column 'weight'"_s;
    QTest::newRow("text-column-as-numbers")
        << u"reader_roundtrip.csv"_s << u"hex"_s
        << u"reader_roundtrip.csv line 2, column 'hex': '0x1.999999999999ap-4' is not a number"_s;
}

void TestGoldenReader::problemsAreReported()
{
    QFETCH(QString, file);
    QFETCH(QString, path);
    QFETCH(QString, problem);

    QStringList problems;
    if (file.endsWith(u".json"_s)) {
        GoldenCase golden = GoldenCase::load(goldenPath(file));
        golden.vector(path);
        problems = golden.problems();
    } else {
        GoldenTable table = GoldenTable::load(goldenPath(file));
        table.numbers(path);
        problems = table.problems();
    }
    QVERIFY2(!problems.isEmpty(), "no problem reported");
    QVERIFY2(problems.first().startsWith(problem), qPrintable(problems.first()));
}

} // namespace plumb::test

QTEST_GUILESS_MAIN(plumb::test::TestGoldenReader)
#include "tst_goldenreader.moc"
