#pragma once

#include <QFrame>
#include <QStringList>

class QLabel;
class QPushButton;

namespace plumb::ui {

// An inline strip that reports an error, warnings or a notice (something to act on that is not a
// fault, such as a proposal to retrain) without blocking the window.
// It shows the first message in full; when there are more, "Details…" lists them all.
class MessageBanner : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Error, Warning, Notice };

    explicit MessageBanner(QWidget *parent = nullptr);

    // Shows `messages` (at least one); the banner stays until dismissed or replaced.
    void showMessages(Kind kind, const QStringList &messages);
    void dismiss();

    Kind kind() const { return mKind; }
    // The messages shown, in order; empty when dismissed.
    const QStringList &messages() const { return mMessages; }
    // The text of the banner's main line.
    QString text() const;

private:
    void showDetails();

    Kind mKind = Kind::Error;
    QStringList mMessages;
    QLabel *mIcon;
    QLabel *mText;
    QPushButton *mDetails;
};

} // namespace plumb::ui
