// The Train view's results panel on hand-made runs: the metrics table's Folds column shows the
// mean and sample standard deviation of each metric over the k-fold folds (core's foldSpread).

#include "ui/train/runhistorymodel.h"
#include "ui/train/trainresultspanel.h"

#include <QTableWidget>
#include <QtTest>

#include <cmath>

using namespace Qt::StringLiterals;

namespace plumb::ui {

class TestTrainResultsPanel : public QObject
{
    Q_OBJECT

private slots:
    void foldColumnShowsMeanAndSpread_data();
    void foldColumnShowsMeanAndSpread();
};

void TestTrainResultsPanel::foldColumnShowsMeanAndSpread_data()
{
    QTest::addColumn<QList<double>>("folds");
    QTest::addColumn<QString>("shown");
    // By hand: mean (0.80 + 0.85 + 0.90) / 3 = 0.85; squares 0.0025 + 0 + 0.0025 over 3 - 1 folds
    // = 0.0025, sd 0.05.
    QTest::newRow("three-folds") << QList<double>{0.80, 0.85, 0.90} << u"0.850 \u00b1 0.050"_s;
    // Mean 0.5; squares 0.01 * 4 over 3: sd sqrt(0.04 / 3) = 0.11547 -> 0.115 (ddof 1, not the
    // population's 0.100).
    QTest::newRow("four-folds-sample-sd") << QList<double>{0.4, 0.6, 0.4, 0.6} << u"0.500 \u00b1 0.115"_s;
    // Identical folds: no spread.
    QTest::newRow("equal-folds") << QList<double>{0.25, 0.25} << u"0.250 \u00b1 0.000"_s;
}

void TestTrainResultsPanel::foldColumnShowsMeanAndSpread()
{
    QFETCH(QList<double>, folds);
    QFETCH(QString, shown);
    // An unfitted ridge stands in for the run's model: only its metrics are shown here.
    auto run = std::make_shared<TrainingRun>(TrainingRun{
        1, {}, TrainingOutcome{Pipeline(ColumnRouter(), createModel(u"ridge"_s)), {}, {}, {}, {}, {}, {}, 0, 0}, {}, {}, true});
    run->spec.importance = false;
    run->outcome.validation.metrics = {{u"r2"_s, 0.5}};
    for (const double value : folds)
        run->outcome.foldMetrics.push_back({{u"r2"_s, value}});
    TrainResultsPanel panel;
    panel.showRun(run);
    QTableWidget *table = panel.metricsTable();
    QCOMPARE(table->rowCount(), 1);
    QVERIFY(!table->isColumnHidden(2));
    QVERIFY(table->item(0, 2));
    QCOMPARE(table->item(0, 2)->text(), shown);
}

} // namespace plumb::ui

QTEST_MAIN(plumb::ui::TestTrainResultsPanel)
#include "tst_trainresultspanel.moc"
