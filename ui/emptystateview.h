#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace plumb::ui {

// A centred card for a view with nothing to show yet: an icon, a heading, one paragraph that says
// what the view is for, an optional note and optional buttons.
class EmptyStateView : public QWidget
{
    Q_OBJECT

public:
    EmptyStateView(const QString &iconPath, const QString &heading, const QString &text, QWidget *parent = nullptr);

    QString heading() const;
    QString text() const;
    // A muted line under the paragraph.
    void setNote(const QString &note);
    // Adds a button under the text; the first one added is the default action.
    QPushButton *addButton(const QString &label);

private:
    QLabel *mHeading;
    QLabel *mText;
    QLabel *mNote;
    QWidget *mButtons;
};

} // namespace plumb::ui
