#pragma once

#include <QString>

#include <functional>

class QPushButton;

namespace plumb::ui {

// A flat button in the look of the view headers' actions (the "HeaderButton" style), with an
// optional icon from the resources (":/icons/open.svg").
QPushButton *createHeaderButton(const QString &text, const QString &iconPath = {});

// A "Copy" header button that puts `text()` on the clipboard and says "Copied" for a moment, for
// digests and other values people paste elsewhere.
QPushButton *createCopyButton(std::function<QString()> text);

} // namespace plumb::ui
