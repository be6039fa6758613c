// Tests for CsvReader's per-column type inference, missing-value tokens and type overrides.
// Every file has the column under test, "v" (or "speed" for overrides), and a text column "row"
// beside it so that an empty value is a field, not a blank line. Expected numbers are the values
// written in each row; datetimes were converted to epoch seconds with Python's
// datetime.fromisoformat(...).timestamp() (naive times taken as UTC).

#include "data/csvreader.h"
#include "datatestutil.h"

#include <QDate>
#include <QTest>

#include <functional>
#include <limits>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(plumb::ColumnType)

namespace plumb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// "name,row\n" then one line per value: "value,r<i>".
QByteArray twoColumnFile(const QString &name, const QStringList &values)
{
    QByteArray text = name.toUtf8() + ",row\n";
    for (qsizetype i = 0; i < values.size(); ++i)
        text += values[i].toUtf8() + ",r" + QByteArray::number(i) + '\n';
    return text;
}

Result<Dataset> readColumn(const QString &name, const QStringList &values, const QHash<QString, ColumnType> &overrides = {})
{
    CsvOptions options;
    options.header = CsvOptions::Header::Present;
    options.typeOverrides = overrides;
    return CsvReader::readBytes(twoColumnFile(name, values), u"test.csv"_s, options);
}

// `count` whole numbers 0, 1, 2, ... with `late` written in place of value `at`.
void addWideningRow(const char *rowName, int count, int at, const QString &late, double lateValue)
{
    QStringList values;
    QList<double> numbers;
    for (int i = 0; i < count; ++i) {
        values.append(i == at ? late : QString::number(i));
        numbers.append(i == at ? lateValue : double(i));
    }
    QTest::newRow(rowName) << values << ColumnType::Float << numbers;
}

// `count` distinct values made by `value(i)`, with `late` text in place of value `at`.
void addTextWideningRow(const char *rowName, int count, int at, const std::function<QString(int)> &value, const QString &late)
{
    QStringList values;
    QList<int> codes;
    for (int i = 0; i < count; ++i) {
        values.append(i == at ? late : value(i));
        codes.append(i);
    }
    QTest::newRow(rowName) << values << values << codes;
}

} // namespace

class TestCsvInference : public QObject
{
    Q_OBJECT

private slots:
    void infersNumericStorage_data();
    void infersNumericStorage();
    void infersCategorical_data();
    void infersCategorical();
    void appliesNumericOverrides_data();
    void appliesNumericOverrides();
    void appliesCategoricalOverride();
};

