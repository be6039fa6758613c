#pragma once

#include <QWidget>

#include <vector>

class QVBoxLayout;

namespace plumb::ui {

// A row of widgets that wraps: as many widgets on a line as their minimum widths allow, left to
// right, the rest on the lines below; each line shares its width among its widgets by their
// stretch. Its minimum width is its widest widget's, so a pane holding it is never pushed wider
// than its window: at 1024x640 a row of three charts becomes three lines of one, at 1440x900 it
// stays one line. Hidden widgets take no room.
class WrapRow : public QWidget
{
    Q_OBJECT

public:
    explicit WrapRow(QWidget *parent = nullptr);

    // Adds `widget` at the end of the row, with `stretch` (as QBoxLayout's) on its line.
    void addWidget(QWidget *widget, int stretch = 1);
    // The gap between widgets, across and down.
    void setSpacing(int spacing);
    // How many lines the widgets take at the current width.
    int lineCount() const { return int(mLines.size()); }

    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Entry
    {
        QWidget *widget;
        int stretch;
    };
    // The index of the first widget of each line at `width`.
    std::vector<std::size_t> lineStarts(int width) const;
    void arrange();

    std::vector<Entry> mEntries;
    std::vector<std::size_t> mLines; // the first widget of each line, as laid out now
    QVBoxLayout *mLayout;
    int mSpacing = 10;
};

} // namespace plumb::ui
