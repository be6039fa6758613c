#pragma once

#include <QFrame>

class QHBoxLayout;
class QLabel;

namespace plumb::ui {

// The band across the top of every view: a large title, a muted subtitle line that says what is
// shown, and room on the right for the view's main actions.
class ViewHeader : public QFrame
{
    Q_OBJECT

public:
    explicit ViewHeader(const QString &title, const QString &subtitle = {}, QWidget *parent = nullptr);

    QString title() const;
    QString subtitle() const;
    void setSubtitle(const QString &subtitle);
    // Appends a widget (usually a button) to the right-hand action area.
    void addAction(QWidget *widget);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void elideSubtitle();

    QLabel *mTitle;
    QLabel *mSubtitle;
    QString mFullSubtitle; // shown elided in the middle where it does not fit
    QHBoxLayout *mActions;
};

} // namespace plumb::ui
