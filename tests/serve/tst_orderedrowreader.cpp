// The predict request's fast reader (OrderedRowReader): which bodies it reads itself, and that
// what it reads is bit for bit what the general path (readJsonRows, RowValidator, FeatureBatch)
// makes of the same body. The expected values are the general path's own output.
#include "serve/orderedrowreader.h"

#include "servetestutil.h"

#include <QRandomGenerator>
#include <QTest>

#include <cstring>

using namespace plumb;
using namespace Qt::StringLiterals;

namespace {

using Outcome = OrderedRowReader::Outcome;

std::string_view view(const QByteArray &bytes)
{
    return {bytes.constData(), std::size_t(bytes.size())};
}

} // namespace

class TestOrderedRowReader : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void readsLikeGeneralPath_data();
    void readsLikeGeneralPath();
    void mutatedBodiesReadLikeGeneralPath();
    void booleanAndDatetimeReadLikeGeneralPath_data();
    void booleanAndDatetimeReadLikeGeneralPath();
    void stopsAtDeadline();

private:
    std::unique_ptr<Pipeline> mPipeline;
    std::unique_ptr<RowValidator> mValidator;
};

void TestOrderedRowReader::initTestCase()
{
    // x1, x2 (floats, both imputed by the default pipeline) and colour (categorical).
    mPipeline = std::make_unique<Pipeline>(test::fittedPipeline(QStringLiteral("ridge")));
    mValidator = std::make_unique<RowValidator>(*mPipeline);
    QCOMPARE(mValidator->featureCount(), std::size_t(3));
}

void TestOrderedRowReader::readsLikeGeneralPath_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("handled"); // read by the fast reader (else left to the general path)

    QTest::newRow("one-object") << QByteArray(R"({"x1":1.5,"x2":2,"colour":"red"})") << true;
    QTest::newRow("array-with-space") << QByteArray(" [ {\"x1\" : 1 , \"x2\":\t2,\"colour\":\"red\"} ,\r\n"
                                                    "{\"x1\":-3.25,\"x2\":4e2,\"colour\":\"blue\"} ] \n")
                                      << true;
    QTest::newRow("null-imputed") << QByteArray(R"([{"x1":null,"x2":null,"colour":null}])") << true;
    // U+00E9 is C3 A9 in UTF-8: valid, so kept as it is.
    QTest::newRow("utf8-category") << QByteArray("{\"x1\":1,\"x2\":2,\"colour\":\"vert\xC3\xA9\"}") << true;
    // Numbers around the fast path's edges: -0, 10^22 (exact), 10^23 (rounded), 2^53 + 1, a
    // subnormal, a long fraction; each must be parseNumber's double.
    QTest::newRow("number-edges") << QByteArray(
        R"([{"x1":-0,"x2":1e22,"colour":"a"},{"x1":1e23,"x2":9007199254740993,"colour":"a"},)"
        R"({"x1":4.9406564584124654e-324,"x2":0.1234567890123456789012345,"colour":"a"}])")
                                  << true;

    QTest::newRow("keys-reordered") << QByteArray(R"({"x2":2,"x1":1.5,"colour":"red"})") << false;
    QTest::newRow("extra-key") << QByteArray(R"({"x1":1.5,"x2":2,"colour":"red","id":7})") << false;
    QTest::newRow("missing-key") << QByteArray(R"({"x1":1.5,"colour":"red"})") << false;
    QTest::newRow("escaped-key") << QByteArray(R"({"x\u0031":1.5,"x2":2,"colour":"red"})") << false;
    QTest::newRow("key-prefix") << QByteArray(R"({"x10":1.5,"x2":2,"colour":"red"})") << false;
    QTest::newRow("escaped-category") << QByteArray(R"({"x1":1.5,"x2":2,"colour":"r\u0065d"})") << false;
    QTest::newRow("string-for-number") << QByteArray(R"({"x1":"1.5","x2":2,"colour":"red"})") << false;
    QTest::newRow("number-for-category") << QByteArray(R"({"x1":1.5,"x2":2,"colour":3})") << false;
    QTest::newRow("boolean-for-number") << QByteArray(R"({"x1":true,"x2":2,"colour":"red"})") << false;
    QTest::newRow("nested-value") << QByteArray(R"({"x1":[1],"x2":2,"colour":"red"})") << false;
    QTest::newRow("invalid-utf8") << QByteArray("{\"x1\":1,\"x2\":2,\"colour\":\"\xC3\"}") << false;
    QTest::newRow("control-character") << QByteArray("{\"x1\":1,\"x2\":2,\"colour\":\"a\tb\"}") << false;
    QTest::newRow("out-of-range") << QByteArray(R"({"x1":1e400,"x2":2,"colour":"red"})") << false;
    QTest::newRow("leading-zero") << QByteArray(R"({"x1":01,"x2":2,"colour":"red"})") << false;
    QTest::newRow("plus-sign") << QByteArray(R"({"x1":+1,"x2":2,"colour":"red"})") << false;
    QTest::newRow("bare-point") << QByteArray(R"({"x1":1.,"x2":2,"colour":"red"})") << false;
    QTest::newRow("trailing-comma") << QByteArray(R"([{"x1":1,"x2":2,"colour":"red"},])") << false;
    QTest::newRow("trailing-text") << QByteArray(R"({"x1":1,"x2":2,"colour":"red"} x)") << false;
    QTest::newRow("unclosed-array") << QByteArray(R"([{"x1":1,"x2":2,"colour":"red"})") << false;
    QTest::newRow("empty-array") << QByteArray("[]") << false;
    // maxRows is 3 in this test: the general path answers 413.
    QTest::newRow("too-many-rows") << ("[" + QByteArray(R"({"x1":1,"x2":2,"colour":"red"},)").repeated(4).chopped(1) + "]")
                                   << false;
}

