#include "ui/common/progresspanel.h"

#include "ui/common/progresstracker.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace plumb::ui {

namespace {

constexpr int kPollMilliseconds = 50;
constexpr int kSteps = 1000;

} // namespace

ProgressPanel::ProgressPanel(QWidget *parent)
    : QFrame(parent), mLabel(new QLabel), mBar(new QProgressBar), mCancel(new QPushButton(QStringLiteral("Cancel")))
{
    setObjectName(QStringLiteral("ProgressPanel"));
    mLabel->setTextFormat(Qt::PlainText);
    mLabel->setMinimumWidth(0);
    mLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    mBar->setRange(0, kSteps);
    mBar->setTextVisible(true);
    mBar->setFormat(QStringLiteral("%p%"));
    mBar->setMinimumWidth(240);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(24, 8, 24, 8);
    layout->setSpacing(12);
    layout->addWidget(mLabel, 1);
    layout->addWidget(mBar, 1);
    layout->addWidget(mCancel);

    mTimer.setInterval(kPollMilliseconds);
    connect(&mTimer, &QTimer::timeout, this, &ProgressPanel::poll);
    connect(mCancel, &QPushButton::clicked, this, [this] {
        mCancel->setEnabled(false);
        mCancel->setText(QStringLiteral("Cancelling\u2026"));
        emit cancelRequested();
    });
    hide();
}

void ProgressPanel::track(std::shared_ptr<const ProgressTracker> tracker, const QString &title)
{
    mTracker = std::move(tracker);
    mTitle = title;
    mBar->setValue(0);
    mCancel->setEnabled(true);
    mCancel->setText(QStringLiteral("Cancel"));
    poll();
    show();
    mTimer.start();
}

void ProgressPanel::finish()
{
    mTimer.stop();
    mTracker.reset();
    hide();
}

int ProgressPanel::value() const
{
    return mBar->value();
}

void ProgressPanel::poll()
{
    if (!mTracker)
        return;
    mBar->setValue(int(mTracker->fraction() * kSteps));
    const QString stage = mTracker->stage();
    mLabel->setText(stage.isEmpty() ? mTitle : QStringLiteral("%1 \u2014 %2").arg(mTitle, stage));
}

} // namespace plumb::ui
