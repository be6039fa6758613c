#include "ui/charts/chartstyle.h"
#include "ui/charts/curvechart.h"
#include "ui/common/theme.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QMenuBar>
#include <QSettings>
#include <QtTest>

#include <cmath>

using namespace plumb::ui;

namespace {

// WCAG 2.1 relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
double luminance(const QColor &color)
{
    const auto channel = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

// The light and dark palettes, the command-line/setting names, and switching at run time.
class TestTheme : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("Plumb"));
        QCoreApplication::setApplicationName(QStringLiteral("Plumb Workbench Test"));
    }
    void init() { applyTheme(*qApp, ColorScheme::Light); }
    void cleanupTestCase() { applyTheme(*qApp, ColorScheme::Light); }
    void names_data();
    void names();
    void textIsReadable_data();
    void textIsReadable();
    void withAlphaKeepsTheColour();
    void paletteFollowsTheScheme();
    void chartsFollowTheScheme();
    void menuSwitchesTheScheme();
};

void TestTheme::names_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected"); // -1: refused
    QTest::newRow("system") << QStringLiteral("system") << int(ColorScheme::System);
    QTest::newRow("light") << QStringLiteral("light") << int(ColorScheme::Light);
    QTest::newRow("dark-any-case") << QStringLiteral("Dark") << int(ColorScheme::Dark);
    QTest::newRow("unknown") << QStringLiteral("dim") << -1;
    QTest::newRow("empty") << QString() << -1;
}

void TestTheme::names()
{
    QFETCH(QString, text);
    QFETCH(int, expected);
    const std::optional<ColorScheme> parsed = parseColorScheme(text);
    QCOMPARE(parsed ? int(*parsed) : -1, expected);
    if (parsed)
        QCOMPARE(parseColorScheme(colorSchemeName(*parsed)), parsed);
}

void TestTheme::textIsReadable_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QString>("role");
    QTest::addColumn<QColor>("foreground");
    QTest::addColumn<QColor>("background");
    QTest::addColumn<double>("minimum");
    // WCAG AA: 4.5:1 for body text; 3:1 for large text (headings, chart ticks in bold) and notes.
    for (const bool dark : {false, true}) {
        const ThemeColors &c = themeColors(dark ? ColorScheme::Dark : ColorScheme::Light);
        const QByteArray scheme = dark ? "dark/" : "light/";
        const auto row = [&](const char *role, const QColor &fg, const QColor &bg, double minimum) {
            QTest::newRow(scheme + role) << dark << QString::fromLatin1(role) << fg << bg << minimum;
        };
        row("text-on-window", c.text, c.window, 4.5);
        row("text-on-surface", c.text, c.surface, 4.5);
        row("heading-on-surface", c.heading, c.surface, 4.5);
        row("secondary-on-surface", c.secondaryText, c.surface, 4.5);
        row("muted-on-window", c.mutedText, c.window, 4.5);
        row("muted-on-surface", c.mutedText, c.surface, 4.5);
        row("faint-on-surface", c.faintText, c.surface, 2.5);
        row("accent-text-on-surface", c.accentText, c.surface, 4.5);
        row("good-on-surface", c.good, c.surface, 4.5);
        row("warning-on-surface", c.warning, c.surface, 4.5);
        row("bad-on-surface", c.bad, c.surface, 4.5);
        row("on-accent", c.onAccent, c.accent, 3.0);
        row("selection", c.selectionText, c.selection, 4.5);
        row("error-banner", c.errorText, c.errorBackground, 4.5);
        row("warning-banner", c.warningText, c.warningBackground, 4.5);
        row("notice-banner", c.noticeText, c.noticeBackground, 4.5);
        row("chart-ticks", c.chartAxisText, c.chartBackground, 4.5);
        row("chart-title", c.chartTitle, c.chartBackground, 4.5);
        row("missing-cell", c.missingText, c.missingBackground, 3.0);
        row("highlighted-row", c.text, c.highlightRow, 4.5);
        row("better-row", c.text, c.betterRow, 4.5);
        row("worse-row", c.text, c.worseRow, 4.5);
        // Graphics (WCAG 1.4.11, 3:1): the empty state's icon on the window behind it.
        row("illustration-on-window", c.illustration, c.window, 3.0);
        // An exported PDF's headings are printed on a white page in either scheme.
        row("print-text-on-paper", c.printText, QColor(Qt::white), 4.5);
    }
}

