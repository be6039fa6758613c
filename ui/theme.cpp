#include "ui/theme.h"

#include <QApplication>
#include <QLabel>
#include <QPalette>
#include <QStyleFactory>

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

QPalette lightPalette()
{
    QPalette palette;
    const QColor text(0x1f, 0x29, 0x37);
    const QColor muted(0x6b, 0x72, 0x80);
    palette.setColor(QPalette::Window, QColor(0xf5, 0xf6, 0xf8));
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::AlternateBase, QColor(0xf8, 0xfa, 0xfc));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, QColor(0xfb, 0xfb, 0xfc));
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::Highlight, QColor(0x25, 0x63, 0xeb));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::ToolTipBase, Qt::white);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, muted);
    palette.setColor(QPalette::Link, QColor(0x1d, 0x4e, 0xd8));
    palette.setColor(QPalette::Light, Qt::white);
    palette.setColor(QPalette::Midlight, QColor(0xe5, 0xe7, 0xeb));
    palette.setColor(QPalette::Mid, QColor(0xd1, 0xd5, 0xdb));
    palette.setColor(QPalette::Dark, QColor(0x9c, 0xa3, 0xaf));
    palette.setColor(QPalette::Disabled, QPalette::Text, muted);
    palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x9c, 0xa3, 0xaf));
    palette.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9c, 0xa3, 0xaf));
    return palette;
}

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
#ViewHeader { background: #ffffff; border-bottom: 1px solid #e5e7eb; }
#ViewTitle { font-size: 17pt; font-weight: 600; color: #111827; }
#ViewSubtitle { color: #6b7280; }
#ErrorBanner { background: #fdecea; border-bottom: 1px solid #f5c2c0; }
#ErrorBanner #BannerText { color: #7f1d1d; }
#WarningBanner { background: #fff7e6; border-bottom: 1px solid #f7d9a4; }
#WarningBanner #BannerText { color: #78350f; }
#NoticeBanner { background: #e8f1fb; border-bottom: 1px solid #b9d3f0; }
#NoticeBanner #BannerText { color: #1e3a5f; }
#ProgressPanel { background: #eef4ff; border-bottom: 1px solid #c7d7fe; }
#ColumnPane, #ProfilePanel { background: #f5f6f8; }
#SectionHeading { color: #6b7280; font-size: 8.5pt; font-weight: 600; }
#ProfileTitle { font-size: 13pt; font-weight: 600; color: #111827; }
#ProfileBadges { color: #1d4ed8; }
#StatLabel { color: #6b7280; }
#StatValue { color: #111827; font-weight: 600; }
#EmptyHeading { font-size: 15pt; font-weight: 600; color: #111827; }
#EmptyText { color: #4b5563; font-size: 10.5pt; }
#EmptyNote { color: #9ca3af; }
QTableView { border: 1px solid #e5e7eb; gridline-color: #eef0f3; selection-background-color: #dbe7fd; selection-color: #111827; }
QHeaderView::section {
    background: #f3f4f6; color: #374151; font-weight: 600; padding: 4px 8px;
    border: none; border-right: 1px solid #e5e7eb; border-bottom: 1px solid #e5e7eb;
}
QHeaderView::section:vertical { color: #9ca3af; font-weight: normal; padding: 0px 6px; }
#PrimaryButton {
    background: #2563eb; color: #ffffff; border: 1px solid #1d4ed8; border-radius: 6px;
    padding: 7px 18px; font-weight: 600;
}
#PrimaryButton:hover { background: #1d4ed8; }
#PrimaryButton:disabled { background: #93b4f5; border-color: #93b4f5; }
#PrimaryButton:focus { border: 2px solid #0b1f4d; padding: 6px 17px; }
#HeaderButton {
    background: #ffffff; color: #1f2937; border: 1px solid #d1d5db; border-radius: 6px; padding: 6px 14px;
}
#HeaderButton:hover { background: #f3f4f6; }
#HeaderButton:disabled { color: #9ca3af; }
#HeaderButton:focus { border: 2px solid #2563eb; padding: 5px 13px; }
#Card { background: #ffffff; border: 1px solid #e5e7eb; border-radius: 8px; }
#Card QLabel { background: transparent; }
#CardTitle { font-size: 15pt; font-weight: 600; color: #111827; }
#CardText { color: #4b5563; }
#SignatureHeadline { font-size: 11pt; }
#Digest { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; color: #111827; background: #f3f4f6; border: 1px solid #e5e7eb;
          border-radius: 4px; padding: 6px 8px; }
#MetricTile { background: #f8fafc; border: 1px solid #e5e7eb; border-radius: 6px; }
#MetricValue { font-size: 16pt; font-weight: 600; color: #111827; }
#MetricName { color: #6b7280; font-size: 8.5pt; }
#ModelDetails::pane { border: 1px solid #e5e7eb; background: #ffffff; }
QTabBar::tab { padding: 7px 16px; color: #4b5563; border: none; border-bottom: 2px solid transparent; background: transparent; }
QTabBar::tab:selected { color: #1d4ed8; border-bottom: 2px solid #2563eb; font-weight: 600; }
QTabBar::tab:hover { color: #111827; }
QTreeView { border: 1px solid #e5e7eb; }
QStatusBar { background: #ffffff; border-top: 1px solid #e5e7eb; color: #4b5563; }
QStatusBar QLabel { color: #4b5563; padding: 0px 8px; }
QSplitter::handle { background: #e5e7eb; }
#TrainSetup, #ResultsPanel, #HistoryPane { background: #f5f6f8; }
QGroupBox#SetupGroup {
    background: #ffffff; border: 1px solid #e5e7eb; border-radius: 8px; margin-top: 16px; padding: 14px 10px 10px 10px;
}
QGroupBox#SetupGroup::title { subcontrol-origin: margin; left: 10px; padding: 0px 4px; color: #374151; }
QSplitter::handle:horizontal { width: 1px; }
)";

} // namespace

void registerResources()
{
    registerWorkbenchResources();
}

void applyTheme(QApplication &application)
{
    registerResources();
    application.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    application.setPalette(lightPalette());
    application.setStyleSheet(QString::fromUtf8(kStyleSheet));
}

QLabel *createSectionHeading(const QString &text)
{
    auto *label = new QLabel(text.toUpper());
    label->setObjectName(QStringLiteral("SectionHeading"));
    return label;
}

} // namespace plumb::ui
