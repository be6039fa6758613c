#pragma once

#include <QColor>
#include <QObject>
#include <QString>

#include <optional>

class QApplication;
class QLabel;

namespace plumb::ui {

// Which palette the workbench uses: the platform's choice, or one the user picked.
enum class ColorScheme { System, Light, Dark };

// The named colours of one palette. Views, charts and banners take their colours from here, never
// from literals, so each reads well in light and in dark.
struct ThemeColors
{
    bool dark = false;
    // Surfaces, back to front: the window, a raised surface (cards, headers, charts), a tinted one
    // (tiles, table headers), and their borders.
    QColor window, surface, surfaceAlt, header, border, borderStrong, gridLine;
    // Text: body, headings, labels, secondary (descriptions), muted (captions), faint (notes).
    QColor text, heading, label, secondaryText, mutedText, faintText;
    // The blue accent, its pressed/hover shade, the accent as text (links, badges), text on it,
    // the disabled accent, and the row selection.
    QColor accent, accentStrong, accentText, onAccent, accentDisabled, selection, selectionText;
    // Verdicts in text: good, warning, bad; a field that does not parse.
    QColor good, warning, bad, invalidBorder, invalidBackground;
    // Banners and the progress strip: background, border, text.
    QColor errorBackground, errorBorder, errorText;
    QColor warningBackground, warningBorder, warningText;
    QColor noticeBackground, noticeBorder, noticeText;
    QColor progressBackground, progressBorder;
    // Table cells: a missing value, a highlighted row (differences), better/worse than before.
    QColor missingText, missingBackground, highlightRow, betterRow, worseRow;
    // Charts: background, tick labels and axis titles, grid lines, reference series, titles and
    // value labels, the legend's background.
    QColor chartBackground, chartAxisText, chartGrid, chartReference, chartTitle, chartLegend;
    // The second series colour (beside the accent), and alerts drawn on charts.
    QColor secondAccent, alert;
    // The large icon of an empty state (a lighter blue than the accent on buttons); the marks
    // drawn over the heat map's severity colours (the same in both schemes, so dark in both); text
    // printed on a white page (the headings of an exported PDF, whatever the screen's scheme).
    QColor illustration, severityMark, printText;
};

// The colours of the scheme in use (light until applyTheme() chose another).
const ThemeColors &themeColors();
// The colours of a given scheme: Light or Dark (System reads as the platform's).
const ThemeColors &themeColors(ColorScheme scheme);

// "system", "light", "dark"; parseColorScheme is nullopt for anything else.
QString colorSchemeName(ColorScheme scheme);
std::optional<ColorScheme> parseColorScheme(const QString &name);

// The scheme the platform asks for: Qt's colour-scheme hint where Qt has one (6.5 and later),
// else a dark platform palette (window darker than its text) or GTK_THEME naming a dark variant.
// Never System.
ColorScheme platformColorScheme();

// The workbench look: the Fusion style, the palette of `scheme` (System follows the platform, and
// keeps following it on Qt versions that report changes) with one blue accent, and a style sheet
// for the navigation, view headers, banners and panels (selected by object name). Registers the
// icon resources. Call before the first window is created; calling again switches the scheme of
// every open window (themeNotifier() tells charts to recolour).
void applyTheme(QApplication &application, ColorScheme scheme = ColorScheme::Light);
// The scheme asked for in the last applyTheme() (possibly System), and the one that resulted.
ColorScheme requestedColorScheme();
ColorScheme activeColorScheme();

// Emits changed(from, to) after applyTheme() switched palettes, for what paints with theme colours
// itself (charts).
class ThemeNotifier : public QObject
{
    Q_OBJECT

signals:
    void changed(const plumb::ui::ThemeColors &from, const plumb::ui::ThemeColors &to);
};
ThemeNotifier *themeNotifier();

// A small upper-case heading over a section of a panel ("TRAIN ON"), styled by the theme.
QLabel *createSectionHeading(const QString &text);

// `color` with its alpha set to `alpha` (0 to 255): a theme colour as a translucent fill.
QColor withAlpha(QColor color, int alpha);

// "<span style="color:#b91c1c">text</span>" in the given colour, for rich-text labels.
QString coloredHtml(const QColor &color, const QString &text);

// Makes the ":/icons/..." resources available; safe to call any number of times.
void registerResources();

} // namespace plumb::ui
