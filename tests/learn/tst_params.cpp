// Parameter schemas: what ParamSpec accepts and refuses (bounds, an exclusive minimum, choices,
// whole numbers), and ParamValues' names and JSON round trip. Expected messages are the ones
// params.cpp composes: "parameter 'NAME': WHY" and "no parameter named 'NAME'".

#include "learn/params.h"

#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// A schema shaped like an elastic-net model's, one parameter of each kind.
std::vector<ParamSpec> schema()
{
    return {realParam(u"alpha"_s, 1.0, 0, kInfinity, u"Regularisation strength"_s, true),
            realParam(u"l1_ratio"_s, 0.5, 0, 1, u"Share of the L1 penalty"_s),
            integerParam(u"max_iter"_s, 1000, 1, 10000, u"Iteration limit"_s),
            booleanParam(u"fit_intercept"_s, true, u"Fit an intercept"_s),
            choiceParam(u"penalty"_s, u"l2"_s, {u"l2"_s, u"none"_s}, u"Penalty"_s)};
}

ParamSpec specNamed(const QString &name)
{
    for (const ParamSpec &spec : schema())
        if (spec.name == name)
            return spec;
    return {};
}

// The default values as the schema declares them, in JSON.
QByteArray defaultsJson()
{
    return R"({"alpha": 1.0, "l1_ratio": 0.5, "max_iter": 1000, "fit_intercept": true, "penalty": "l2"})";
}

} // namespace

class TestParams : public QObject
{
    Q_OBJECT

private slots:
    void check_data();
    void check();
    void parse_data();
    void parse();
    void defaults();
    void set_data();
    void set();
    void setNormalisesNumbers();
    void setFromText_data();
    void setFromText();
    void jsonRoundTrip_data();
    void jsonRoundTrip();
    void defaultsFromJson();
    void badJson_data();
    void badJson();
};

