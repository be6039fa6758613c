#pragma once

#include "ui/common/messagebanner.h"

#include <QList>
#include <QWidget>

#include <memory>

class QStackedWidget;
class QVBoxLayout;

namespace plumb::ui {

class EmptyStateView;
class ProgressPanel;
class ProgressTracker;
class ViewHeader;

// The shell every workbench view is built in, top to bottom: the header (title, subtitle and the
// view's actions), the view's own strips, the message banner, the progress panel with its Cancel
// button, and the pages of content, the first of which is usually an empty state. A view derives
// from it and fills it; Tab goes down the shell in that order.
class ViewFrame : public QWidget
{
    Q_OBJECT

public:
    // Where addStrip puts a strip: right under the header, or right under the banner.
    enum class StripPlace { BelowHeader, BelowBanner };

    explicit ViewFrame(const QString &title, const QString &subtitle = {}, QWidget *parent = nullptr);

    ViewHeader *header() const { return mHeader; }
    MessageBanner *banner() const { return mBanner; }
    ProgressPanel *progressPanel() const { return mProgress; }

    void setSubtitle(const QString &subtitle);
    // Appends a widget (usually a button) to the header's action area, left to right.
    void addAction(QWidget *action);
    // Adds a bar of the view's own (a source picker, a second banner) at `place`, below those
    // added there before.
    void addStrip(QWidget *strip, StripPlace place);

    void showMessage(MessageBanner::Kind kind, const QStringList &messages);
    void showError(const QString &message) { showMessage(MessageBanner::Kind::Error, {message}); }
    void dismissMessage();

    // Shows the progress panel following `tracker` (its Cancel emits cancelRequested) until
    // hideProgress().
    void showProgress(std::shared_ptr<const ProgressTracker> tracker, const QString &title);
    void hideProgress();

    // Makes an empty state the first page and shows it.
    EmptyStateView *setEmptyState(const QString &iconPath, const QString &heading, const QString &text);
    EmptyStateView *emptyState() const { return mEmpty; }
    // Adds a page of content after those added before; returns its index.
    int addPage(QWidget *page);
    void showPage(int index);
    void showPage(QWidget *page);
    void showEmptyState() { showPage(0); }
    int currentPageIndex() const;
    // The stack of pages. It fills the rest of the frame, unless the view places it inside a
    // widget of its own (a splitter beside a list) and hands that to setBody().
    QStackedWidget *pages() const { return mPages; }
    void setBody(QWidget *body);

signals:
    void cancelRequested();

private:
    void keepFocusOrder();

    QVBoxLayout *mLayout;
    ViewHeader *mHeader;
    MessageBanner *mBanner;
    ProgressPanel *mProgress;
    QStackedWidget *mPages;
    EmptyStateView *mEmpty = nullptr;
    QList<QWidget *> mActions;
    QList<QWidget *> mStripsBelowHeader;
    QList<QWidget *> mStripsBelowBanner;
};

} // namespace plumb::ui
