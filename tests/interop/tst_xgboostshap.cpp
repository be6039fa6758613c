// TreeSHAP against XGBoost's own: three models of about 100 trees (tests/interop/fixtures/shap,
// written by make_shap_fixtures.py with Debian's XGBoost 1.7.4), imported through the XGBoost
// importer, explained by ShapExplainer on 10,000 rows with missing values, and compared with
// XGBoost's predict(pred_contribs=True) for the same rows, contribution by contribution and base
// value by base value.
#include "interop/xgboostimporter.h"
#include "learn/shapexplainer.h"

#include <QFile>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace plumb;

namespace {

const QString kFixtures = QStringLiteral(PLUMB_TEST_DATA_DIR "/fixtures/shap/");
constexpr Eigen::Index kRows = 10000;
constexpr int kFeatures = 8;

// A fixture file: qCompress'd bytes (4-byte big-endian length, then zlib).
QByteArray readFixture(const QString &name)
{
    QFile file(kFixtures + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return qUncompress(file.readAll());
}

// Little-endian float32 values, widened exactly to double.
std::vector<double> floats(const QByteArray &bytes)
{
    std::vector<double> out(std::size_t(bytes.size()) / 4);
    for (std::size_t i = 0; i < out.size(); ++i) {
        float value;
        std::memcpy(&value, bytes.constData() + 4 * i, 4);
        out[i] = double(value);
    }
    return out;
}

} // namespace

class TestXgboostShap : public QObject
{
    Q_OBJECT

private slots:
    void matchesPredContribs_data();
    void matchesPredContribs();
};

void TestXgboostShap::matchesPredContribs_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("outputs");
    QTest::addColumn<QString>("space");
    QTest::newRow("binary-logistic") << "binary_logistic" << 1 << "log-odds";
    QTest::newRow("reg-squarederror") << "reg_squarederror" << 1 << "value";
    QTest::newRow("multi-softprob") << "multi_softprob" << 3 << "logit";
}

// XGBoost computes TreeSHAP in float32 (its node means, cover ratios and path weights are
// float32), Plumb in double from the same float32 covers and leaves: they differ by float32
// rounding, which grows with the size of a value. Every contribution and base value must agree
// within 1e-6 scaled by max(1, |XGBoost's value|), as the importer's margins do
// (tst_xgboostimporter); the largest differences seen are printed.
void TestXgboostShap::matchesPredContribs()
{
    QFETCH(QString, model);
    QFETCH(int, outputs);
    QFETCH(QString, space);
    const QByteArray bytes = readFixture(model + QStringLiteral(".ubj"));
    const std::vector<double> rows = floats(readFixture(QStringLiteral("rows.f32")));
    const std::vector<double> golden = floats(readFixture(model + QStringLiteral(".contribs.f32")));
    if (bytes.isEmpty() || rows.size() != std::size_t(kRows * kFeatures)
        || golden.size() != std::size_t(kRows * outputs * (kFeatures + 1)))
        QFAIL(qPrintable(QStringLiteral("missing or short fixture for %1: run make_shap_fixtures.py").arg(model)));
    Result<XgboostImport> import = importXgboost(bytes, model);
    QVERIFY2(import, import ? "" : qPrintable(import.error().message));
    const Pipeline &pipeline = *import.value().imported.pipeline;
    QCOMPARE(pipeline.model().featureCount(), Eigen::Index(kFeatures));
    Result<ShapExplainer> explainer = ShapExplainer::create(pipeline);
    QVERIFY2(explainer, explainer ? "" : qPrintable(explainer.error().message));
    const ShapExplainer &e = explainer.value();
    QCOMPARE(e.outputCount(), outputs);
    QCOMPARE(e.featureCount(), kFeatures);
    QCOMPARE(e.space(), space);

    // The importer's pipeline is one numeric branch without steps: a row is its own model input.
    std::vector<double> phi(std::size_t(kFeatures * outputs));
    double worstScaled = 0, worstAbsolute = 0;
    const auto compare = [&](double mine, double theirs) {
        worstAbsolute = std::max(worstAbsolute, std::abs(mine - theirs));
        worstScaled = std::max(worstScaled, std::abs(mine - theirs) / std::max(1.0, std::abs(theirs)));
    };
    bool sawMissing = false;
    for (Eigen::Index r = 0; r < kRows; ++r) {
        const double *x = rows.data() + r * kFeatures;
        sawMissing |= std::any_of(x, x + kFeatures, [](double v) { return std::isnan(v); });
        e.explain(x, phi.data());
        for (int o = 0; o < outputs; ++o) {
            // pred_contribs: rows x outputs x (features + 1), the bias last.
            const double *theirs = golden.data() + (r * outputs + o) * (kFeatures + 1);
            for (int f = 0; f < kFeatures; ++f)
                compare(phi[std::size_t(f * outputs + o)], theirs[f]);
            compare(e.baseValues()[std::size_t(o)], theirs[kFeatures]);
        }
    }
    QVERIFY(sawMissing);
    qInfo("%s: largest difference %.3g, scaled %.3g", qPrintable(model), worstAbsolute, worstScaled);
    QVERIFY2(worstScaled <= 1e-6, qPrintable(QStringLiteral("largest scaled difference %1").arg(worstScaled)));
}

QTEST_GUILESS_MAIN(TestXgboostShap)
#include "tst_xgboostshap.moc"
