// judgeRetraining: whether a retrained model is worse than its parent on the newest window, by
// the parent's first validation metric. Expected verdicts follow from the metrics' directions
// (higher accuracy and R² are better, lower RMSE and log loss are better).

#include "monitor/retraining.h"

#include <QTest>

#include <cmath>

using namespace plumb;

namespace {

Evaluation evaluation(const MetricList &metrics)
{
    Evaluation result;
    result.metrics = metrics;
    return result;
}

} // namespace

class TestRetraining : public QObject
{
    Q_OBJECT

private slots:
    void verdict_data();
    void verdict();
    void describesBothValues();
};

void TestRetraining::verdict_data()
{
    const double nan = std::nan("");
    QTest::addColumn<MetricList>("validation");
    QTest::addColumn<MetricList>("parent");
    QTest::addColumn<MetricList>("candidate");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<bool>("worse");
    const MetricList regression{{QStringLiteral("r2"), 0.8}, {QStringLiteral("rmse"), 10.0}};
    // R's airquality retrained by month: R² 0.83 on the parent, 0.04 on the retrained model.
    QTest::newRow("r2-lower-is-worse") << regression << MetricList{{QStringLiteral("r2"), 0.83}, {QStringLiteral("rmse"), 12.0}}
                                       << MetricList{{QStringLiteral("r2"), 0.04}, {QStringLiteral("rmse"), 11.0}}
                                       << QStringLiteral("r2") << true;
    QTest::newRow("r2-higher-is-better") << regression << MetricList{{QStringLiteral("r2"), 0.5}, {QStringLiteral("rmse"), 12.0}}
                                         << MetricList{{QStringLiteral("r2"), 0.6}, {QStringLiteral("rmse"), 13.0}}
                                         << QStringLiteral("r2") << false;
    QTest::newRow("equal-is-not-worse") << regression << MetricList{{QStringLiteral("r2"), 0.5}}
                                        << MetricList{{QStringLiteral("r2"), 0.5}} << QStringLiteral("r2") << false;
    // The parent's validation listed rmse first: it decides, and lower is better.
    const MetricList rmseFirst{{QStringLiteral("rmse"), 10.0}, {QStringLiteral("r2"), 0.8}};
    QTest::newRow("rmse-higher-is-worse") << rmseFirst << MetricList{{QStringLiteral("r2"), 0.5}, {QStringLiteral("rmse"), 9.0}}
                                          << MetricList{{QStringLiteral("r2"), 0.6}, {QStringLiteral("rmse"), 9.5}}
                                          << QStringLiteral("rmse") << true;
    QTest::newRow("log-loss-lower-is-better")
        << MetricList{{QStringLiteral("log_loss"), 0.4}} << MetricList{{QStringLiteral("log_loss"), 0.5}}
        << MetricList{{QStringLiteral("log_loss"), 0.45}} << QStringLiteral("log_loss") << false;
    QTest::newRow("candidate-not-measured") << regression << MetricList{{QStringLiteral("r2"), 0.5}}
                                            << MetricList{{QStringLiteral("r2"), nan}} << QStringLiteral("r2") << true;
    QTest::newRow("neither-measured") << regression << MetricList{{QStringLiteral("r2"), nan}}
                                      << MetricList{{QStringLiteral("r2"), nan}} << QStringLiteral("r2") << false;
    // An imported model has no validation: the first metric measured decides.
    QTest::newRow("no-validation-first-measured")
        << MetricList{} << MetricList{{QStringLiteral("accuracy"), 0.9}} << MetricList{{QStringLiteral("accuracy"), 0.7}}
        << QStringLiteral("accuracy") << true;
    QTest::newRow("nothing-measured") << regression << MetricList{} << MetricList{} << QString() << false;
}

void TestRetraining::verdict()
{
    QFETCH(MetricList, validation);
    QFETCH(MetricList, parent);
    QFETCH(MetricList, candidate);
    QFETCH(QString, metric);
    QFETCH(bool, worse);
    const RetrainingVerdict verdict = judgeRetraining(validation, evaluation(parent), evaluation(candidate),
                                                      QStringLiteral("09"));
    QCOMPARE(verdict.metric, metric);
    QCOMPARE(verdict.worse, worse);
    QCOMPARE(verdict.window, QStringLiteral("09"));
}

void TestRetraining::describesBothValues()
{
    const RetrainingVerdict verdict = judgeRetraining({{QStringLiteral("r2"), 0.8}}, evaluation({{QStringLiteral("r2"), 0.83}}),
                                                      evaluation({{QStringLiteral("r2"), 0.04}}),
                                                      QStringLiteral("airquality-9.csv"));
    QCOMPARE(verdict.describe(),
             QStringLiteral("the retrained model is worse than the current one on airquality-9.csv: r2 0.0400 against 0.8300"));
}

QTEST_GUILESS_MAIN(TestRetraining)
#include "tst_retraining.moc"