void TestCsvInference::infersNumericStorage_data()
{
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<ColumnType>("type");
    QTest::addColumn<QList<double>>("numbers");

    QTest::newRow("float") << QStringList{u"1.5"_s, u"-2.25"_s, u"3e2"_s} << ColumnType::Float << QList<double>{1.5, -2.25, 300};
    QTest::newRow("float-after-integers") << QStringList{u"1"_s, u"2"_s, u"2.5"_s} << ColumnType::Float
                                          << QList<double>{1, 2, 2.5};
    QTest::newRow("integer") << QStringList{u"1"_s, u"-2"_s, u"30"_s} << ColumnType::Integer << QList<double>{1, -2, 30};
    // 2^53 = 9007199254740992 is the largest magnitude column.h allows an Integer.
    QTest::newRow("integer-at-2^53") << QStringList{u"9007199254740992"_s, u"-9007199254740992"_s} << ColumnType::Integer
                                     << QList<double>{9007199254740992.0, -9007199254740992.0};
    // 2^53 + 1 is not a double: it rounds (to even) to 2^53 and the column is Float.
    QTest::newRow("integer-beyond-2^53-is-float")
        << QStringList{u"1"_s, u"9007199254740993"_s} << ColumnType::Float << QList<double>{1, 9007199254740992.0};
    QTest::newRow("boolean") << QStringList{u"true"_s, u"false"_s, u"true"_s} << ColumnType::Boolean << QList<double>{1, 0, 1};
    QTest::newRow("boolean-capitalised") << QStringList{u"True"_s, u"False"_s, u"TRUE"_s, u"FALSE"_s} << ColumnType::Boolean
                                         << QList<double>{1, 0, 1, 0};
    QTest::newRow("boolean-with-missing") << QStringList{u"true"_s, u""_s, u"false"_s} << ColumnType::Boolean
                                          << QList<double>{1, kNaN, 0};

    // Each missing token from csvreader.h in an otherwise Integer column.
    for (const char *token : {"", "NA", "N/A", "NaN", "null", "?", "nan", "NULL", "n/a"}) {
        const QByteArray rowName = "missing-" + (*token ? QByteArray(token) : QByteArray("empty"));
        QTest::newRow(rowName.constData()) << QStringList{u"1"_s, QString::fromLatin1(token), u"3"_s} << ColumnType::Integer
                                           << QList<double>{1, kNaN, 3};
    }
    QTest::newRow("missing-in-float") << QStringList{u"1.5"_s, u"NA"_s} << ColumnType::Float << QList<double>{1.5, kNaN};

    QTest::newRow("datetime-date") << QStringList{u"2024-01-15"_s, u"2024-02-29"_s} << ColumnType::Datetime
                                   << QList<double>{1705276800, 1709164800};
    QTest::newRow("datetime-before-epoch") << QStringList{u"1969-12-31"_s, u"1970-01-01"_s} << ColumnType::Datetime
                                           << QList<double>{-86400, 0};
    QTest::newRow("datetime-T") << QStringList{u"2024-01-15T10:30:00"_s} << ColumnType::Datetime << QList<double>{1705314600};
    QTest::newRow("datetime-space") << QStringList{u"2024-01-15 10:30:00"_s, u"2000-03-01 00:00:01"_s} << ColumnType::Datetime
                                    << QList<double>{1705314600, 951868801};
    QTest::newRow("datetime-Z") << QStringList{u"2024-01-15T10:30:00Z"_s} << ColumnType::Datetime << QList<double>{1705314600};
    QTest::newRow("datetime-offset") << QStringList{u"2024-01-15T12:30:00+02:00"_s, u"2024-01-15T05:00:00-05:30"_s}
                                     << ColumnType::Datetime << QList<double>{1705314600, 1705314600};
    QTest::newRow("datetime-fraction") << QStringList{u"2024-01-15T10:30:00.250"_s} << ColumnType::Datetime
                                       << QList<double>{1705314600.25};
    QTest::newRow("datetime-date-and-timestamp") << QStringList{u"2024-01-15"_s, u"2024-01-15 10:30:00"_s} << ColumnType::Datetime
                                                 << QList<double>{1705276800, 1705314600};
    QTest::newRow("datetime-with-missing") << QStringList{u"2024-01-15"_s, u"NA"_s} << ColumnType::Datetime
                                           << QList<double>{1705276800, kNaN};

    // A fraction after many whole numbers widens Integer to Float: inside the first rows, past
    // the first 4096 records, and past the first megabyte (a later parallel chunk).
    addWideningRow("integer-widens-to-float-at-row-1500", 3000, 1500, u"2.5"_s, 2.5);
    addWideningRow("integer-widens-to-float-at-row-5000", 6000, 5000, u"2.5"_s, 2.5);
    addWideningRow("integer-widens-to-float-at-row-140000", 150000, 140000, u"-0.125"_s, -0.125);
}

void TestCsvInference::infersNumericStorage()
{
    QFETCH(QStringList, values);
    QFETCH(ColumnType, type);
    QFETCH(QList<double>, numbers);

    const Result<Dataset> result = readColumn(u"v"_s, values);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result.value().columnCount(), std::size_t(2));
    const Column &column = result.value().column(0);
    QCOMPARE(column.name(), u"v"_s);
    QCOMPARE(columnTypeName(column.type()), columnTypeName(type));
    const QList<double> actual = test::numbersOf(column);
    QVERIFY2(test::sameBits(actual, numbers),
             qPrintable(u"got %1, expected %2"_s.arg(test::describe(actual), test::describe(numbers))));
    std::size_t missing = 0;
    for (qsizetype i = 0; i < numbers.size(); ++i) {
        QCOMPARE(column.isMissing(std::size_t(i)), std::isnan(numbers[i]));
        missing += std::isnan(numbers[i]);
    }
    QCOMPARE(column.missingCount(), missing);
}

void TestCsvInference::infersCategorical_data()
{
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<QStringList>("categories");
    QTest::addColumn<QList<int>>("codes");

    // Categories in order of first appearance (column.h); missing is code -1 and not a category.
    QTest::newRow("text") << QStringList{u"red"_s, u"green"_s, u"red"_s, u""_s} << QStringList{u"red"_s, u"green"_s}
                          << QList<int>{0, 1, 0, -1};
    QTest::newRow("missing-tokens-are-not-categories")
        << QStringList{u"a"_s, u"NA"_s, u"b"_s, u"null"_s, u"?"_s} << QStringList{u"a"_s, u"b"_s} << QList<int>{0, -1, 1, -1, -1};
    QTest::newRow("number-and-date") << QStringList{u"1"_s, u"2024-01-15"_s} << QStringList{u"1"_s, u"2024-01-15"_s}
                                     << QList<int>{0, 1};
    QTest::newRow("boolean-and-text") << QStringList{u"true"_s, u"maybe"_s} << QStringList{u"true"_s, u"maybe"_s}
                                      << QList<int>{0, 1};
    // Text after many numbers widens to Categorical, keeping every value's text as written
    // ("007" stays "007", "3.50" stays "3.50").
    const auto numberText = [](int i) { return i == 0 ? u"007"_s : u"%1.50"_s.arg(i); };
    addTextWideningRow("number-widens-to-categorical-at-row-1500", 3000, 1500, numberText, u"abc"_s);
    addTextWideningRow("number-widens-to-categorical-at-row-5000", 6000, 5000, numberText, u"abc"_s);
    addTextWideningRow("number-widens-to-categorical-at-row-140000", 150000, 140000, numberText, u"abc"_s);
    const auto dateText = [](int i) { return QDate(2000, 1, 1).addDays(i).toString(Qt::ISODate); };
    addTextWideningRow("date-widens-to-categorical-at-row-5000", 6000, 5000, dateText, u"soon"_s);
}