void TestParams::check_data()
{
    QTest::addColumn<QString>("param");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("message"); // empty: accepted

    // alpha: real, (0, inf) - the exclusive minimum.
    QTest::newRow("real-inside") << u"alpha"_s << QVariant(0.5) << QString();
    QTest::newRow("real-tiny-above-exclusive-minimum") << u"alpha"_s << QVariant(1e-300) << QString();
    QTest::newRow("real-at-exclusive-minimum") << u"alpha"_s << QVariant(0.0) << u"parameter 'alpha': 0 is outside (0, inf)"_s;
    QTest::newRow("real-below-exclusive-minimum")
        << u"alpha"_s << QVariant(-1.0) << u"parameter 'alpha': -1 is outside (0, inf)"_s;
    QTest::newRow("real-large") << u"alpha"_s << QVariant(1e12) << QString();
    // l1_ratio: real, [0, 1] - both ends allowed.
    QTest::newRow("real-at-inclusive-minimum") << u"l1_ratio"_s << QVariant(0.0) << QString();
    QTest::newRow("real-at-maximum") << u"l1_ratio"_s << QVariant(1.0) << QString();
    QTest::newRow("real-above-maximum") << u"l1_ratio"_s << QVariant(1.5) << u"parameter 'l1_ratio': 1.5 is outside [0, 1]"_s;
    QTest::newRow("real-below-minimum") << u"l1_ratio"_s << QVariant(-0.1) << u"parameter 'l1_ratio': -0.1 is outside [0, 1]"_s;
    QTest::newRow("real-given-integer") << u"l1_ratio"_s << QVariant(1) << QString();
    QTest::newRow("real-given-text") << u"l1_ratio"_s << QVariant(u"0.5"_s)
                                     << u"parameter 'l1_ratio': expected a finite number, got '0.5'"_s;
    QTest::newRow("real-nan") << u"l1_ratio"_s << QVariant(std::nan(""))
                              << u"parameter 'l1_ratio': expected a finite number, got 'nan'"_s;
    QTest::newRow("real-infinity") << u"l1_ratio"_s << QVariant(std::numeric_limits<double>::infinity())
                                   << u"parameter 'l1_ratio': expected a finite number, got 'inf'"_s;
    // max_iter: integer, [1, 10000].
    QTest::newRow("integer-inside") << u"max_iter"_s << QVariant(qint64(250)) << QString();
    QTest::newRow("integer-whole-double") << u"max_iter"_s << QVariant(250.0) << QString();
    QTest::newRow("integer-given-text") << u"max_iter"_s << QVariant(u"12"_s)
                                        << u"parameter 'max_iter': expected a whole number, got '12'"_s;
    QTest::newRow("integer-given-boolean") << u"max_iter"_s << QVariant(true)
                                           << u"parameter 'max_iter': expected a whole number, got 'true'"_s;
    QTest::newRow("integer-at-bounds-low") << u"max_iter"_s << QVariant(1) << QString();
    QTest::newRow("integer-at-bounds-high") << u"max_iter"_s << QVariant(10000) << QString();
    QTest::newRow("integer-fractional") << u"max_iter"_s << QVariant(2.5)
                                        << u"parameter 'max_iter': expected a whole number, got '2.5'"_s;
    QTest::newRow("integer-below") << u"max_iter"_s << QVariant(0) << u"parameter 'max_iter': 0 is outside [1, 10000]"_s;
    QTest::newRow("integer-above") << u"max_iter"_s << QVariant(10001) << u"parameter 'max_iter': 10001 is outside [1, 10000]"_s;
    QTest::newRow("integer-huge") << u"max_iter"_s << QVariant(1e20)
                                  << u"parameter 'max_iter': expected a whole number, got '1e+20'"_s;
    // fit_intercept: boolean.
    QTest::newRow("boolean") << u"fit_intercept"_s << QVariant(false) << QString();
    QTest::newRow("boolean-given-number") << u"fit_intercept"_s << QVariant(1)
                                          << u"parameter 'fit_intercept': expected true or false"_s;
    QTest::newRow("boolean-given-text") << u"fit_intercept"_s << QVariant(u"true"_s)
                                        << u"parameter 'fit_intercept': expected true or false"_s;
    // penalty: one of l2, none; exact spelling.
    QTest::newRow("choice") << u"penalty"_s << QVariant(u"none"_s) << QString();
    QTest::newRow("choice-unknown") << u"penalty"_s << QVariant(u"l1"_s) << u"parameter 'penalty': 'l1' is not one of l2, none"_s;
    QTest::newRow("choice-case") << u"penalty"_s << QVariant(u"L2"_s) << u"parameter 'penalty': 'L2' is not one of l2, none"_s;
}

void TestParams::check()
{
    QFETCH(QString, param);
    QFETCH(QVariant, value);
    QFETCH(QString, message);

    const ParamSpec spec = specNamed(param);
    QCOMPARE(spec.name, param);
    const std::optional<Error> error = spec.check(value);
    if (message.isEmpty()) {
        QVERIFY2(!error, qPrintable(error ? error->message : QString()));
        return;
    }
    QVERIFY2(error, "accepted");
    QCOMPARE(error->message, message);
}

