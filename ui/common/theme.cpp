#include "ui/common/theme.h"

#include <QApplication>
#include <QLabel>
#include <QPalette>
#include <QRegularExpression>
#include <QStyleFactory>
#include <QStyleHints>

// Resources of a static library must be registered by name, outside any namespace.
static void registerWorkbenchResources()
{
    static const bool registered = [] {
        Q_INIT_RESOURCE(workbench);
        return true;
    }();
    Q_UNUSED(registered);
}

namespace plumb::ui {

namespace {

// Tailwind's grey and blue ramps: one family of colours for both schemes.
ThemeColors makeLight()
{
    ThemeColors c;
    c.dark = false;
    c.window = QColor::fromRgb(0xf5f6f8);
    c.surface = QColor::fromRgb(0xffffff);
    c.surfaceAlt = QColor::fromRgb(0xf8fafc);
    c.header = QColor::fromRgb(0xf3f4f6);
    c.border = QColor::fromRgb(0xe5e7eb);
    c.borderStrong = QColor::fromRgb(0xd1d5db);
    c.gridLine = QColor::fromRgb(0xeef0f3);
    c.text = QColor::fromRgb(0x1f2937);
    c.heading = QColor::fromRgb(0x111827);
    c.label = QColor::fromRgb(0x374151);
    c.secondaryText = QColor::fromRgb(0x4b5563);
    c.mutedText = QColor::fromRgb(0x687080);
    c.faintText = QColor::fromRgb(0x9ca3af);
    c.accent = QColor::fromRgb(0x2563eb);
    c.accentStrong = QColor::fromRgb(0x1d4ed8);
    c.accentText = QColor::fromRgb(0x1d4ed8);
    c.onAccent = QColor::fromRgb(0xffffff);
    c.accentDisabled = QColor::fromRgb(0x93b4f5);
    c.selection = QColor::fromRgb(0xdbe7fd);
    c.selectionText = QColor::fromRgb(0x111827);
    c.good = QColor::fromRgb(0x15803d);
    c.warning = QColor::fromRgb(0xb45309);
    c.bad = QColor::fromRgb(0xb91c1c);
    c.invalidBorder = QColor::fromRgb(0xdc2626);
    c.invalidBackground = QColor::fromRgb(0xfef2f2);
    c.errorBackground = QColor::fromRgb(0xfdecea);
    c.errorBorder = QColor::fromRgb(0xf5c2c0);
    c.errorText = QColor::fromRgb(0x7f1d1d);
    c.warningBackground = QColor::fromRgb(0xfff7e6);
    c.warningBorder = QColor::fromRgb(0xf7d9a4);
    c.warningText = QColor::fromRgb(0x78350f);
    c.noticeBackground = QColor::fromRgb(0xe8f1fb);
    c.noticeBorder = QColor::fromRgb(0xb9d3f0);
    c.noticeText = QColor::fromRgb(0x1e3a5f);
    c.progressBackground = QColor::fromRgb(0xeef4ff);
    c.progressBorder = QColor::fromRgb(0xc7d7fe);
    c.missingText = QColor::fromRgb(0x80868f);
    c.missingBackground = QColor::fromRgb(0xfdf3e7);
    c.highlightRow = QColor::fromRgb(0xfef3c7);
    c.betterRow = QColor::fromRgb(0xdcfce7);
    c.worseRow = QColor::fromRgb(0xfee2e2);
    c.chartBackground = QColor::fromRgb(0xffffff);
    c.chartAxisText = QColor::fromRgb(0x6b7280);
    c.chartGrid = QColor::fromRgb(0xe5e7eb);
    c.chartReference = QColor::fromRgb(0x9ca3af);
    c.chartTitle = QColor::fromRgb(0x374151);
    c.chartLegend = QColor(255, 255, 255, 220);
    c.secondAccent = QColor::fromRgb(0xf59e0b);
    c.alert = QColor::fromRgb(0xdc2626);
    c.illustration = QColor::fromRgb(0x3b82f6);
    c.severityMark = QColor::fromRgb(0x1f2937);
    c.printText = QColor::fromRgb(0x333333);
    return c;
}

// The same roles on a slate background: text light, tints dark, verdict colours lifted so they
// keep a contrast of at least 4.5:1 on the surface.
ThemeColors makeDark()
{
    ThemeColors c;
    c.dark = true;
    c.window = QColor::fromRgb(0x111827);
    c.surface = QColor::fromRgb(0x1a2230);
    c.surfaceAlt = QColor::fromRgb(0x1f2937);
    c.header = QColor::fromRgb(0x232d3d);
    c.border = QColor::fromRgb(0x334155);
    c.borderStrong = QColor::fromRgb(0x475569);
    c.gridLine = QColor::fromRgb(0x2a3444);
    c.text = QColor::fromRgb(0xe5e7eb);
    c.heading = QColor::fromRgb(0xf9fafb);
    c.label = QColor::fromRgb(0xd1d5db);
    c.secondaryText = QColor::fromRgb(0xcbd5e1);
    c.mutedText = QColor::fromRgb(0x9ca3af);
    c.faintText = QColor::fromRgb(0x7b8494);
    c.accent = QColor::fromRgb(0x3b82f6);
    c.accentStrong = QColor::fromRgb(0x2563eb);
    c.accentText = QColor::fromRgb(0x93c5fd);
    c.onAccent = QColor::fromRgb(0xffffff);
    c.accentDisabled = QColor::fromRgb(0x1e3a6e);
    c.selection = QColor::fromRgb(0x1e3a8a);
    c.selectionText = QColor::fromRgb(0xf9fafb);
    c.good = QColor::fromRgb(0x4ade80);
    c.warning = QColor::fromRgb(0xfbbf24);
    c.bad = QColor::fromRgb(0xf87171);
    c.invalidBorder = QColor::fromRgb(0xf87171);
    c.invalidBackground = QColor::fromRgb(0x3b1d1d);
    c.errorBackground = QColor::fromRgb(0x3b1d1d);
    c.errorBorder = QColor::fromRgb(0x7f1d1d);
    c.errorText = QColor::fromRgb(0xfecaca);
    c.warningBackground = QColor::fromRgb(0x3a2a10);
    c.warningBorder = QColor::fromRgb(0x78530f);
    c.warningText = QColor::fromRgb(0xfde68a);
    c.noticeBackground = QColor::fromRgb(0x15263f);
    c.noticeBorder = QColor::fromRgb(0x1e40af);
    c.noticeText = QColor::fromRgb(0xbfdbfe);
    c.progressBackground = QColor::fromRgb(0x172554);
    c.progressBorder = QColor::fromRgb(0x1e40af);
    c.missingText = QColor::fromRgb(0x9ca3af);
    c.missingBackground = QColor::fromRgb(0x3a2a14);
    c.highlightRow = QColor::fromRgb(0x4a3b12);
    c.betterRow = QColor::fromRgb(0x14432a);
    c.worseRow = QColor::fromRgb(0x4c1d1d);
    c.chartBackground = QColor::fromRgb(0x1a2230);
    c.chartAxisText = QColor::fromRgb(0x9ca3af);
    c.chartGrid = QColor::fromRgb(0x334155);
    c.chartReference = QColor::fromRgb(0x7b8494);
    c.chartTitle = QColor::fromRgb(0xd1d5db);
    c.chartLegend = QColor(0x1a, 0x22, 0x30, 220);
    c.secondAccent = QColor::fromRgb(0xf59e0b);
    c.alert = QColor::fromRgb(0xf87171);
    c.illustration = QColor::fromRgb(0x3b82f6);
    c.severityMark = QColor::fromRgb(0x1f2937);
    c.printText = QColor::fromRgb(0x333333);
    return c;
}

const ThemeColors kLight = makeLight();
const ThemeColors kDark = makeDark();

ColorScheme gRequested = ColorScheme::Light;
ColorScheme gActive = ColorScheme::Light;
// The application's palette before the theme replaced it: what the platform asked for.
std::optional<QPalette> gPlatformPalette;

QPalette makePalette(const ThemeColors &c)
{
    QPalette palette;
    palette.setColor(QPalette::Window, c.window);
    palette.setColor(QPalette::WindowText, c.text);
    palette.setColor(QPalette::Base, c.surface);
    palette.setColor(QPalette::AlternateBase, c.surfaceAlt);
    palette.setColor(QPalette::Text, c.text);
    palette.setColor(QPalette::Button, c.dark ? c.header : QColor::fromRgb(0xfbfbfc));
    palette.setColor(QPalette::ButtonText, c.text);
    palette.setColor(QPalette::BrightText, c.onAccent);
    palette.setColor(QPalette::Highlight, c.accent);
    palette.setColor(QPalette::HighlightedText, c.onAccent);
    palette.setColor(QPalette::ToolTipBase, c.surface);
    palette.setColor(QPalette::ToolTipText, c.text);
    palette.setColor(QPalette::PlaceholderText, c.mutedText);
    palette.setColor(QPalette::Link, c.accentText);
    palette.setColor(QPalette::LinkVisited, c.accentText);
    palette.setColor(QPalette::Light, c.dark ? c.borderStrong : c.surface);
    palette.setColor(QPalette::Midlight, c.border);
    palette.setColor(QPalette::Mid, c.borderStrong);
    palette.setColor(QPalette::Dark, c.dark ? c.window : c.faintText);
    palette.setColor(QPalette::Shadow, c.dark ? QColor::fromRgb(0x000000) : c.faintText);
    palette.setColor(QPalette::Disabled, QPalette::Text, c.mutedText);
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, c.faintText);
    palette.setColor(QPalette::Disabled, QPalette::WindowText, c.faintText);
    palette.setColor(QPalette::Disabled, QPalette::Base, c.dark ? c.window : c.surfaceAlt);
    return palette;
}

// Tokens such as @surface@ stand for the named colours of the scheme.
const char *const kStyleSheet = R"(
#NavigationList {
    background: #1e2633; border: none; outline: none; padding: 8px 0px;
    color: #cbd5e1; font-size: 10.5pt;
}
#NavigationList::item { padding: 10px 14px; margin: 2px 8px; border-radius: 6px; }
#NavigationList::item:hover { background: #2a3444; color: #f1f5f9; }
#NavigationList::item:selected { background: #2563eb; color: #ffffff; }
#Brand { background: #1e2633; color: #f8fafc; font-size: 13pt; font-weight: 600; padding: 18px 22px 10px 22px; }
#BrandVersion { background: #1e2633; color: #64748b; padding: 0px 22px 14px 22px; font-size: 8.5pt; }
#ViewHeader { background: @surface@; border-bottom: 1px solid @border@; }
#ViewTitle { font-size: 17pt; font-weight: 600; color: @heading@; }
#ViewSubtitle { color: @mutedText@; }
#ErrorBanner { background: @errorBackground@; border-bottom: 1px solid @errorBorder@; }
#ErrorBanner #BannerText { color: @errorText@; }
#WarningBanner { background: @warningBackground@; border-bottom: 1px solid @warningBorder@; }
#WarningBanner #BannerText { color: @warningText@; }
#NoticeBanner { background: @noticeBackground@; border-bottom: 1px solid @noticeBorder@; }
#NoticeBanner #BannerText { color: @noticeText@; }
#ProgressPanel { background: @progressBackground@; border-bottom: 1px solid @progressBorder@; }
#ColumnPane, #ProfilePanel { background: @window@; }
#SectionHeading { color: @mutedText@; font-size: 8.5pt; font-weight: 600; }
#ProfileTitle { font-size: 13pt; font-weight: 600; color: @heading@; }
#ProfileBadges { color: @accentText@; }
#StatLabel { color: @mutedText@; }
#StatValue { color: @heading@; font-weight: 600; }
#EmptyHeading { font-size: 15pt; font-weight: 600; color: @heading@; }
#EmptyText { color: @secondaryText@; font-size: 10.5pt; }
#EmptyNote { color: @faintText@; }
#MutedText { color: @mutedText@; }
#WarningText { color: @warning@; }
#ErrorText { color: @bad@; }
#MonitorSource { background: @surfaceAlt@; border-bottom: 1px solid @border@; }
#ChartCaption { color: @label@; background: @chartBackground@; padding: 4px 10px 8px 10px; }
#ChartPane { background: @chartBackground@; }
QLineEdit[invalid="true"] { border: 1px solid @invalidBorder@; background: @invalidBackground@; }
QTableView { border: 1px solid @border@; gridline-color: @gridLine@; selection-background-color: @selection@; selection-color: @selectionText@; }
QHeaderView::section {
    background: @header@; color: @label@; font-weight: 600; padding: 4px 8px;
    border: none; border-right: 1px solid @border@; border-bottom: 1px solid @border@;
}
QHeaderView::section:vertical { color: @faintText@; font-weight: normal; padding: 0px 6px; }
#PrimaryButton {
    background: @accent@; color: @onAccent@; border: 1px solid @accentStrong@; border-radius: 6px;
    padding: 7px 18px; font-weight: 600;
}
#PrimaryButton:hover { background: @accentStrong@; }
#PrimaryButton:disabled { background: @accentDisabled@; border-color: @accentDisabled@; color: @onAccentDisabled@; }
#PrimaryButton:focus { border: 2px solid @focusRing@; padding: 6px 17px; }
#HeaderButton {
    background: @surface@; color: @text@; border: 1px solid @borderStrong@; border-radius: 6px; padding: 6px 14px;
}
#HeaderButton:hover { background: @header@; }
#HeaderButton:disabled { color: @faintText@; }
#HeaderButton:focus { border: 2px solid @accent@; padding: 5px 13px; }
#Card { background: @surface@; border: 1px solid @border@; border-radius: 8px; }
#Card QLabel { background: transparent; }
#CardTitle { font-size: 15pt; font-weight: 600; color: @heading@; }
#CardText { color: @secondaryText@; }
#SignatureHeadline { font-size: 11pt; }
#Digest { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; color: @heading@; background: @header@; border: 1px solid @border@;
          border-radius: 4px; padding: 6px 8px; }
