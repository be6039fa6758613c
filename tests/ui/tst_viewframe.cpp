#include "ui/common/emptystateview.h"
#include "ui/common/progresspanel.h"
#include "ui/common/progresstracker.h"
#include "ui/common/viewframe.h"
#include "ui/common/viewheader.h"

#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QtTest>

using namespace plumb::ui;

// The shell of the workbench's views: what it holds, where a view's parts go, and the Tab order
// down the frame whatever order the view added its parts in.
class TestViewFrame : public QObject
{
    Q_OBJECT

private slots:
    void tabGoesDownTheFrame();
    void emptyStateIsTheFirstPage();
    void pagesCanLiveInTheViewsOwnBody();
    void cancelReachesTheView();
};

namespace {

QPushButton *button(const QString &text)
{
    auto *created = new QPushButton(text);
    created->setObjectName(text);
    return created;
}

} // namespace

void TestViewFrame::tabGoesDownTheFrame()
{
    ViewFrame frame(QStringLiteral("Title"), QStringLiteral("Subtitle"));
    // As the views do: actions and strips come after the frame's own banner and progress panel
    // were made, and the pages' content after them.
    frame.addAction(button(QStringLiteral("first-action")));
    frame.addAction(button(QStringLiteral("second-action")));
    auto *source = new QLineEdit;
    source->setObjectName(QStringLiteral("source-strip"));
    frame.addStrip(source, ViewFrame::StripPlace::BelowHeader);
    frame.addStrip(button(QStringLiteral("strip-below-banner")), ViewFrame::StripPlace::BelowBanner);
    EmptyStateView *empty = frame.setEmptyState(QStringLiteral(":/icons/data.svg"), QStringLiteral("Nothing"),
                                                QStringLiteral("Yet"));
    empty->addButton(QStringLiteral("content"))->setObjectName(QStringLiteral("content"));
    // Two messages: the banner shows its Details button; a job: the panel shows Cancel.
    frame.showMessage(MessageBanner::Kind::Warning, {QStringLiteral("one"), QStringLiteral("two")});
    frame.showProgress(std::make_shared<ProgressTracker>(), QStringLiteral("Working"));
    frame.resize(900, 600);
    frame.show();
    QVERIFY(QTest::qWaitForWindowActive(&frame));

    // Reading order, top to bottom (the layout of viewframe.cpp).
    const QStringList expected{QStringLiteral("first-action"), QStringLiteral("second-action"),
                               QStringLiteral("source-strip"), QStringLiteral("BannerButton"),
                               QStringLiteral("BannerClose"),  QStringLiteral("strip-below-banner"),
                               QStringLiteral("Cancel"),       QStringLiteral("content")};
    frame.findChild<QPushButton *>(QStringLiteral("first-action"))->setFocus(Qt::TabFocusReason);
    QStringList visited;
    for (int i = 0; i < expected.size(); ++i) {
        QWidget *focus = QApplication::focusWidget();
        QVERIFY(focus);
        auto *push = qobject_cast<QPushButton *>(focus);
        visited.append(push && push->text() == QStringLiteral("Cancel") ? push->text() : focus->objectName());
        QTest::keyClick(focus, Qt::Key_Tab);
    }
    QCOMPARE(visited, expected);
}

void TestViewFrame::emptyStateIsTheFirstPage()
{
    ViewFrame frame(QStringLiteral("Title"));
    auto *content = new QWidget;
    // A page added before the empty state still leaves the empty state first.
    QCOMPARE(frame.addPage(content), 0);
    EmptyStateView *empty = frame.setEmptyState(QStringLiteral(":/icons/data.svg"), QStringLiteral("Nothing"),
                                                QStringLiteral("Yet"));
    QCOMPARE(frame.emptyState(), empty);
    QCOMPARE(frame.pages()->indexOf(empty), 0);
    QCOMPARE(frame.pages()->indexOf(content), 1);
    QCOMPARE(frame.currentPageIndex(), 0);
    frame.showPage(content);
    QCOMPARE(frame.currentPageIndex(), 1);
    frame.showEmptyState();
    QCOMPARE(frame.pages()->currentWidget(), empty);
    frame.setSubtitle(QStringLiteral("Now this"));
    QCOMPARE(frame.header()->subtitle(), QStringLiteral("Now this"));
}

void TestViewFrame::pagesCanLiveInTheViewsOwnBody()
{
    ViewFrame frame(QStringLiteral("Title"));
    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(new QWidget);
    splitter->addWidget(frame.pages());
    frame.setBody(splitter);
    frame.resize(800, 600);
    frame.show();
    QVERIFY(QTest::qWaitForWindowExposed(&frame));
    QCOMPARE(frame.pages()->parentWidget(), splitter);
    QCOMPARE(splitter->parentWidget(), &frame);
    // The body takes the room the header leaves (stretch 1), as the pages would have.
    QVERIFY(splitter->geometry().bottom() >= frame.height() - 1);
    QVERIFY(splitter->geometry().top() >= frame.header()->geometry().bottom());
}

void TestViewFrame::cancelReachesTheView()
{
    ViewFrame frame(QStringLiteral("Title"));
    QSignalSpy cancelled(&frame, &ViewFrame::cancelRequested);
    frame.showProgress(std::make_shared<ProgressTracker>(), QStringLiteral("Working"));
    QVERIFY(frame.progressPanel()->isVisibleTo(&frame));
    QPushButton *cancel = frame.progressPanel()->findChild<QPushButton *>();
    QVERIFY(cancel);
    cancel->click();
    QCOMPARE(cancelled.size(), 1);
    frame.hideProgress();
    QVERIFY(!frame.progressPanel()->isVisibleTo(&frame));
}

QTEST_MAIN(TestViewFrame)
#include "tst_viewframe.moc"