void TestParams::parse_data()
{
    QTest::addColumn<QString>("param");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QVariant>("value"); // when accepted
    QTest::addColumn<QString>("message"); // empty: accepted

    QTest::newRow("real") << u"alpha"_s << u"0.5"_s << QVariant(0.5) << QString();
    QTest::newRow("real-exponent") << u"alpha"_s << u"1e-3"_s << QVariant(0.001) << QString();
    QTest::newRow("real-word") << u"alpha"_s << u"abc"_s << QVariant() << u"parameter 'alpha': cannot read 'abc'"_s;
    QTest::newRow("real-empty") << u"alpha"_s << QString() << QVariant() << u"parameter 'alpha': cannot read ''"_s;
    QTest::newRow("real-out-of-range") << u"alpha"_s << u"0"_s << QVariant() << u"parameter 'alpha': 0 is outside (0, inf)"_s;
    QTest::newRow("integer") << u"max_iter"_s << u"250"_s << QVariant(qint64(250)) << QString();
    QTest::newRow("integer-decimal") << u"max_iter"_s << u"2.5"_s << QVariant() << u"parameter 'max_iter': cannot read '2.5'"_s;
    QTest::newRow("integer-exponent") << u"max_iter"_s << u"1e3"_s << QVariant() << u"parameter 'max_iter': cannot read '1e3'"_s;
    QTest::newRow("integer-out-of-range") << u"max_iter"_s << u"0"_s << QVariant()
                                          << u"parameter 'max_iter': 0 is outside [1, 10000]"_s;
    QTest::newRow("boolean-true") << u"fit_intercept"_s << u"true"_s << QVariant(true) << QString();
    QTest::newRow("boolean-one") << u"fit_intercept"_s << u"1"_s << QVariant(true) << QString();
    QTest::newRow("boolean-false") << u"fit_intercept"_s << u"false"_s << QVariant(false) << QString();
    QTest::newRow("boolean-zero") << u"fit_intercept"_s << u"0"_s << QVariant(false) << QString();
    QTest::newRow("boolean-yes") << u"fit_intercept"_s << u"yes"_s << QVariant()
                                 << u"parameter 'fit_intercept': cannot read 'yes'"_s;
    QTest::newRow("boolean-capitalised") << u"fit_intercept"_s << u"True"_s << QVariant()
                                         << u"parameter 'fit_intercept': cannot read 'True'"_s;
    QTest::newRow("choice") << u"penalty"_s << u"none"_s << QVariant(u"none"_s) << QString();
    QTest::newRow("choice-unknown") << u"penalty"_s << u"elasticnet"_s << QVariant()
                                    << u"parameter 'penalty': 'elasticnet' is not one of l2, none"_s;
}

void TestParams::parse()
{
    QFETCH(QString, param);
    QFETCH(QString, text);
    QFETCH(QVariant, value);
    QFETCH(QString, message);

    const Result<QVariant> result = specNamed(param).parse(text);
    if (message.isEmpty()) {
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
        QCOMPARE(result.value().typeId(), value.typeId());
        QCOMPARE(result.value(), value);
        return;
    }
    QVERIFY2(!result.ok(), "accepted");
    QCOMPARE(result.error().message, message);
}

void TestParams::defaults()
{
    const ParamValues values(schema());
    QCOMPARE(values.real(u"alpha"_s), 1.0);
    QCOMPARE(values.real(u"l1_ratio"_s), 0.5);
    QCOMPARE(values.integer(u"max_iter"_s), 1000);
    QCOMPARE(values.boolean(u"fit_intercept"_s), true);
    QCOMPARE(values.choice(u"penalty"_s), u"l2"_s);
    QCOMPARE(values.schema().size(), std::size_t(5));
}

void TestParams::set_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("message"); // empty: accepted

    QTest::newRow("real") << u"alpha"_s << QVariant(0.01) << QString();
    QTest::newRow("integer") << u"max_iter"_s << QVariant(qint64(20)) << QString();
    QTest::newRow("boolean") << u"fit_intercept"_s << QVariant(false) << QString();
    QTest::newRow("choice") << u"penalty"_s << QVariant(u"none"_s) << QString();
    QTest::newRow("unknown-name") << u"gamma"_s << QVariant(1.0) << u"no parameter named 'gamma'"_s;
    QTest::newRow("name-case") << u"Alpha"_s << QVariant(1.0) << u"no parameter named 'Alpha'"_s;
    QTest::newRow("out-of-range") << u"alpha"_s << QVariant(-2.0) << u"parameter 'alpha': -2 is outside (0, inf)"_s;
    QTest::newRow("wrong-kind") << u"penalty"_s << QVariant(2) << u"parameter 'penalty': '2' is not one of l2, none"_s;
}

