#pragma once

class QApplication;

namespace plumb::ui {

// The workbench look: the Fusion style, a light palette with one blue accent, and a small style
// sheet for the navigation, view headers, banners and panels (selected by object name).
// Also registers the icon resources. Call once, before the first window is created.
void applyTheme(QApplication &application);

// Makes the ":/icons/..." resources available; safe to call any number of times.
void registerResources();

} // namespace plumb::ui
