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
    // Replaces the heading and paragraph (a page reused for different messages).
    void setMessage(const QString &heading, const QString &text);
    // Redraws the icon in `color` (themeColors().illustration by default; red for an error page).
    void setIcon(const QString &iconPath, const QColor &color);
    // Lets the reader select and copy the paragraph (an error message they may need to quote).
    void setTextSelectable(bool selectable);
    // A muted line under the paragraph.
    void setNote(const QString &note);
    // Adds a button under the text; the first one added is the default action.
    QPushButton *addButton(const QString &label);

private:
    QLabel *mIcon;
    QLabel *mHeading;
    QLabel *mText;
    QLabel *mNote;
    QWidget *mButtons;
};

} // namespace plumb::ui