// set() changes the one value it is given, or nothing and says why.
void TestParams::set()
{
    QFETCH(QString, name);
    QFETCH(QVariant, value);
    QFETCH(QString, message);

    ParamValues values(schema());
    const ParamValues before = values;
    const std::optional<Error> error = values.set(name, value);
    if (!message.isEmpty()) {
        QVERIFY2(error, "accepted");
        QCOMPARE(error->message, message);
        QVERIFY(values == before);
        return;
    }
    QVERIFY2(!error, qPrintable(error ? error->message : QString()));
    QCOMPARE(values.value(name), value);
    QVERIFY(!(values == before));
    for (const ParamSpec &spec : schema())
        if (spec.name != name)
            QCOMPARE(values.value(spec.name), before.value(spec.name));
}

// A whole double given to an integer parameter is stored as an integer, an integer given to a
// real parameter as a double, so equal settings compare equal however they were given.
void TestParams::setNormalisesNumbers()
{
    ParamValues values(schema());
    QVERIFY(!values.set(u"max_iter"_s, 50.0));
    QCOMPARE(values.value(u"max_iter"_s).typeId(), int(QMetaType::LongLong));
    QCOMPARE(values.integer(u"max_iter"_s), 50);
    QVERIFY(!values.set(u"alpha"_s, 2));
    QCOMPARE(values.value(u"alpha"_s).typeId(), int(QMetaType::Double));

    ParamValues other(schema());
    QVERIFY(!other.set(u"max_iter"_s, qint64(50)));
    QVERIFY(!other.set(u"alpha"_s, 2.0));
    QVERIFY(values == other);
}

void TestParams::setFromText_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message"); // empty: accepted

    QTest::newRow("real") << u"alpha"_s << u"0.25"_s << QString();
    QTest::newRow("integer") << u"max_iter"_s << u"300"_s << QString();
    QTest::newRow("boolean") << u"fit_intercept"_s << u"false"_s << QString();
    QTest::newRow("unknown-name") << u"tol"_s << u"1e-4"_s << u"no parameter named 'tol'"_s;
    QTest::newRow("unreadable") << u"max_iter"_s << u"many"_s << u"parameter 'max_iter': cannot read 'many'"_s;
    QTest::newRow("out-of-range") << u"l1_ratio"_s << u"2"_s << u"parameter 'l1_ratio': 2 is outside [0, 1]"_s;
}

void TestParams::setFromText()
{
    QFETCH(QString, name);
    QFETCH(QString, text);
    QFETCH(QString, message);

    ParamValues values(schema());
    const ParamValues before = values;
    const std::optional<Error> error = values.setFromText(name, text);
    if (!message.isEmpty()) {
        QVERIFY2(error, "accepted");
        QCOMPARE(error->message, message);
        QVERIFY(values == before);
        return;
    }
    QVERIFY2(!error, qPrintable(error ? error->message : QString()));
    QCOMPARE(values.value(name).toString(), text);
}

void TestParams::jsonRoundTrip_data()
{
    QTest::addColumn<QVariantMap>("changes");

    QTest::newRow("defaults") << QVariantMap{};
    QTest::newRow("every-value-changed") << QVariantMap{{u"alpha"_s, 0.25},
                                                        {u"l1_ratio"_s, 1.0},
                                                        {u"max_iter"_s, qint64(5000)},
                                                        {u"fit_intercept"_s, false},
                                                        {u"penalty"_s, u"none"_s}};
    // Doubles must survive the text: 0.1 + 0.2 is not 0.3, and 1e-300 is near the bottom.
    QTest::newRow("real-needs-17-digits") << QVariantMap{{u"alpha"_s, 0.1 + 0.2}};
    QTest::newRow("real-tiny") << QVariantMap{{u"alpha"_s, 1e-300}};
    QTest::newRow("integer-at-maximum") << QVariantMap{{u"max_iter"_s, qint64(10000)}};
}

