// Tests for the single-field parsers in valueparser.h.
// Expected numbers are exact decimal-to-binary conversions (checked with Python's float(), which is
// correctly rounded, and float.hex()); datetimes are Python's datetime.fromisoformat(...).timestamp()
// with naive times taken as UTC; UTF-8 verdicts follow RFC 3629 section 4 (the byte-sequence table).

#include "data/valueparser.h"
#include "data/valuesyntax.h"
#include "datatestutil.h"

#include <QRandomGenerator>
#include <QTest>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string_view view(const QByteArray &bytes)
{
    return std::string_view(bytes.constData(), std::size_t(bytes.size()));
}

QString hexBits(double value)
{
    return u"0x%1"_s.arg(std::bit_cast<quint64>(value), 16, 16, QLatin1Char('0'));
}

} // namespace

class TestValueParser : public QObject
{
    Q_OBJECT

private slots:
    void recognisesMissingTokens_data();
    void recognisesMissingTokens();
    void parsesNumbers_data();
    void parsesNumbers();
    void decimalCommaMatchesPoint_data();
    void decimalCommaMatchesPoint();
    void refusesOtherDecimalCommaForms_data();
    void refusesOtherDecimalCommaForms();
    void missingTokensAddAndReplace_data();
    void missingTokensAddAndReplace();
    void parsesJsonNumbers_data();
    void parsesJsonNumbers();
    void jsonNumbersMatchFromChars();
    void parsesBooleans_data();
    void parsesBooleans();
    void parsesDatetimes_data();
    void parsesDatetimes();
    void trimsSpaces();
    void findsInvalidUtf8_data();
    void findsInvalidUtf8();
};

void TestValueParser::recognisesMissingTokens_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<bool>("missing");

    // The tokens listed in valueparser.h (pandas 2's read_csv defaults, then Plumb's own), every
    // one of MissingTokens::defaultTokens().
    for (const char *token :
         {"",   "#N/A", "#N/A N/A", "#NA",  "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
          "NA", "NULL", "NaN",      "None", "n/a",     "nan",      "null", "?",    "na",     "NAN",     "Null"})
        QTest::newRow(*token ? token : "empty") << QByteArray(token) << true;
    QCOMPARE(MissingTokens::defaultTokens().size(), 23);
    QTest::newRow("none-lower-case") << "none"_ba << false;
    QTest::newRow("hash-alone") << "#"_ba << false;
    QTest::newRow("surrounding-spaces") << " NA "_ba << true;
    QTest::newRow("only-spaces") << "   "_ba << true;
    QTest::newRow("zero") << "0"_ba << false;
    QTest::newRow("letter-n") << "n"_ba << false;
    QTest::newRow("NA-prefix") << "NA2"_ba << false;
    QTest::newRow("two-question-marks") << "??"_ba << false;
    QTest::newRow("nullable") << "nullable"_ba << false;
}

void TestValueParser::recognisesMissingTokens()
{
    QFETCH(QByteArray, field);
    QFETCH(bool, missing);
    QCOMPARE(isMissingToken(view(field)), missing);
}

