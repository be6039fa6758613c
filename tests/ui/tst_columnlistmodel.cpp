#include "ui/data/columnlistmodel.h"

#include "uitestsupport.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace plumb;
using namespace plumb::ui;

// The column list: what it shows for each column, and that its type and role editors change the
// dataset (a role at once, a type in place or through a background reload).
class TestColumnListModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void rows();
    void cells_data();
    void cells();
    void onlyTypeAndRoleAreEditable();
    void roleEditChangesTheDataset();
    void secondTargetDemotesTheFirst();
    void widenTypeInPlace_data();
    void widenTypeInPlace();
    void typeEditReloadsTheFile();
    void editsAreRefusedWhileBusy();
    void badValuesAreRefused_data();
    void badValuesAreRefused();

private:
    QModelIndex cell(int row, ColumnListModel::Section section) const { return mModel->index(row, section); }

    QTemporaryDir mDirectory;
    QString mPath;
    std::unique_ptr<DataDocument> mDocument;
    std::unique_ptr<ColumnListModel> mModel;
};

void TestColumnListModel::init()
{
    QVERIFY(mDirectory.isValid());
    mPath = test::writeFile(mDirectory, QStringLiteral("mixed.csv"), test::kMixedCsv);
    mDocument = std::make_unique<DataDocument>();
    mModel = std::make_unique<ColumnListModel>(mDocument.get());
    QVERIFY(test::loadFile(*mDocument, mPath));
}

void TestColumnListModel::cleanup()
{
    mModel.reset();
    mDocument.reset();
}

void TestColumnListModel::rows()
{
    QAbstractItemModelTester tester(mModel.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(mModel->rowCount(), 5);
    QCOMPARE(mModel->columnCount(), int(ColumnListModel::SectionCount));
    QCOMPARE(mModel->headerData(ColumnListModel::TypeSection, Qt::Horizontal).toString(), QStringLiteral("Type"));
}

void TestColumnListModel::cells_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("section");
    QTest::addColumn<QString>("text");

    // From kMixedCsv; "id" holds distinct values, so Dataset::assignDefaultRoles makes it the Id.
    QTest::newRow("name") << 1 << int(ColumnListModel::NameSection) << QStringLiteral("price");
    QTest::newRow("type-integer") << 0 << int(ColumnListModel::TypeSection) << QStringLiteral("Integer");
    QTest::newRow("type-float") << 1 << int(ColumnListModel::TypeSection) << QStringLiteral("Float");
    QTest::newRow("type-categorical") << 2 << int(ColumnListModel::TypeSection) << QStringLiteral("Categorical");
    QTest::newRow("type-boolean") << 3 << int(ColumnListModel::TypeSection) << QStringLiteral("Boolean");
    QTest::newRow("type-datetime") << 4 << int(ColumnListModel::TypeSection) << QStringLiteral("Datetime");
    QTest::newRow("role-id") << 0 << int(ColumnListModel::RoleSection) << QStringLiteral("Id");
    QTest::newRow("role-feature") << 1 << int(ColumnListModel::RoleSection) << QStringLiteral("Feature");
    // 1 missing of 3 values = 33.3%; 0 of 3 = 0.0%.
    QTest::newRow("missing-one-third") << 1 << int(ColumnListModel::MissingSection) << QStringLiteral("33.3%");
    QTest::newRow("missing-none") << 0 << int(ColumnListModel::MissingSection) << QStringLiteral("0.0%");
}

void TestColumnListModel::cells()
{
    QFETCH(int, row);
    QFETCH(int, section);
    QFETCH(QString, text);
    QCOMPARE(mModel->index(row, section).data().toString(), text);
}

void TestColumnListModel::onlyTypeAndRoleAreEditable()
{
    QVERIFY(!cell(0, ColumnListModel::NameSection).flags().testFlag(Qt::ItemIsEditable));
    QVERIFY(cell(0, ColumnListModel::TypeSection).flags().testFlag(Qt::ItemIsEditable));
    QVERIFY(cell(0, ColumnListModel::RoleSection).flags().testFlag(Qt::ItemIsEditable));
    QVERIFY(!cell(0, ColumnListModel::MissingSection).flags().testFlag(Qt::ItemIsEditable));
    QCOMPARE(cell(1, ColumnListModel::TypeSection).data(Qt::EditRole).toInt(), int(ColumnType::Float));
    QCOMPARE(cell(0, ColumnListModel::RoleSection).data(Qt::EditRole).toInt(), int(ColumnRole::Id));
}

