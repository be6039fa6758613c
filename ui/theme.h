#pragma once

class QApplication;
class QLabel;
class QString;

namespace plumb::ui {

// The workbench look: the Fusion style, a light palette with one blue accent, and a small style
// sheet for the navigation, view headers, banners and panels (selected by object name).
// Also registers the icon resources. Call once, before the first window is created.
void applyTheme(QApplication &application);

// A small upper-case heading over a section of a panel ("TRAIN ON"), styled by the theme.
QLabel *createSectionHeading(const QString &text);

// Makes the ":/icons/..." resources available; safe to call any number of times.
void registerResources();

} // namespace plumb::ui
