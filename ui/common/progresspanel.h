#pragma once

#include <QFrame>
#include <QTimer>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;

namespace plumb::ui {

class ProgressTracker;

// A strip with what is running, a progress bar and a Cancel button. It polls a ProgressTracker
// on a timer while visible, so the worker never waits on the GUI.
class ProgressPanel : public QFrame
{
    Q_OBJECT

public:
    explicit ProgressPanel(QWidget *parent = nullptr);

    // Shows the panel and follows `tracker` until finish(). `title` says what runs ("Loading x.csv").
    void track(std::shared_ptr<const ProgressTracker> tracker, const QString &title);
    void finish();

    // The bar's position, 0 to 1000.
    int value() const;

signals:
    void cancelRequested();

private:
    void poll();

    std::shared_ptr<const ProgressTracker> mTracker;
    QString mTitle;
    QLabel *mLabel;
    QProgressBar *mBar;
    QPushButton *mCancel;
    QTimer mTimer;
};

} // namespace plumb::ui