void TestTheme::textIsReadable()
{
    QFETCH(QColor, foreground);
    QFETCH(QColor, background);
    QFETCH(double, minimum);
    const double ratio = contrast(foreground, background);
    QVERIFY2(ratio >= minimum,
             qPrintable(QStringLiteral("%1 on %2: %3:1, wants %4:1")
                            .arg(foreground.name(), background.name())
                            .arg(ratio, 0, 'f', 2)
                            .arg(minimum)));
}

void TestTheme::withAlphaKeepsTheColour()
{
    // The alert of the light scheme, #dc2626 (theme.cpp), as the 90/255 fill of the error bars.
    const QColor fill = withAlpha(themeColors(ColorScheme::Light).alert, 90);
    QCOMPARE(fill.rgb() & 0xffffff, QRgb(0xdc2626));
    QCOMPARE(fill.alpha(), 90);
}

void TestTheme::paletteFollowsTheScheme()
{
    QCOMPARE(qApp->palette().color(QPalette::Window), themeColors(ColorScheme::Light).window);
    QVERIFY(!themeColors().dark);
    applyTheme(*qApp, ColorScheme::Dark);
    QCOMPARE(activeColorScheme(), ColorScheme::Dark);
    QVERIFY(themeColors().dark);
    QCOMPARE(qApp->palette().color(QPalette::Window), themeColors(ColorScheme::Dark).window);
    QCOMPARE(qApp->palette().color(QPalette::Text), themeColors(ColorScheme::Dark).text);
    // Every token of the style sheet was replaced by a colour.
    QVERIFY(!qApp->styleSheet().contains(QLatin1Char('@')));
    QVERIFY(qApp->styleSheet().contains(themeColors(ColorScheme::Dark).surface.name()));
    // System resolves to the platform's choice: the offscreen platform's palette is light.
    applyTheme(*qApp, ColorScheme::System);
    QCOMPARE(requestedColorScheme(), ColorScheme::System);
    QCOMPARE(activeColorScheme(), platformColorScheme());
}

void TestTheme::chartsFollowTheScheme()
{
    CurveChart chart(QStringLiteral("Calibration"));
    chart.resize(320, 240);
    chart.showMessage(QStringLiteral("Calibration"), QStringLiteral("nothing yet"));
    const auto corner = [&chart] {
        chart.replot();
        return chart.grab().toImage().pixelColor(2, 2);
    };
    QCOMPARE(corner(), themeColors(ColorScheme::Light).chartBackground);
    QCOMPARE(chart.xAxis->tickLabelColor(), themeColors(ColorScheme::Light).chartAxisText);
    applyTheme(*qApp, ColorScheme::Dark);
    QCOMPARE(corner(), themeColors(ColorScheme::Dark).chartBackground);
    QCOMPARE(chart.xAxis->tickLabelColor(), themeColors(ColorScheme::Dark).chartAxisText);
    QCOMPARE(chart.xAxis->grid()->pen().color(), themeColors(ColorScheme::Dark).chartGrid);
    QCOMPARE(chart.legend->textColor(), themeColors(ColorScheme::Dark).chartTitle);
    applyTheme(*qApp, ColorScheme::Light);
    QCOMPARE(corner(), themeColors(ColorScheme::Light).chartBackground);
}

void TestTheme::menuSwitchesTheScheme()
{
    QSettings().remove(QString::fromLatin1(MainWindow::kColorSchemeKey));
    MainWindow window(MainWindow::Persistence::Forget);
    QAction *dark = nullptr;
    for (QAction *action : window.findChildren<QAction *>())
        if (action->text() == QStringLiteral("&Dark"))
            dark = action;
    QVERIFY(dark);
    QVERIFY(dark->isCheckable() && !dark->isChecked());
    dark->trigger();
    QCOMPARE(activeColorScheme(), ColorScheme::Dark);
    QVERIFY(dark->isChecked());
    // Forget leaves the settings alone.
    QVERIFY(!QSettings().contains(QString::fromLatin1(MainWindow::kColorSchemeKey)));
}

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