void TestValueParser::parsesNumbers_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("value");
    QTest::addColumn<bool>("integer");

    QTest::newRow("zero") << "0"_ba << true << 0.0 << true;
    QTest::newRow("negative-zero") << "-0"_ba << true << -0.0 << true;
    QTest::newRow("integer") << "42"_ba << true << 42.0 << true;
    QTest::newRow("plus-sign") << "+7"_ba << true << 7.0 << true;
    QTest::newRow("surrounding-spaces") << " 12 "_ba << true << 12.0 << true;
    QTest::newRow("fraction") << "1.5"_ba << true << 1.5 << false;
    QTest::newRow("point-zero-is-not-plain-integer") << "1.0"_ba << true << 1.0 << false;
    QTest::newRow("exponent-is-not-plain-integer") << "1e3"_ba << true << 1000.0 << false;
    QTest::newRow("upper-case-exponent") << "1E-5"_ba << true << 1e-5 << false;
    QTest::newRow("explicit-plus-exponent") << "2.5e+3"_ba << true << 2500.0 << false;
    QTest::newRow("leading-point") << ".5"_ba << true << 0.5 << false;
    QTest::newRow("trailing-point") << "5."_ba << true << 5.0 << false;
    QTest::newRow("negative-leading-point") << "-.5"_ba << true << -0.5 << false;
    QTest::newRow("one-tenth") << "0.1"_ba << true << 0.1 << false;
    // 2^53 is the largest integer column.h calls exact; 2^53 + 1 rounds to even (2^53),
    // 2^53 + 3 rounds to even (2^53 + 4).
    QTest::newRow("2^53") << "9007199254740992"_ba << true << 9007199254740992.0 << true;
    QTest::newRow("minus-2^53") << "-9007199254740992"_ba << true << -9007199254740992.0 << true;
    QTest::newRow("2^53+1") << "9007199254740993"_ba << true << 9007199254740992.0 << false;
    QTest::newRow("2^53+3") << "9007199254740995"_ba << true << 9007199254740996.0 << false;
    QTest::newRow("thirty-digits") << "123456789012345678901234567890"_ba << true << 0x1.8ee90ff6c373ep+96 << false;
    QTest::newRow("dbl-max") << "1.7976931348623157e308"_ba << true << 0x1.fffffffffffffp+1023 << false;
    QTest::newRow("smallest-normal-hard-case") << "2.2250738585072012e-308"_ba << true << 0x1p-1022 << false;
    QTest::newRow("smallest-subnormal") << "4.9406564584124654e-324"_ba << true << 0x0.0000000000001p-1022 << false;
    QTest::newRow("inf") << "inf"_ba << true << kInf << false;
    QTest::newRow("negative-infinity") << "-Infinity"_ba << true << -kInf << false;

    QTest::newRow("empty") << ""_ba << false << 0.0 << false;
    QTest::newRow("text") << "abc"_ba << false << 0.0 << false;
    QTest::newRow("decimal-comma") << "1,5"_ba << false << 0.0 << false;
    QTest::newRow("hexadecimal") << "0x10"_ba << false << 0.0 << false;
    QTest::newRow("bare-exponent") << "1e"_ba << false << 0.0 << false;
    QTest::newRow("double-sign") << "--1"_ba << false << 0.0 << false;
    QTest::newRow("inner-space") << "1 2"_ba << false << 0.0 << false;
    QTest::newRow("lone-sign") << "+"_ba << false << 0.0 << false;
    QTest::newRow("lone-point") << "."_ba << false << 0.0 << false;
    QTest::newRow("exponent-only") << "e5"_ba << false << 0.0 << false;
    QTest::newRow("trailing-letter") << "12a"_ba << false << 0.0 << false;
}

void TestValueParser::parsesNumbers()
{
    QFETCH(QByteArray, field);
    QFETCH(bool, valid);
    QFETCH(double, value);
    QFETCH(bool, integer);

    bool isInteger = !integer;
    const std::optional<double> parsed = parseNumber(view(field), &isInteger);
    QCOMPARE(parsed.has_value(), valid);
    if (!valid)
        return;
    QCOMPARE(hexBits(*parsed), hexBits(value));
    QCOMPARE(isInteger, integer);
    QCOMPARE(hexBits(*parseNumber(view(field))), hexBits(value)); // the flag is optional
}

// Every row of parsesNumbers with ',' for '.': the same double and integer flag as the '.' text.
void TestValueParser::decimalCommaMatchesPoint_data()
{
    parsesNumbers_data();
}

void TestValueParser::decimalCommaMatchesPoint()
{
    QFETCH(QByteArray, field);
    if (field.contains(','))
        return; // a row about ',' under the '.' parser: refusesOtherDecimalCommaForms covers it
    QByteArray comma = field;
    comma.replace('.', ',');
    bool pointInteger = false, commaInteger = false;
    const std::optional<double> point = parseNumber(view(field), &pointInteger);
    const std::optional<double> parsed = parseNumberWithDecimalComma(view(comma), &commaInteger);
    QCOMPARE(parsed.has_value(), point.has_value());
    if (!parsed)
        return;
    QCOMPARE(hexBits(*parsed), hexBits(*point));
    QCOMPARE(commaInteger, pointInteger);
}