void TestCsvInference::infersCategorical()
{
    QFETCH(QStringList, values);
    QFETCH(QStringList, categories);
    QFETCH(QList<int>, codes);

    const Result<Dataset> result = readColumn(u"v"_s, values);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const Column &column = result.value().column(0);
    QCOMPARE(columnTypeName(column.type()), columnTypeName(ColumnType::Categorical));
    QCOMPARE(column.categories(), categories);
    const QList<int> actual(column.codes().begin(), column.codes().end());
    QCOMPARE(actual, codes);
}

void TestCsvInference::appliesNumericOverrides_data()
{
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<ColumnType>("forced");
    QTest::addColumn<QList<double>>("numbers");
    QTest::addColumn<bool>("warns");

    QTest::newRow("integer-as-float") << QStringList{u"1"_s, u"2"_s} << ColumnType::Float << QList<double>{1, 2} << false;
    QTest::newRow("text-as-integer") << QStringList{u"1"_s, u"x"_s, u"3"_s} << ColumnType::Integer << QList<double>{1, kNaN, 3}
                                     << true;
    QTest::newRow("text-as-float") << QStringList{u"1.5"_s, u"abc"_s, u"NA"_s} << ColumnType::Float
                                   << QList<double>{1.5, kNaN, kNaN} << true;
    QTest::newRow("text-as-boolean") << QStringList{u"true"_s, u"maybe"_s, u"false"_s} << ColumnType::Boolean
                                     << QList<double>{1, kNaN, 0} << true;
    QTest::newRow("text-as-datetime") << QStringList{u"2024-01-15"_s, u"soon"_s} << ColumnType::Datetime
                                      << QList<double>{1705276800, kNaN} << true;
    QStringList late;
    QList<double> lateNumbers;
    for (int i = 0; i < 6000; ++i) {
        late.append(i == 5500 ? u"n/a!"_s : QString::number(i));
        lateNumbers.append(i == 5500 ? kNaN : double(i));
    }
    QTest::newRow("late-text-as-integer") << late << ColumnType::Integer << lateNumbers << true;
}

void TestCsvInference::appliesNumericOverrides()
{
    QFETCH(QStringList, values);
    QFETCH(ColumnType, forced);
    QFETCH(QList<double>, numbers);
    QFETCH(bool, warns);

    const Result<Dataset> result = readColumn(u"speed"_s, values, {{u"speed"_s, forced}});
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const Column &column = result.value().column(0);
    QCOMPARE(columnTypeName(column.type()), columnTypeName(forced));
    const QList<double> actual = test::numbersOf(column);
    QVERIFY2(test::sameBits(actual, numbers),
             qPrintable(u"got %1, expected %2"_s.arg(test::describe(actual), test::describe(numbers))));
    if (!warns) {
        QVERIFY2(result.warnings().isEmpty(), qPrintable(result.warnings().join(u'\n')));
        return;
    }
    QCOMPARE(result.warnings().size(), 1);
    QVERIFY2(result.warnings().constFirst().contains(u"speed"_s), qPrintable(result.warnings().constFirst()));
}

void TestCsvInference::appliesCategoricalOverride()
{
    // Numbers and dates forced to Categorical keep their text exactly, leading zeros included.
    const Result<Dataset> result = readColumn(u"zip"_s, {u"01234"_s, u"2"_s, u"01234"_s, u"2024-01-15"_s},
                                              {{u"zip"_s, ColumnType::Categorical}});
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QVERIFY2(result.warnings().isEmpty(), qPrintable(result.warnings().join(u'\n')));
    const Column &column = result.value().column(0);
    QCOMPARE(columnTypeName(column.type()), columnTypeName(ColumnType::Categorical));
    QCOMPARE(column.categories(), (QStringList{u"01234"_s, u"2"_s, u"2024-01-15"_s}));
    QCOMPARE(QList<int>(column.codes().begin(), column.codes().end()), (QList<int>{0, 1, 0, 2}));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestCsvInference)
#include "tst_csvinference.moc"
