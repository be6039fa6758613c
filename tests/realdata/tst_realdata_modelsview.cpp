// The models tst_realdata saved from the public datasets (one per dataset x model family of
// manifest.json, written into realDataModelsDirectory()) open in the Models view, offscreen: the
// view's own document loader (ModelDocument, ui/modeldocument.h) reads them and the view shows the
// model, not its error page. tst_realdata runs first (CTest DEPENDS); a model it could not train
// fails its row here too, naming the file.

#include "realdatamanifest.h"

#include "ui/common/emptystateview.h"
#include "ui/models/modelsview.h"

#include <QSignalSpy>
#include <QTest>

using namespace plumb::test;
using plumb::ui::ModelDocument;
using plumb::ui::ModelsView;

namespace {
// Only a hang guard for a loaded machine, never a performance expectation.
constexpr int kLoadTimeoutMs = 120000;
} // namespace

class TestRealDataModelsView : public QObject
{
    Q_OBJECT

private slots:
    void opensWithoutErrorPage_data();
    void opensWithoutErrorPage();
};

void TestRealDataModelsView::opensWithoutErrorPage_data()
{
    QTest::addColumn<QString>("path");
    QString error;
    const std::vector<RealDataCase> cases = readRealDataCases(error);
    if (cases.empty())
        QFAIL(qPrintable(error));
    for (const RealDataCase &c : cases)
        QTest::newRow(qPrintable(c.rowName())) << realDataModelPath(c.dataset, c.family);
}

void TestRealDataModelsView::opensWithoutErrorPage()
{
    QFETCH(QString, path);
    QVERIFY2(QFile::exists(path), qPrintable(QStringLiteral("%1 does not exist: tst_realdata did not save it").arg(path)));
    ModelsView view;
    QSignalSpy loaded(view.document(), &ModelDocument::modelLoaded);
    QSignalSpy failed(view.document(), &ModelDocument::loadFailed);
    QVERIFY(view.openModel(path));
    QVERIFY2(QTest::qWaitFor([&] { return loaded.size() + failed.size() == 1; }, kLoadTimeoutMs), "the load did not finish");
    QVERIFY2(failed.isEmpty(), qPrintable(failed.isEmpty() ? QString() : failed.first().at(1).toString()));
    QCOMPARE(view.currentPage(), ModelsView::Page::Model);
    QVERIFY(view.document()->model() != nullptr);
}

QTEST_MAIN(TestRealDataModelsView)
#include "tst_realdata_modelsview.moc"