void TestValueParser::refusesOtherDecimalCommaForms_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("value");

    // No thousands separator, in either spelling (pandas' thousands=None).
    QTest::newRow("point") << "2.62"_ba << false << 0.0;
    QTest::newRow("point-thousands") << "1.234,5"_ba << false << 0.0;
    QTest::newRow("point-thousands-integer") << "1.234"_ba << false << 0.0;
    QTest::newRow("two-commas") << "1,234,5"_ba << false << 0.0;
    QTest::newRow("comma-alone") << ","_ba << false << 0.0;
    QTest::newRow("trailing-comma") << "5,"_ba << true << 5.0;
    QTest::newRow("leading-comma") << ",5"_ba << true << 0.5;
    QTest::newRow("spaces") << " -2,5 "_ba << true << -2.5;
    // Past the 64-byte buffer: 0.1 written with 80 digits, rounded as 0.1 is.
    QTest::newRow("long-field") << "0," + QByteArray(79, '0').replace(0, 1, "1") << true << 0.1;
}

void TestValueParser::refusesOtherDecimalCommaForms()
{
    QFETCH(QByteArray, field);
    QFETCH(bool, valid);
    QFETCH(double, value);
    const std::optional<double> parsed = parseNumberWithDecimalComma(view(field));
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(hexBits(*parsed), hexBits(value));
}

void TestValueParser::missingTokensAddAndReplace_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<bool>("keepDefaults");
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<bool>("missing");
    QTest::addColumn<bool>("defaultOnly");

    // pandas' na_values adds to the defaults; keep_default_na=False leaves the listed ones (and,
    // in Plumb, the empty field).
    QTest::newRow("default-none") << QStringList{} << true << "None"_ba << true << true;
    QTest::newRow("added-token") << QStringList{u"-999"_s} << true << "-999"_ba << true << false;
    QTest::newRow("added-keeps-defaults") << QStringList{u"-999"_s} << true << "NA"_ba << true << true;
    QTest::newRow("added-is-exact") << QStringList{u"missing"_s} << true << "Missing"_ba << false << false;
    QTest::newRow("added-trimmed") << QStringList{u" x "_s} << true << " x"_ba << true << false;
    QTest::newRow("listed-default") << QStringList{u"None"_s} << true << "None"_ba << true << false;
    QTest::newRow("no-defaults-none-kept") << QStringList{} << false << "None"_ba << false << false;
    QTest::newRow("no-defaults-empty-missing") << QStringList{} << false << ""_ba << true << false;
    QTest::newRow("no-defaults-listed") << QStringList{u"NA"_s} << false << "NA"_ba << true << false;
    QTest::newRow("no-defaults-other-default") << QStringList{u"NA"_s} << false << "NaN"_ba << false << false;
}

void TestValueParser::missingTokensAddAndReplace()
{
    QFETCH(QStringList, extra);
    QFETCH(bool, keepDefaults);
    QFETCH(QByteArray, field);
    QFETCH(bool, missing);
    QFETCH(bool, defaultOnly);
    const MissingTokens tokens(extra, keepDefaults);
    QCOMPARE(tokens.matches(view(field)), missing);
    QCOMPARE(tokens.isDefaultOnly(view(field)), defaultOnly);
}