#MetricTile { background: @surfaceAlt@; border: 1px solid @border@; border-radius: 6px; }
#MetricValue { font-size: 16pt; font-weight: 600; color: @heading@; }
#MetricName { color: @mutedText@; font-size: 8.5pt; }
#ModelDetails::pane { border: 1px solid @border@; background: @surface@; }
QTabBar::tab { padding: 7px 16px; color: @secondaryText@; border: none; border-bottom: 2px solid transparent; background: transparent; }
QTabBar::tab:selected { color: @accentText@; border-bottom: 2px solid @accent@; font-weight: 600; }
QTabBar::tab:hover { color: @heading@; }
QTreeView { border: 1px solid @border@; }
QStatusBar { background: @surface@; border-top: 1px solid @border@; color: @secondaryText@; }
QStatusBar QLabel { color: @secondaryText@; padding: 0px 8px; }
QSplitter::handle { background: @border@; }
#TrainSetup, #ResultsPanel, #HistoryPane { background: @window@; }
QGroupBox#SetupGroup {
    background: @surface@; border: 1px solid @border@; border-radius: 8px; margin-top: 16px; padding: 14px 10px 10px 10px;
}
QGroupBox#SetupGroup::title { subcontrol-origin: margin; left: 10px; padding: 0px 4px; color: @label@; }
QSplitter::handle:horizontal { width: 1px; }
)";