void TestOrderedRowReader::readsLikeGeneralPath()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, handled);
    const OrderedRowReader reader(*mValidator);
    FeatureBatch batch(mValidator->features());
    const Outcome outcome = reader.read(view(body), 3, {}, QDeadlineTimer(QDeadlineTimer::Forever), batch);
    QCOMPARE(outcome == Outcome::Read, handled);
    if (!handled)
        return;
    const std::optional<Dataset> expected = test::generalRead(*mValidator, view(body), 3);
    QVERIFY(expected.has_value());
    QVERIFY(test::sameData(batch.takeDataset(), *expected));
}

// Every body one byte away from a valid one that the fast reader reads must be read the same by
// the general path (which may also read bodies the fast reader leaves to it).
void TestOrderedRowReader::mutatedBodiesReadLikeGeneralPath()
{
    const QByteArray valid = R"([{"x1":-1.25,"x2":1e-3,"colour":"red"}, {"x1":0,"x2":null,"colour":"blue"}])";
    static constexpr char kBytes[] = " ,:[]{}\"\\-+.0123456789eEnulltrfasx\xC3\xA9\x01";
    QRandomGenerator random(20261129); // fixed seed: the same bodies in every run
    int handled = 0;
    for (int i = 0; i < 20000; ++i) {
        QByteArray body = valid;
        const int at = int(random.bounded(body.size()));
        const char byte = kBytes[random.bounded(int(sizeof kBytes) - 1)];
        switch (random.bounded(3)) {
        case 0:
            body[at] = byte;
            break;
        case 1:
            body.insert(at, byte);
            break;
        default:
            body.remove(at, 1);
        }
        const OrderedRowReader reader(*mValidator);
        FeatureBatch batch(mValidator->features());
        if (reader.read(view(body), 10, {}, QDeadlineTimer(QDeadlineTimer::Forever), batch) != Outcome::Read)
            continue;
        ++handled;
        const std::optional<Dataset> expected = test::generalRead(*mValidator, view(body), 10);
        if (!expected || !test::sameData(batch.takeDataset(), *expected))
            QFAIL(qPrintable(QStringLiteral("read differently: %1").arg(QString::fromUtf8(body))));
    }
    QVERIFY(handled > 100); // the mutations keep many bodies readable (digits, spaces, letters of a category)
}