// The expected doubles are C++ literals of the same digits, which the compiler rounds correctly
// (as Python's float() does); lengths are counted by hand against RFC 8259's number grammar.
void TestValueParser::parsesJsonNumbers_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("length"); // bytes taken; 0: not a JSON number
    QTest::addColumn<double>("value");

    QTest::newRow("zero") << "0"_ba << 1 << 0.0;
    QTest::newRow("negative-zero") << "-0"_ba << 2 << -0.0;
    QTest::newRow("negative-zero-fraction") << "-0.0e5"_ba << 6 << -0.0;
    QTest::newRow("max-53-bit-mantissa") << "9007199254740991"_ba << 16 << 9007199254740991.0;
    QTest::newRow("2^53") << "9007199254740992"_ba << 16 << 9007199254740992.0;
    QTest::newRow("2^53+1-rounds-to-even") << "9007199254740993"_ba << 16 << 9007199254740992.0;
    QTest::newRow("19-digits") << "1234567890123456789"_ba << 19 << 1234567890123456789.0;
    QTest::newRow("1e22-exact") << "1e22"_ba << 4 << 1e22;
    QTest::newRow("1e23-rounded") << "1e23"_ba << 4 << 1e23;
    QTest::newRow("1e-22") << "1e-22"_ba << 5 << 1e-22;
    QTest::newRow("fraction") << "0.125000"_ba << 8 << 0.125;
    QTest::newRow("one-tenth") << "0.1"_ba << 3 << 0.1;
    QTest::newRow("fraction-leading-zeros") << "-0.000125"_ba << 9 << -0.000125;
    QTest::newRow("long-fraction") << "0.1234567890123456789012345"_ba << 27 << 0.1234567890123456789012345;
    QTest::newRow("upper-exponent-plus") << "2.5E+3"_ba << 6 << 2500.0;
    QTest::newRow("exponent-leading-zeros") << "15e-0007"_ba << 8 << 15e-7;
    QTest::newRow("smallest-subnormal") << "4.9406564584124654e-324"_ba << 23 << 0x0.0000000000001p-1022;
    QTest::newRow("smallest-normal-hard-case") << "2.2250738585072012e-308"_ba << 23 << 0x1p-1022;
    QTest::newRow("dbl-max") << "1.7976931348623157e308"_ba << 22 << 0x1.fffffffffffffp+1023;
    QTest::newRow("overflow") << "1e400"_ba << 5 << kInf;
    QTest::newRow("negative-overflow") << "-1e400"_ba << 6 << -kInf;
    QTest::newRow("underflow") << "1e-400"_ba << 6 << 0.0;
    QTest::newRow("zero-huge-exponent") << "0e999999999"_ba << 11 << 0.0;
    QTest::newRow("stops-at-comma") << "1.5,2"_ba << 3 << 1.5;
    QTest::newRow("stops-at-brace") << "-7}"_ba << 2 << -7.0;
    QTest::newRow("stops-at-second-point") << "1.5.3"_ba << 3 << 1.5;
    QTest::newRow("leading-zero-stops") << "01"_ba << 1 << 0.0;

    QTest::newRow("empty") << ""_ba << 0 << 0.0;
    QTest::newRow("lone-minus") << "-"_ba << 0 << 0.0;
    QTest::newRow("plus-sign") << "+1"_ba << 0 << 0.0;
    QTest::newRow("leading-point") << ".5"_ba << 0 << 0.0;
    QTest::newRow("trailing-point") << "1."_ba << 0 << 0.0;
    QTest::newRow("bare-exponent") << "1e"_ba << 0 << 0.0;
    QTest::newRow("signed-bare-exponent") << "1e+"_ba << 0 << 0.0;
    QTest::newRow("leading-space") << " 1"_ba << 0 << 0.0;
    QTest::newRow("infinity-word") << "Infinity"_ba << 0 << 0.0;
    QTest::newRow("nan-word") << "NaN"_ba << 0 << 0.0;
}

void TestValueParser::parsesJsonNumbers()
{
    QFETCH(QByteArray, text);
    QFETCH(int, length);
    QFETCH(double, value);
    double parsed = 42;
    QCOMPARE(int(parseJsonNumber(view(text), parsed)), length);
    if (length > 0)
        QCOMPARE(hexBits(parsed), hexBits(value));
}

// Random numbers of the JSON shape (fixed seed) and random doubles written shortest, each followed
// by the rest of a body: read up to the number's end, as the same double as std::from_chars (which
// is correctly rounded); beyond the range, +-inf or +-0.
void TestValueParser::jsonNumbersMatchFromChars()
{
    QRandomGenerator random(20261129);
    const auto digits = [&random](int count, bool nonZeroFirst) {
        std::string text;
        for (int i = 0; i < count; ++i)
            text += char('0' + (i == 0 && nonZeroFirst ? 1 + random.bounded(9) : random.bounded(10)));
        return text;
    };
    int fast = 0;
    for (int i = 0; i < 300000; ++i) {
        std::string text;
        if (i % 3 == 2) { // a random double's bits, written shortest
            double bits = 0;
            const quint64 pattern = random.generate64();
            std::memcpy(&bits, &pattern, sizeof bits);
            if (!std::isfinite(bits))
                continue;
            char buffer[40];
            text.assign(buffer, std::to_chars(buffer, buffer + sizeof buffer, bits).ptr);
        } else {
            text = random.bounded(2) ? "-" : "";
            const int whole = int(random.bounded(22));
            text += whole == 0 ? std::string("0") : digits(whole, true);
            if (random.bounded(2))
                text += '.' + digits(1 + int(random.bounded(22)), false);
            if (random.bounded(2)) {
                text += random.bounded(2) ? 'e' : 'E';
                text += std::string(random.bounded(2) ? "" : random.bounded(2) ? "+" : "-");
                text += std::to_string(random.bounded(i % 3 == 0 ? 30 : 400));
            }
        }
        double parsed = 0, expected = 0;
        // Followed by what comes after a number in a body (and enough bytes to read eight at a time).
        const std::string body = text + (i % 2 ? ",\"x1\":0.5}" : "}]");
        const std::size_t length = parseJsonNumber(body, parsed);
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), expected);
        if (length != text.size() || end != text.data() + text.size())
            QFAIL(qPrintable(u"not read whole: "_s + QString::fromStdString(text)));
        if (error == std::errc::result_out_of_range) {
            if (!std::isinf(parsed) && parsed != 0)
                QFAIL(qPrintable(u"out of range, read as a finite number: "_s + QString::fromStdString(text)));
            continue;
        }
        if (hexBits(parsed) != hexBits(expected))
            QFAIL(qPrintable(u"%1: %2, from_chars %3"_s.arg(QString::fromStdString(text), hexBits(parsed), hexBits(expected))));
        fast += std::abs(std::ilogb(expected == 0 ? 1 : expected)) < 60 ? 1 : 0;
    }
    QVERIFY(fast > 10000); // many inputs were in the common range, not all far out
}

