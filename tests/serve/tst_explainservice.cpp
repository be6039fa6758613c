// POST /v1/explain on an ephemeral loopback port: the SHAP values of the rows, equal to
// ShapExplainer's on the same rows loaded from CSV, adding up to the model's log-odds; a logistic
// model opened from its file explained with the means of the file's reference profile; the same
// validation and limits as /v1/predict; 422 for a model without an exact explanation; 405 for
// another method.
#include "serve/scoringservice.h"

#include "artifact/modelartifact.h"
#include "artifact/openedmodel.h"
#include "data/csvreader.h"
#include "learn/shapexplainer.h"
#include "servetestutil.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cmath>

using namespace plumb;

namespace {

struct Reply
{
    int status = 0;
    QByteArray body;
    QByteArray allow;
};

std::shared_ptr<const Pipeline> boostedClassifier()
{
    const Dataset data = CsvReader::readBytes(test::trainingTable(300), QStringLiteral("training.csv")).value();
    Pipeline pipeline = Pipeline::withDefaults(data, {QStringLiteral("x1"), QStringLiteral("x2"), QStringLiteral("colour")},
                                               createModel(QStringLiteral("gradient_boosting"), Task::Classification))
                            .value();
    [[maybe_unused]] auto error = pipeline.model().setParam(QStringLiteral("max_iter"), 20);
    [[maybe_unused]] auto report = pipeline.fit(data, QStringLiteral("big"), {});
    return std::make_shared<const Pipeline>(std::move(pipeline));
}

// The answer's values are `explainer`'s on the same rows read from `csv`, within `tolerance`,
// and each row's values add up to the log-odds of 'yes' that Pipeline::predict's probabilities give.
void compareWithExplainer(const QJsonObject &answer, const Pipeline &pipeline, const ShapExplainer &explainer,
                          const QByteArray &csv, double tolerance)
{
    const Dataset rows = CsvReader::readBytes(csv, QStringLiteral("rows.csv")).value();
    TransformNotes notes;
    const Eigen::MatrixXd X = pipeline.router().transform(rows, {}, notes);
    const Eigen::MatrixXd probabilities = pipeline.predict(rows).value().probabilities;
    const QJsonArray values = answer.value(QLatin1String("values")).toArray();
    QCOMPARE(values.size(), X.rows());
    const int columns = int(explainer.columnNames().size());
    for (Eigen::Index r = 0; r < X.rows(); ++r) {
        const Eigen::VectorXd inputs = X.row(r).transpose();
        std::vector<double> expected(std::size_t(columns), 0.0);
        explainer.explainColumns(inputs.data(), expected.data());
        double total = 0;
        for (int c = 0; c < columns; ++c) {
            const double served = values.at(r).toArray().at(c).toDouble();
            QVERIFY2(
                std::abs(served - expected[std::size_t(c)]) <= tolerance,
                qPrintable(
                    QStringLiteral("row %1 column %2: %3, expected %4").arg(r).arg(c).arg(served).arg(expected[std::size_t(c)])));
            total += served;
        }
        QVERIFY(std::abs(total - std::log(probabilities(r, 1) / probabilities(r, 0))) < 1e-9);
    }
}

} // namespace

class TestExplainService : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void explainsLikeTheExplainer();
    void logisticFromItsModelFile();
    void refusesAsPredictDoes_data();
    void refusesAsPredictDoes();
    void modelWithoutExplanationIs422();
    void wrongMethodIs405();

private:
    Reply request(quint16 port, const QByteArray &method, const QByteArray &body = {});

    std::shared_ptr<const Pipeline> mBoosted, mRidge;
    std::unique_ptr<ScoringService> mService, mRidgeService;
    QNetworkAccessManager mNetwork;
};

void TestExplainService::initTestCase()
{
    mBoosted = boostedClassifier();
    QVERIFY(mBoosted->isFitted());
    mRidge = std::make_shared<const Pipeline>(test::fittedPipeline(QStringLiteral("ridge")));
    ServiceOptions options;
    options.limits.maxRows = 3;
    mService = std::make_unique<ScoringService>(ServedModel{mBoosted, QStringLiteral("boosted.plumb"), QStringLiteral("d1")},
                                                options);
    QVERIFY(!mService->listen(QHostAddress::LocalHost, 0));
    mRidgeService = std::make_unique<ScoringService>(ServedModel{mRidge, QStringLiteral("ridge.plumb"), QStringLiteral("d2")},
                                                     options);
    QVERIFY(!mRidgeService->listen(QHostAddress::LocalHost, 0));
}

Reply TestExplainService::request(quint16 port, const QByteArray &method, const QByteArray &body)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/explain").arg(port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = mNetwork.sendCustomRequest(request, method, body);
    QEventLoop loop;
    connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit); // a deadline: the test fails rather than hangs
    loop.exec();
    Reply result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(), reply->rawHeader("Allow")};
    reply->deleteLater();
    return result;
}