void TestColumnListModel::roleEditChangesTheDataset()
{
    QSignalSpy changed(mModel.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(mModel->setData(cell(2, ColumnListModel::RoleSection), int(ColumnRole::Ignored)));
    QCOMPARE(mDocument->dataset().column(2).role(), ColumnRole::Ignored);
    QCOMPARE(mDocument->profile(2)->role, ColumnRole::Ignored);
    QCOMPARE(cell(2, ColumnListModel::RoleSection).data().toString(), QStringLiteral("Ignored"));
    QVERIFY(!changed.isEmpty());
    // A role change never reloads.
    QVERIFY(!mDocument->isBusy());
}

void TestColumnListModel::secondTargetDemotesTheFirst()
{
    QVERIFY(mModel->setData(cell(1, ColumnListModel::RoleSection), int(ColumnRole::Target)));
    QVERIFY(mModel->setData(cell(3, ColumnListModel::RoleSection), int(ColumnRole::Target)));
    QCOMPARE(mDocument->dataset().column(3).role(), ColumnRole::Target);
    QCOMPARE(mDocument->dataset().column(1).role(), ColumnRole::Feature);
}

void TestColumnListModel::widenTypeInPlace_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("type");

    QTest::newRow("integer-to-float") << 0 << int(ColumnType::Float);
    QTest::newRow("boolean-to-float") << 3 << int(ColumnType::Float);
    QTest::newRow("boolean-to-integer") << 3 << int(ColumnType::Integer);
}

void TestColumnListModel::widenTypeInPlace()
{
    QFETCH(int, column);
    QFETCH(int, type);
    QSignalSpy started(mDocument.get(), &DataDocument::loadStarted);
    const std::vector<double> before = mDocument->dataset().column(std::size_t(column)).numbers();
    QVERIFY(mModel->setData(cell(column, ColumnListModel::TypeSection), type));
    QCOMPARE(int(mDocument->dataset().column(std::size_t(column)).type()), type);
    // Relabelled, not reparsed: the same numbers, no reload; only the profile is recomputed.
    QCOMPARE(started.size(), 0);
    QVERIFY(mDocument->dataset().column(std::size_t(column)).numbers() == before);
    QVERIFY(test::waitUntilIdle(*mDocument));
    QCOMPARE(int(mDocument->profile(std::size_t(column))->type), type);
}

void TestColumnListModel::typeEditReloadsTheFile()
{
    // A role set by hand must survive the reload that a type change causes.
    QVERIFY(mModel->setData(cell(2, ColumnListModel::RoleSection), int(ColumnRole::Ignored)));
    QSignalSpy started(mDocument.get(), &DataDocument::loadStarted);
    QSignalSpy reset(mModel.get(), &QAbstractItemModel::modelReset);
    QVERIFY(mModel->setData(cell(1, ColumnListModel::TypeSection), int(ColumnType::Categorical)));
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.first().first().toString(), QFileInfo(mPath).absoluteFilePath());
    QVERIFY(mDocument->isBusy());
    QVERIFY(test::waitUntilIdle(*mDocument));
    QCOMPARE(reset.size(), 1);

    const Column &price = mDocument->dataset().column(1);
    QCOMPARE(price.type(), ColumnType::Categorical);
    QVERIFY(price.categories().contains(QStringLiteral("2.5")));
    QCOMPARE(cell(1, ColumnListModel::TypeSection).data().toString(), QStringLiteral("Categorical"));
    QCOMPARE(mDocument->profile(1)->type, ColumnType::Categorical);
    QCOMPARE(mDocument->dataset().column(2).role(), ColumnRole::Ignored);
}

void TestColumnListModel::editsAreRefusedWhileBusy()
{
    QVERIFY(mModel->setData(cell(1, ColumnListModel::TypeSection), int(ColumnType::Categorical)));
    QVERIFY(mDocument->isBusy());
    QVERIFY(!cell(2, ColumnListModel::RoleSection).flags().testFlag(Qt::ItemIsEditable));
    QVERIFY(!mModel->setData(cell(2, ColumnListModel::RoleSection), int(ColumnRole::Target)));
    QVERIFY(!mModel->setData(cell(0, ColumnListModel::TypeSection), int(ColumnType::Float)));
    QVERIFY(test::waitUntilIdle(*mDocument));
    QCOMPARE(mDocument->dataset().column(2).role(), ColumnRole::Feature);
    QCOMPARE(mDocument->dataset().column(0).type(), ColumnType::Integer);
}

void TestColumnListModel::badValuesAreRefused_data()
{
    QTest::addColumn<int>("section");
    QTest::addColumn<QVariant>("value");

    QTest::newRow("not-a-number") << int(ColumnListModel::TypeSection) << QVariant(QStringLiteral("banana"));
    QTest::newRow("type-out-of-range") << int(ColumnListModel::TypeSection) << QVariant(99);
    QTest::newRow("role-negative") << int(ColumnListModel::RoleSection) << QVariant(-1);
    QTest::newRow("name-not-editable") << int(ColumnListModel::NameSection) << QVariant(0);
}

void TestColumnListModel::badValuesAreRefused()
{
    QFETCH(int, section);
    QFETCH(QVariant, value);
    QVERIFY(!mModel->setData(mModel->index(1, section), value));
    QCOMPARE(mDocument->dataset().column(1).type(), ColumnType::Float);
    QCOMPARE(mDocument->dataset().column(1).role(), ColumnRole::Feature);
    QVERIFY(!mDocument->isBusy());
}

QTEST_MAIN(TestColumnListModel)
#include "tst_columnlistmodel.moc"