void TestValueParser::parsesBooleans_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<bool>("lenient");
    QTest::addColumn<int>("expected"); // 1 true, 0 false, -1 not a boolean

    QTest::newRow("true") << "true"_ba << false << 1;
    QTest::newRow("false") << "false"_ba << false << 0;
    QTest::newRow("capitalised") << "True"_ba << false << 1;
    QTest::newRow("upper-case") << "FALSE"_ba << false << 0;
    QTest::newRow("spaces") << " true "_ba << false << 1;
    QTest::newRow("yes-strict") << "yes"_ba << false << -1;
    QTest::newRow("one-strict") << "1"_ba << false << -1;
    QTest::newRow("truncated") << "tru"_ba << false << -1;
    QTest::newRow("empty") << ""_ba << false << -1;
    QTest::newRow("yes-lenient") << "yes"_ba << true << 1;
    QTest::newRow("no-lenient") << "No"_ba << true << 0;
    QTest::newRow("y-lenient") << "y"_ba << true << 1;
    QTest::newRow("n-lenient") << "n"_ba << true << 0;
    QTest::newRow("t-lenient") << "T"_ba << true << 1;
    QTest::newRow("f-lenient") << "f"_ba << true << 0;
    QTest::newRow("one-lenient") << "1"_ba << true << 1;
    QTest::newRow("zero-lenient") << "0"_ba << true << 0;
    QTest::newRow("two-lenient") << "2"_ba << true << -1;
    QTest::newRow("maybe-lenient") << "maybe"_ba << true << -1;
}

void TestValueParser::parsesBooleans()
{
    QFETCH(QByteArray, field);
    QFETCH(bool, lenient);
    QFETCH(int, expected);

    const std::optional<bool> parsed = parseBoolean(view(field), lenient);
    QCOMPARE(parsed.has_value() ? int(*parsed) : -1, expected);
}

void TestValueParser::parsesDatetimes_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("seconds");

    QTest::newRow("date") << "2024-01-15"_ba << true << 1705276800.0;
    QTest::newRow("leap-day") << "2024-02-29"_ba << true << 1709164800.0;
    QTest::newRow("before-epoch") << "1969-12-31"_ba << true << -86400.0;
    QTest::newRow("year-1900") << "1900-01-01"_ba << true << -2208988800.0;
    QTest::newRow("year-9999") << "9999-12-31"_ba << true << 253402214400.0;
    QTest::newRow("T-minutes") << "2024-01-15T10:30"_ba << true << 1705314600.0;
    QTest::newRow("T-seconds") << "2024-01-15T10:30:00"_ba << true << 1705314600.0;
    QTest::newRow("space-seconds") << "2024-01-15 10:30:00"_ba << true << 1705314600.0;
    QTest::newRow("zulu") << "2024-01-15T10:30:00Z"_ba << true << 1705314600.0;
    QTest::newRow("offset-colon") << "2024-01-15T12:30:00+02:00"_ba << true << 1705314600.0;
    QTest::newRow("offset-negative-half-hour") << "2024-01-15T05:00:00-05:30"_ba << true << 1705314600.0;
    QTest::newRow("offset-no-colon") << "2024-01-15T16:00:00+0530"_ba << true << 1705314600.0;
    QTest::newRow("offset-hours") << "2024-01-15T15:30:00+05"_ba << true << 1705314600.0;
    QTest::newRow("fraction") << "2024-01-15T10:30:00.25"_ba << true << 1705314600.25;
    QTest::newRow("fraction-zulu") << "2024-02-29T23:59:59.5Z"_ba << true << 1709251199.5;
    QTest::newRow("spaces") << " 2024-01-15 "_ba << true << 1705276800.0;

    QTest::newRow("february-30") << "2024-02-30"_ba << false << 0.0;
    QTest::newRow("february-29-not-leap") << "2023-02-29"_ba << false << 0.0;
    QTest::newRow("month-13") << "2024-13-01"_ba << false << 0.0;
    QTest::newRow("day-0") << "2024-01-00"_ba << false << 0.0;
    QTest::newRow("hour-25") << "2024-01-15T25:00"_ba << false << 0.0;
    QTest::newRow("minute-60") << "2024-01-15T10:60"_ba << false << 0.0;
    QTest::newRow("single-digit-month") << "2024-1-15"_ba << false << 0.0;
    QTest::newRow("day-first") << "15/01/2024"_ba << false << 0.0;
    QTest::newRow("trailing-text") << "2024-01-15x"_ba << false << 0.0;
    QTest::newRow("number") << "20240115"_ba << false << 0.0;
    QTest::newRow("empty") << ""_ba << false << 0.0;
}