// Two rows (one with x2 missing, one with an unseen colour): the answer's values are
// ShapExplainer::explainColumns of the same rows read from CSV, number for number, and base +
// values is the log-odds of 'yes' that Pipeline::predict's probabilities give.
void TestExplainService::explainsLikeTheExplainer()
{
    const Reply reply = request(mService->port(), "POST",
                                R"([{"x1":9,"x2":null,"colour":"green"},{"x1":0.5,"x2":1,"colour":"purple"}])");
    QCOMPARE(reply.status, 200);
    const QJsonObject answer = QJsonDocument::fromJson(reply.body).object();
    QCOMPARE(answer.value(QLatin1String("space")).toString(), QStringLiteral("log-odds"));
    QCOMPARE(answer.value(QLatin1String("outputs")).toArray().at(0).toString(), QStringLiteral("log-odds of 'yes'"));
    const QJsonArray columns = answer.value(QLatin1String("columns")).toArray();
    QCOMPARE(columns.size(), 4);
    QCOMPARE(columns.at(0).toString(), QStringLiteral("shap:x1"));
    QCOMPARE(columns.at(3).toString(), QStringLiteral("shap:base"));
    QCOMPARE(answer.value(QLatin1String("model_digest")).toString(), QStringLiteral("d1"));

    compareWithExplainer(answer, *mBoosted, ShapExplainer::create(*mBoosted).value(), "x1,x2,colour\n9,,green\n0.5,1,purple\n",
                         0);
}

// A logistic regression saved with its reference profile and opened as `plumb serve` opens it
// (openModelFile): linear SHAP against the training means. Expected values: ShapExplainer with
// the means computed from the training rows themselves (inputMeans), not from the profile; base +
// values is the log-odds of 'yes' that Pipeline::predict's probabilities give.
void TestExplainService::logisticFromItsModelFile()
{
    const Dataset data = CsvReader::readBytes(test::trainingTable(300), QStringLiteral("training.csv")).value();
    const Pipeline logistic = test::fittedPipeline(QStringLiteral("logistic_regression"));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("logistic.plumb"));
    ModelMetadata metadata;
    metadata.created = QDateTime(QDate(2026, 12, 6), QTime(9, 0), Qt::UTC);
    const std::optional<Error> saved = saveModelArtifact(path, logistic, metadata, referenceProfile(data, logistic), false);
    QVERIFY2(!saved, qPrintable(saved ? saved->message : QString()));
    Result<OpenedModel> opened = openModelFile(path, Keyring{});
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    auto pipeline = std::make_shared<const Pipeline>(std::move(*opened.value().artifact.pipeline));
    ScoringService service(
        ServedModel{pipeline, QStringLiteral("logistic.plumb"), opened.value().artifact.digest, false, opened.value().profiles},
        ServiceOptions{});
    QVERIFY(!service.listen(QHostAddress::LocalHost, 0));

    const Reply reply = request(service.port(), "POST",
                                R"([{"x1":9,"x2":null,"colour":"green"},{"x1":0.5,"x2":1,"colour":"red"}])");
    QVERIFY2(reply.status == 200, reply.body.constData());
    const QJsonObject answer = QJsonDocument::fromJson(reply.body).object();
    QCOMPARE(answer.value(QLatin1String("outputs")).toArray().at(0).toString(), QStringLiteral("log-odds of 'yes'"));
    // The profile's means and the rows' own agree within rounding, not bit for bit.
    compareWithExplainer(answer, *pipeline, ShapExplainer::create(*pipeline, inputMeans(*pipeline, data).value()).value(),
                         "x1,x2,colour\n9,,green\n0.5,1,red\n", 1e-9);
}

void TestExplainService::refusesAsPredictDoes_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::newRow("no-rows") << QByteArray("[]") << 400 << QStringLiteral("no rows");
    QTest::newRow("wrong-type") << QByteArray(R"({"x1":"tall","x2":1,"colour":"red"})") << 400 << QStringLiteral("x1");
    QTest::newRow("not-json") << QByteArray("{x1") << 400 << QString();
    QTest::newRow("over-max-rows") << QByteArray(
        R"([{"x1":1,"colour":"red"},{"x1":1,"colour":"red"},{"x1":1,"colour":"red"},{"x1":1,"colour":"red"}])")
                                   << 413 << QStringLiteral("more than 3");
}

void TestExplainService::refusesAsPredictDoes()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, reason);
    const Reply reply = request(mService->port(), "POST", body);
    QCOMPARE(reply.status, status);
    const QString error = QJsonDocument::fromJson(reply.body).object().value(QLatin1String("error")).toString();
    QVERIFY2(!error.isEmpty() && error.contains(reason), qPrintable(error));
}

// A ridge served without its model file's profile has no training means, so no exact
// explanation: 422, with the reason.
void TestExplainService::modelWithoutExplanationIs422()
{
    const Reply reply = request(mRidgeService->port(), "POST", R"({"x1":1,"x2":2,"colour":"red"})");
    QCOMPARE(reply.status, 422);
    QVERIFY2(reply.body.contains("training mean"), reply.body.constData());
}

void TestExplainService::wrongMethodIs405()
{
    const Reply reply = request(mService->port(), "GET");
    QCOMPARE(reply.status, 405);
    QCOMPARE(reply.allow, QByteArray("POST"));
}

QTEST_GUILESS_MAIN(TestExplainService)
#include "tst_explainservice.moc"