QString styleSheet(const ThemeColors &c)
{
    const std::pair<const char *, QColor> tokens[] = {
        {"window", c.window},
        {"surface", c.surface},
        {"surfaceAlt", c.surfaceAlt},
        {"header", c.header},
        {"border", c.border},
        {"borderStrong", c.borderStrong},
        {"gridLine", c.gridLine},
        {"text", c.text},
        {"heading", c.heading},
        {"label", c.label},
        {"secondaryText", c.secondaryText},
        {"mutedText", c.mutedText},
        {"faintText", c.faintText},
        {"accent", c.accent},
        {"accentStrong", c.accentStrong},
        {"accentText", c.accentText},
        {"onAccent", c.onAccent},
        {"accentDisabled", c.accentDisabled},
        {"selection", c.selection},
        {"selectionText", c.selectionText},
        {"warning", c.warning},
        {"bad", c.bad},
        {"invalidBorder", c.invalidBorder},
        {"invalidBackground", c.invalidBackground},
        {"errorBackground", c.errorBackground},
        {"errorBorder", c.errorBorder},
        {"errorText", c.errorText},
        {"warningBackground", c.warningBackground},
        {"warningBorder", c.warningBorder},
        {"warningText", c.warningText},
        {"noticeBackground", c.noticeBackground},
        {"noticeBorder", c.noticeBorder},
        {"noticeText", c.noticeText},
        {"progressBackground", c.progressBackground},
        {"progressBorder", c.progressBorder},
        {"chartBackground", c.chartBackground},
        // The focus ring on the accent button: dark navy on light, white on dark.
        {"focusRing", c.dark ? QColor::fromRgb(0xffffff) : QColor::fromRgb(0x0b1f4d)},
        {"onAccentDisabled", c.dark ? c.faintText : c.onAccent},
    };
    QString sheet = QString::fromUtf8(kStyleSheet);
    for (const auto &[name, color] : tokens)
        sheet.replace(QLatin1Char('@') + QLatin1String(name) + QLatin1Char('@'), color.name());
    Q_ASSERT(!sheet.contains(QRegularExpression(QStringLiteral("@\\w+@"))));
    return sheet;
}