// toJson, written as JSON text and read back, restores equal values through setFromJson.
void TestParams::jsonRoundTrip()
{
    QFETCH(QVariantMap, changes);

    ParamValues values(schema());
    for (auto it = changes.cbegin(); it != changes.cend(); ++it)
        QVERIFY(!values.set(it.key(), it.value()));
    const QByteArray text = QJsonDocument(values.toJson()).toJson();

    ParamValues restored(schema());
    const QJsonObject object = QJsonDocument::fromJson(text).object();
    QCOMPARE(object.size(), 5);
    const std::optional<Error> error = restored.setFromJson(object);
    QVERIFY2(!error, qPrintable(error ? error->message : QString()));
    QVERIFY(restored == values);
    for (const ParamSpec &spec : schema()) {
        QCOMPARE(restored.value(spec.name), values.value(spec.name));
        QCOMPARE(restored.value(spec.name).typeId(), values.value(spec.name).typeId());
    }
}

// The defaults written by hand read back as the schema's defaults.
void TestParams::defaultsFromJson()
{
    ParamValues values(schema());
    QVERIFY(!values.set(u"alpha"_s, 3.0));
    const std::optional<Error> error = values.setFromJson(QJsonDocument::fromJson(defaultsJson()).object());
    QVERIFY2(!error, qPrintable(error ? error->message : QString()));
    QVERIFY(values == ParamValues(schema()));
}

void TestParams::badJson_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");

    // Each row is the defaults with one thing wrong.
    QTest::newRow("unknown-name") << QByteArray(
        R"({"alpha": 1.0, "l1_ratio": 0.5, "max_iter": 1000, "fit_intercept": true, "penalty": "l2", "gamma": 1})")
                                  << u"no parameter named 'gamma'"_s;
    QTest::newRow("missing-name") << QByteArray(R"({"alpha": 1.0, "l1_ratio": 0.5, "max_iter": 1000, "fit_intercept": true})")
                                  << u"parameter 'penalty' is missing"_s;
    QTest::newRow("empty-object") << QByteArray("{}") << u"parameter 'alpha' is missing"_s;
    QTest::newRow("text-for-real") << QByteArray(
        R"({"alpha": "big", "l1_ratio": 0.5, "max_iter": 1000, "fit_intercept": true, "penalty": "l2"})")
                                   << u"parameter 'alpha': expected a finite number, got 'big'"_s;
    QTest::newRow("real-out-of-range") << QByteArray(
        R"({"alpha": 1.0, "l1_ratio": 2, "max_iter": 1000, "fit_intercept": true, "penalty": "l2"})")
                                       << u"parameter 'l1_ratio': 2 is outside [0, 1]"_s;
    QTest::newRow("exclusive-minimum") << QByteArray(
        R"({"alpha": 0, "l1_ratio": 0.5, "max_iter": 1000, "fit_intercept": true, "penalty": "l2"})")
                                       << u"parameter 'alpha': 0 is outside (0, inf)"_s;
    QTest::newRow("fractional-integer") << QByteArray(
        R"({"alpha": 1.0, "l1_ratio": 0.5, "max_iter": 10.5, "fit_intercept": true, "penalty": "l2"})")
                                        << u"parameter 'max_iter': expected a whole number, got '10.5'"_s;
    QTest::newRow("number-for-boolean") << QByteArray(
        R"({"alpha": 1.0, "l1_ratio": 0.5, "max_iter": 1000, "fit_intercept": 1, "penalty": "l2"})")
                                        << u"parameter 'fit_intercept': expected true or false"_s;
    QTest::newRow("unknown-choice") << QByteArray(
        R"({"alpha": 1.0, "l1_ratio": 0.5, "max_iter": 1000, "fit_intercept": true, "penalty": "l1"})")
                                    << u"parameter 'penalty': 'l1' is not one of l2, none"_s;
    QTest::newRow("null-for-real") << QByteArray(
        R"({"alpha": null, "l1_ratio": 0.5, "max_iter": 1000, "fit_intercept": true, "penalty": "l2"})")
                                   << u"parameter 'alpha': expected a finite number, got ''"_s;
}

void TestParams::badJson()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));

    ParamValues values(schema());
    const std::optional<Error> error = values.setFromJson(document.object());
    QVERIFY2(error, "accepted");
    QCOMPARE(error->message, message);
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestParams)
#include "tst_params.moc"