void TestOrderedRowReader::booleanAndDatetimeReadLikeGeneralPath_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("handled");
    QTest::newRow("true-and-date") << QByteArray(R"({"x":1.5,"when":"2026-03-01T10:30:00Z","flag":true})") << true;
    QTest::newRow("false-and-offset") << QByteArray(R"([{"x":2,"when":"2026-03-01 10:30:00+02:00","flag":false},)"
                                                    R"({"x":-1,"when":"2026-12-31","flag":true}])")
                                      << true;
    // Seconds since 1970 for a datetime, as the general path takes them.
    QTest::newRow("seconds-for-date") << QByteArray(R"({"x":1,"when":1772357400,"flag":true})") << true;
    QTest::newRow("null-boolean") << QByteArray(R"({"x":1,"when":"2026-03-01","flag":null})") << true;
    // The general path reads these or names the problem; the fast reader leaves them to it.
    QTest::newRow("yes-for-boolean") << QByteArray(R"({"x":1,"when":"2026-03-01","flag":"yes"})") << false;
    QTest::newRow("number-for-boolean") << QByteArray(R"({"x":1,"when":"2026-03-01","flag":1})") << false;
    QTest::newRow("bad-date") << QByteArray(R"({"x":1,"when":"2026-13-01","flag":true})") << false;
    QTest::newRow("truncated-true") << QByteArray(R"({"x":1,"when":"2026-03-01","flag":tru})") << false;
    QTest::newRow("boolean-for-date") << QByteArray(R"({"x":1,"when":true,"flag":true})") << false;
}

// A model on a number, a boolean and a datetime: true/false and ISO 8601 text read as the
// general path reads them, and what the fast reader does not take is left to that path.
void TestOrderedRowReader::booleanAndDatetimeReadLikeGeneralPath()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, handled);
    QByteArray csv = "x,flag,when,y\n";
    for (int i = 0; i < 60; ++i)
        csv += QByteArray::number(i * 0.5) + (i % 2 ? ",true," : ",false,") + "2026-01-" + QByteArray::number(10 + i % 20)
            + "T08:00:00Z," + QByteArray::number(i * 1.5 + (i % 2)) + '\n';
    const Dataset data = CsvReader::readBytes(csv, QStringLiteral("types.csv")).value();
    QCOMPARE(data.column(*data.indexOf(u"flag"_s)).type(), ColumnType::Boolean);
    QCOMPARE(data.column(*data.indexOf(u"when"_s)).type(), ColumnType::Datetime);
    Result<Pipeline> made = Pipeline::withDefaults(data, {u"x"_s, u"flag"_s, u"when"_s}, createModel(u"ridge"_s));
    QVERIFY2(made, made ? "" : qPrintable(made.error().message));
    Pipeline pipeline = std::move(made).value();
    QVERIFY(pipeline.fit(data, u"y"_s, {}).ok());
    const RowValidator validator(pipeline);
    // The pipeline lists the number, then the datetime, then the boolean: bodies follow that order.
    QCOMPARE(validator.features()[1].name, u"when"_s);

    const OrderedRowReader reader(validator);
    FeatureBatch batch(validator.features());
    const Outcome outcome = reader.read(view(body), 3, {}, QDeadlineTimer(QDeadlineTimer::Forever), batch);
    QCOMPARE(outcome == Outcome::Read, handled);
    if (!handled)
        return;
    const std::optional<Dataset> expected = test::generalRead(validator, view(body), 3);
    QVERIFY(expected.has_value());
    QVERIFY(test::sameData(batch.takeDataset(), *expected));
}

void TestOrderedRowReader::stopsAtDeadline()
{
    const QByteArray body = R"({"x1":1.5,"x2":2,"colour":"red"})";
    const OrderedRowReader reader(*mValidator);
    FeatureBatch batch(mValidator->features());
    QCOMPARE(reader.read(view(body), 3, {}, QDeadlineTimer(0), batch), Outcome::Expired);
}

QTEST_GUILESS_MAIN(TestOrderedRowReader)
#include "tst_orderedrowreader.moc"
