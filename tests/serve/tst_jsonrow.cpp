// The JSON row reader behind JSON Lines scoring and the scoring service: what it accepts, what it
// refuses and why. Expected values are from RFC 8259's grammar, worked by hand.
#include "serve/jsonrow.h"

#include <QTest>

#include <cstring>

using namespace plumb;

class TestJsonRow : public QObject
{
    Q_OBJECT

private slots:
    void accepts_data();
    void accepts();
    void refuses_data();
    void refuses();
    void keepsNumbersExact();
    void writesStrings_data();
    void writesStrings();
};

void TestJsonRow::accepts_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QList<QByteArray>>("keys");
    QTest::addColumn<QByteArray>("lastKind"); // the kind of the last field
    QTest::addColumn<QByteArray>("lastText"); // a string's unescaped text, or the raw value

    QTest::newRow("flat") << QByteArray(R"({"a": 1, "b": "x"})") << QList<QByteArray>{"a", "b"} << QByteArray("string")
                          << QByteArray("x");
    QTest::newRow("empty-object") << QByteArray("{}") << QList<QByteArray>{} << QByteArray() << QByteArray();
    QTest::newRow("surrounding-space") << QByteArray(" \t{\"a\":true} \r") << QList<QByteArray>{"a"} << QByteArray("boolean")
                                       << QByteArray("true");
    QTest::newRow("null") << QByteArray(R"({"a":null})") << QList<QByteArray>{"a"} << QByteArray("null") << QByteArray("null");
    QTest::newRow("escapes") << QByteArray(R"({"a":"q\"b\\s\/n\nt\t"})") << QList<QByteArray>{"a"} << QByteArray("string")
                             << QByteArray("q\"b\\s/n\nt\t");
    // U+00E9 is C3 A9 in UTF-8; U+1F600 is the surrogate pair D83D DE00 and F0 9F 98 80 in UTF-8.
    QTest::newRow("unicode-escapes") << QByteArray(R"({"a":"\u00e9\ud83d\ude00"})") << QList<QByteArray>{"a"}
                                     << QByteArray("string") << QByteArray("\xC3\xA9\xF0\x9F\x98\x80");
    QTest::newRow("nested-kept-raw") << QByteArray(R"({"a":[1,{"b":[]}],"c":2})") << QList<QByteArray>{"a", "c"}
                                     << QByteArray("number") << QByteArray("2");
    QTest::newRow("nested-last") << QByteArray(R"({"a":{"b":[1, 2]}})") << QList<QByteArray>{"a"} << QByteArray("nested")
                                 << QByteArray(R"({"b":[1, 2]})");
    QTest::newRow("exponent") << QByteArray(R"({"a":-1.5E+3})") << QList<QByteArray>{"a"} << QByteArray("number")
                              << QByteArray("-1.5E+3");
}

static QByteArray kindName(JsonField::Kind kind)
{
    switch (kind) {
    case JsonField::Kind::Null:
        return "null";
    case JsonField::Kind::Boolean:
        return "boolean";
    case JsonField::Kind::Number:
        return "number";
    case JsonField::Kind::String:
        return "string";
    case JsonField::Kind::Nested:
        return "nested";
    }
    return {};
}

void TestJsonRow::accepts()
{
    QFETCH(QByteArray, line);
    QFETCH(QList<QByteArray>, keys);
    QFETCH(QByteArray, lastKind);
    QFETCH(QByteArray, lastText);
    JsonRow row;
    const auto error = readJsonRow(std::string_view(line.constData(), std::size_t(line.size())), row);
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    QList<QByteArray> got;
    for (const JsonField &field : row.fields)
        got.append(QByteArray::fromStdString(field.key));
    QCOMPARE(got, keys);
    if (row.fields.empty())
        return;
    const JsonField &last = row.fields.back();
    QCOMPARE(kindName(last.kind), lastKind);
    const std::string_view text = last.kind == JsonField::Kind::String ? std::string_view(last.text) : last.raw;
    QCOMPARE(QByteArray(text.data(), qsizetype(text.size())), lastText);
}