ColorScheme resolve(ColorScheme scheme)
{
    return scheme == ColorScheme::System ? platformColorScheme() : scheme;
}

void applyScheme(QApplication &application, ColorScheme active)
{
    const ThemeColors &from = themeColors();
    const bool changed = active != gActive;
    gActive = active;
    const ThemeColors &to = themeColors();
    application.setPalette(makePalette(to));
    application.setStyleSheet(styleSheet(to));
    if (changed)
        emit themeNotifier()->changed(from, to);
}

} // namespace

const ThemeColors &themeColors()
{
    return themeColors(gActive);
}

const ThemeColors &themeColors(ColorScheme scheme)
{
    return resolve(scheme) == ColorScheme::Dark ? kDark : kLight;
}

QString colorSchemeName(ColorScheme scheme)
{
    switch (scheme) {
    case ColorScheme::System:
        return QStringLiteral("system");
    case ColorScheme::Light:
        return QStringLiteral("light");
    case ColorScheme::Dark:
        return QStringLiteral("dark");
    }
    return {};
}

std::optional<ColorScheme> parseColorScheme(const QString &name)
{
    for (ColorScheme scheme : {ColorScheme::System, ColorScheme::Light, ColorScheme::Dark})
        if (name.compare(colorSchemeName(scheme), Qt::CaseInsensitive) == 0)
            return scheme;
    return std::nullopt;
}

