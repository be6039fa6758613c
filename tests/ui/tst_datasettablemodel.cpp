#include "ui/data/datasettablemodel.h"

#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QtTest>

using namespace plumb;
using namespace plumb::ui;

// The virtual table over a loaded dataset: sizes, cell text, missing-value marking, alignment
// and headers. Expected cell text follows Column::displayText's documented format (shortest
// round-trip numbers, true/false, ISO 8601 dates without a midnight time).
class TestDatasetTableModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void emptyDocumentHasNoCells();
    void sizes();
    void displayText_data();
    void displayText();
    void missingCellsAreMarked();
    void numbersAreRightAligned_data();
    void numbersAreRightAligned();
    void headers();
    void resetsWhenTheDocumentReloads();

private:
    QTemporaryDir mDirectory;
    DataDocument mDocument;
    DatasetTableModel *mModel = nullptr;
};

void TestDatasetTableModel::initTestCase()
{
    QVERIFY(mDirectory.isValid());
    const QString path = test::writeFile(mDirectory, QStringLiteral("mixed.csv"), test::kMixedCsv);
    QVERIFY(!path.isEmpty());
    mModel = new DatasetTableModel(&mDocument, this);
    QVERIFY(test::loadFile(mDocument, path));
}

void TestDatasetTableModel::emptyDocumentHasNoCells()
{
    DataDocument empty;
    DatasetTableModel model(&empty);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), 0);
    QVERIFY(!model.headerData(0, Qt::Horizontal).isValid());
}

void TestDatasetTableModel::sizes()
{
    QAbstractItemModelTester tester(mModel, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // kMixedCsv: 3 data rows under a 5-field header.
    QCOMPARE(mModel->rowCount(), 3);
    QCOMPARE(mModel->columnCount(), 5);
    QCOMPARE(mModel->rowCount(mModel->index(0, 0)), 0);
}

void TestDatasetTableModel::displayText_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("text");

    QTest::newRow("integer") << 0 << 0 << QStringLiteral("1");
    QTest::newRow("float") << 0 << 1 << QStringLiteral("2.5");
    QTest::newRow("negative-float") << 2 << 1 << QStringLiteral("-1.25");
    QTest::newRow("categorical") << 1 << 2 << QStringLiteral("Bergen");
    QTest::newRow("boolean-true") << 0 << 3 << QStringLiteral("true");
    QTest::newRow("boolean-false") << 1 << 3 << QStringLiteral("false");
    QTest::newRow("datetime-date") << 1 << 4 << QStringLiteral("2024-01-03");
    QTest::newRow("missing-float") << 1 << 1 << QStringLiteral("missing");
    QTest::newRow("missing-categorical") << 2 << 2 << QStringLiteral("missing");
    QTest::newRow("missing-datetime") << 2 << 4 << QStringLiteral("missing");
}

void TestDatasetTableModel::displayText()
{
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(QString, text);
    QCOMPARE(mModel->index(row, column).data(Qt::DisplayRole).toString(), text);
}

void TestDatasetTableModel::missingCellsAreMarked()
{
    // Missing cells, from kMixedCsv: price in row 2, city and when in row 3.
    const QList<QPair<int, int>> missing{{1, 1}, {2, 2}, {2, 4}};
    for (int row = 0; row < mModel->rowCount(); ++row) {
        for (int column = 0; column < mModel->columnCount(); ++column) {
            const QModelIndex index = mModel->index(row, column);
            const bool expected = missing.contains({row, column});
            QCOMPARE(index.data(DatasetTableModel::MissingRole).toBool(), expected);
            QCOMPARE(index.data(Qt::FontRole).value<QFont>().italic(), expected);
            QCOMPARE(index.data(Qt::BackgroundRole).isValid(), expected);
            QCOMPARE(index.data(Qt::ForegroundRole).isValid(), expected);
        }
    }
}

void TestDatasetTableModel::numbersAreRightAligned_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<bool>("right");

    QTest::newRow("integer") << 0 << true;
    QTest::newRow("float") << 1 << true;
    QTest::newRow("categorical") << 2 << false;
    QTest::newRow("boolean") << 3 << false;
    QTest::newRow("datetime") << 4 << false;
}

void TestDatasetTableModel::numbersAreRightAligned()
{
    QFETCH(int, column);
    QFETCH(bool, right);
    const auto cell = Qt::Alignment(mModel->index(0, column).data(Qt::TextAlignmentRole).toInt());
    QCOMPARE(cell.testFlag(Qt::AlignRight), right);
    const auto header = Qt::Alignment(mModel->headerData(column, Qt::Horizontal, Qt::TextAlignmentRole).toInt());
    QCOMPARE(header.testFlag(Qt::AlignRight), right);
}

void TestDatasetTableModel::headers()
{
    const QStringList names{QStringLiteral("id"), QStringLiteral("price"), QStringLiteral("city"), QStringLiteral("active"),
                            QStringLiteral("when")};
    for (int column = 0; column < names.size(); ++column)
        QCOMPARE(mModel->headerData(column, Qt::Horizontal).toString(), names[column]);
    QVERIFY(mModel->headerData(1, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("Float")));
    // Rows are numbered from 1, as a person counts them.
    QCOMPARE(mModel->headerData(0, Qt::Vertical).toInt(), 1);
    QCOMPARE(mModel->headerData(2, Qt::Vertical).toInt(), 3);
    QVERIFY(!mModel->headerData(5, Qt::Horizontal).isValid());
}

void TestDatasetTableModel::resetsWhenTheDocumentReloads()
{
    DataDocument document;
    DatasetTableModel model(&document);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const QString path = test::writeFile(mDirectory, QStringLiteral("two.csv"), "a,b\n1,x\n2,y\n");
    QVERIFY(test::loadFile(document, path));
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), 2);
    QCOMPARE(model.index(1, 1).data().toString(), QStringLiteral("y"));
}

QTEST_MAIN(TestDatasetTableModel)
#include "tst_datasettablemodel.moc"