void TestJsonRow::refuses_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("reason"); // a fragment of the message

    QTest::newRow("empty") << QByteArray("") << QByteArray("empty line");
    QTest::newRow("array-not-object") << QByteArray("[1,2]") << QByteArray("not a JSON object");
    QTest::newRow("trailing-text") << QByteArray(R"({"a":1} x)") << QByteArray("unexpected text after the JSON value at byte 9");
    QTest::newRow("duplicate-key") << QByteArray(R"({"a":1,"a":2})") << QByteArray("key 'a' appears twice");
    QTest::newRow("leading-zero") << QByteArray(R"({"a":01})") << QByteArray("expected ',' or '}'");
    QTest::newRow("nan-literal") << QByteArray(R"({"a":NaN})") << QByteArray("invalid value");
    QTest::newRow("bare-dot") << QByteArray(R"({"a":1.})") << QByteArray("expected a digit after '.'");
    QTest::newRow("overflow") << QByteArray(R"({"a":1e999})") << QByteArray("number 1e999 is out of range");
    QTest::newRow("unterminated-string") << QByteArray(R"({"a":"abc)") << QByteArray("never closed");
    QTest::newRow("control-char") << QByteArray("{\"a\":\"a\tb\"}") << QByteArray("control character");
    QTest::newRow("invalid-utf8") << QByteArray("{\"a\":\"\xC3\x28\"}") << QByteArray("invalid UTF-8");
    QTest::newRow("lone-surrogate") << QByteArray(R"({"a":"\ud800"})") << QByteArray("unpaired high surrogate");
    QTest::newRow("bad-escape") << QByteArray(R"({"a":"\x"})") << QByteArray("invalid escape");
    QTest::newRow("missing-colon") << QByteArray(R"({"a" 1})") << QByteArray("expected ':'");
    QTest::newRow("trailing-comma") << QByteArray(R"({"a":1,})") << QByteArray("expected a quoted key");
    QTest::newRow("unclosed-nested") << QByteArray(R"({"a":[1,2})") << QByteArray("expected ',' or ']'");
    // 40 nested arrays: deeper than the default limit of 32.
    QTest::newRow("too-deep") << (QByteArray("{\"a\":") + QByteArray(40, '[') + QByteArray(40, ']') + "}")
                              << QByteArray("nesting deeper than 32 levels");
}

void TestJsonRow::refuses()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, reason);
    JsonRow row;
    const auto error = readJsonRow(std::string_view(line.constData(), std::size_t(line.size())), row);
    QVERIFY(error);
    QVERIFY2(error->contains(QString::fromUtf8(reason)), qPrintable(*error));
}

void TestJsonRow::keepsNumbersExact()
{
    // 0.1 + 0.2 style values: the double read must be the correctly rounded one (strtod's).
    const char *numbers[] = {"0.1", "-2.2250738585072014e-308", "1.7976931348623157e308", "123456789012345678", "5e-324"};
    for (const char *text : numbers) {
        const std::string line = std::string("{\"v\":") + text + "}";
        JsonRow row;
        QVERIFY(!readJsonRow(line, row));
        const double expected = std::strtod(text, nullptr);
        QCOMPARE(std::memcmp(&row.fields[0].number, &expected, sizeof expected), 0);
    }
}

void TestJsonRow::writesStrings_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("plain") << QByteArray("abc") << QByteArray("\"abc\"");
    QTest::newRow("quote-backslash") << QByteArray("a\"b\\") << QByteArray("\"a\\\"b\\\\\"");
    QTest::newRow("control") << QByteArray("a\nb\x01") << QByteArray("\"a\\u000ab\\u0001\"");
    QTest::newRow("utf8-kept") << QByteArray("\xC3\xA9") << QByteArray("\"\xC3\xA9\"");
}

void TestJsonRow::writesStrings()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, json);
    std::string out;
    appendJsonString(std::string_view(text.constData(), std::size_t(text.size())), out);
    QCOMPARE(QByteArray::fromStdString(out), json);
    // And it reads back as the same text.
    JsonRow row;
    QVERIFY(!readJsonRow("{\"k\":" + out + "}", row));
    QCOMPARE(QByteArray::fromStdString(row.fields[0].text), text);
}

QTEST_GUILESS_MAIN(TestJsonRow)
#include "tst_jsonrow.moc"