ColorScheme platformColorScheme()
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    switch (QGuiApplication::styleHints()->colorScheme()) {
    case Qt::ColorScheme::Dark:
        return ColorScheme::Dark;
    case Qt::ColorScheme::Light:
        return ColorScheme::Light;
    case Qt::ColorScheme::Unknown:
        break;
    }
#endif
    // Qt 6.4 has no colour-scheme hint: a platform theme that hands out a dark palette, or a GTK
    // theme chosen as "Adwaita:dark" / "Adwaita-dark", says the desktop is dark.
    const QPalette platform = gPlatformPalette ? *gPlatformPalette : QGuiApplication::palette();
    if (platform.color(QPalette::Window).lightness() < platform.color(QPalette::WindowText).lightness())
        return ColorScheme::Dark;
    const QString gtkTheme = qEnvironmentVariable("GTK_THEME");
    if (gtkTheme.endsWith(QLatin1String(":dark"), Qt::CaseInsensitive)
        || gtkTheme.endsWith(QLatin1String("-dark"), Qt::CaseInsensitive))
        return ColorScheme::Dark;
    return ColorScheme::Light;
}

void registerResources()
{
    registerWorkbenchResources();
}

void applyTheme(QApplication &application, ColorScheme scheme)
{
    registerResources();
    if (!gPlatformPalette) {
        gPlatformPalette = QGuiApplication::palette();
        application.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
        // Follow the desktop while it changes, as long as the user asked for System.
        QObject::connect(QGuiApplication::styleHints(), &QStyleHints::colorSchemeChanged, &application, [&application] {
            if (gRequested == ColorScheme::System)
                applyScheme(application, platformColorScheme());
        });
#endif
    }
    gRequested = scheme;
    applyScheme(application, resolve(scheme));
}

ColorScheme requestedColorScheme()
{
    return gRequested;
}

ColorScheme activeColorScheme()
{
    return gActive;
}

ThemeNotifier *themeNotifier()
{
    static ThemeNotifier notifier;
    return &notifier;
}

QLabel *createSectionHeading(const QString &text)
{
    auto *label = new QLabel(text.toUpper());
    label->setObjectName(QStringLiteral("SectionHeading"));
    return label;
}

QColor withAlpha(QColor color, int alpha)
{
    color.setAlpha(alpha);
    return color;
}

QString coloredHtml(const QColor &color, const QString &text)
{
    return QStringLiteral("<span style=\"color:%1\">%2</span>").arg(color.name(), text);
}

} // namespace plumb::ui