void TestValueParser::parsesDatetimes()
{
    QFETCH(QByteArray, field);
    QFETCH(bool, valid);
    QFETCH(double, seconds);

    const std::optional<double> parsed = parseDatetime(view(field));
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(hexBits(*parsed), hexBits(seconds));
}

void TestValueParser::trimsSpaces()
{
    QCOMPARE(trimSpaces(" \ta b\t "), std::string_view("a b"));
    QCOMPARE(trimSpaces("\t\t"), std::string_view());
    QCOMPARE(trimSpaces("x"), std::string_view("x"));
    QCOMPARE(trimSpaces(""), std::string_view());
}

void TestValueParser::findsInvalidUtf8_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("offset"); // -1: valid

    QTest::newRow("empty") << ""_ba << -1;
    QTest::newRow("ascii") << "abc,1\n"_ba << -1;
    QTest::newRow("two-byte") << "\xC3\xA9"_ba << -1;
    QTest::newRow("smallest-two-byte") << "\xC2\x80"_ba << -1;
    QTest::newRow("three-byte-U+FFFF") << "\xEF\xBF\xBF"_ba << -1;
    QTest::newRow("four-byte-emoji") << "\xF0\x9F\x98\x80"_ba << -1;
    QTest::newRow("largest-U+10FFFF") << "\xF4\x8F\xBF\xBF"_ba << -1;
    QTest::newRow("ff-byte") << "a\xFF"_ba << 1;
    QTest::newRow("lone-continuation") << "\x80"_ba << 0;
    QTest::newRow("overlong-two-byte") << "\xC0\xAF"_ba << 0;
    QTest::newRow("overlong-C1") << "ab\xC1\xBF"_ba << 2;
    QTest::newRow("overlong-three-byte") << "\xE0\x80\xAF"_ba << 0;
    QTest::newRow("overlong-four-byte") << "\xF0\x80\x80\xAF"_ba << 0;
    QTest::newRow("surrogate-high") << "x\xED\xA0\x80"_ba << 1;
    QTest::newRow("surrogate-low") << "\xED\xBF\xBF"_ba << 0;
    QTest::newRow("above-U+10FFFF") << "\xF4\x90\x80\x80"_ba << 0;
    QTest::newRow("five-byte-form") << "\xF8\x88\x80\x80\x80"_ba << 0;
    QTest::newRow("truncated-at-end") << "ab\xE2\x82"_ba << 2;
    QTest::newRow("missing-continuation") << "x\xC3(y"_ba << 1;
    QTest::newRow("valid-then-invalid") << "\xC3\xA9\xE6\x9D\x8E\xFE"_ba << 5;
}

void TestValueParser::findsInvalidUtf8()
{
    QFETCH(QByteArray, text);
    QFETCH(int, offset);

    const std::optional<std::size_t> found = firstInvalidUtf8(view(text));
    QCOMPARE(found.has_value() ? int(*found) : -1, offset);
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestValueParser)
#include "tst_valueparser.moc"
