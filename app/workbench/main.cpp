// plumb-workbench: the desktop workbench. Parses the command line and hands over to MainWindow.

#include "ui/common/theme.h"
#include "ui/mainwindow.h"
#include "ui/screenshotrunner.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTextStream>

#include <cstring>
#include <initializer_list>
#include <optional>

namespace {

struct CommandLine
{
    QCommandLineParser parser;
    QCommandLineOption screenshot{QStringLiteral("screenshot"),
                                  QStringLiteral("Render every view into DIR as data.png, train.png, models.png, predict.png and "
                                                 "monitor.png (after PATH has loaded), then exit. Needs no display."),
                                  QStringLiteral("DIR")};
    QCommandLineOption size{QStringLiteral("size"),
                            QStringLiteral("With --screenshot: the window's size in logical pixels (default 1440x900). Widgets "
                                           "cut at that size are reported on stderr."),
                            QStringLiteral("WxH")};
    QCommandLineOption colorScheme{
        QStringLiteral("color-scheme"),
        QStringLiteral("system, light or dark: the colours to use this time (default: the View menu's choice; "
                       "light for --screenshot)."),
        QStringLiteral("SCHEME")};

    CommandLine()
    {
        parser.setApplicationDescription(QStringLiteral("Explore tabular data and the models trained on it."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption(screenshot);
        parser.addOption(size);
        parser.addOption(colorScheme);
        parser.addPositionalArgument(QStringLiteral("PATH"),
                                     QStringLiteral("A CSV/TSV file, a workspace folder with plumb-workspace.json, "
                                                    "a .plumb model file (opens in the Models view), or a scikit-learn "
                                                    ".pkl/.joblib file (scanned there, and importable when safe)."),
                                     QStringLiteral("[PATH]"));
    }
};

// True when an argument is one of `names`, alone or as "name=value".
bool hasArgument(int argc, char *argv[], std::initializer_list<const char *> names)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *name : names) {
            const std::size_t length = std::strlen(name);
            if (std::strncmp(argv[i], name, length) == 0 && (argv[i][length] == '\0' || argv[i][length] == '='))
                return true;
        }
    }
    return false;
}

// "1024x640" as a size; nullopt when it is not two numbers joined by x, or smaller than 320x240.
std::optional<QSize> parseSize(const QString &text)
{
    const QStringList parts = text.split(QLatin1Char('x'));
    bool widthOk = false;
    bool heightOk = false;
    const int width = parts.size() == 2 ? parts[0].toInt(&widthOk) : 0;
    const int height = parts.size() == 2 ? parts[1].toInt(&heightOk) : 0;
    if (!widthOk || !heightOk || width < 320 || height < 240 || width > 16384 || height > 16384)
        return std::nullopt;
    return QSize(width, height);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setOrganizationName(QStringLiteral("Plumb"));
    QCoreApplication::setApplicationName(QStringLiteral("Plumb Workbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PLUMB_VERSION));

    // --help and --version print and exit: answer them without a window system.
    if (hasArgument(argc, argv, {"-h", "--help", "-?", "-v", "--version"})) {
        QCoreApplication application(argc, argv);
        CommandLine commandLine;
        commandLine.parser.process(application);
        return 0;
    }
    // Screenshots never show a window: without a platform chosen, render offscreen.
    if (hasArgument(argc, argv, {"--screenshot"}) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication application(argc, argv);
    CommandLine commandLine;
    commandLine.parser.process(application);
    const QStringList positional = commandLine.parser.positionalArguments();
    if (positional.size() > 1)
        commandLine.parser.showHelp(1);
    const QString path = positional.value(0);

    QSize size = plumb::ui::ScreenshotRunner::kDefaultSize;
    if (commandLine.parser.isSet(commandLine.size)) {
        const QString text = commandLine.parser.value(commandLine.size);
        const std::optional<QSize> parsed = parseSize(text);
        if (!parsed) {
            QTextStream(stderr) << "plumb-workbench: --size wants WIDTHxHEIGHT, at least 320x240, such as 1024x640; got \""
                                << text << "\"" << Qt::endl;
            return 2;
        }
        size = *parsed;
    }

    const bool screenshot = commandLine.parser.isSet(commandLine.screenshot);
    plumb::ui::ColorScheme scheme = screenshot ? plumb::ui::ColorScheme::Light : plumb::ui::MainWindow::savedColorScheme();
    if (commandLine.parser.isSet(commandLine.colorScheme)) {
        const QString text = commandLine.parser.value(commandLine.colorScheme);
        const std::optional<plumb::ui::ColorScheme> parsed = plumb::ui::parseColorScheme(text);
        if (!parsed) {
            QTextStream(stderr) << "plumb-workbench: --color-scheme wants system, light or dark; got \"" << text << "\""
                                << Qt::endl;
            return 2;
        }
        scheme = *parsed;
    }
    plumb::ui::applyTheme(application, scheme);
    if (screenshot) {
        plumb::ui::MainWindow window(plumb::ui::MainWindow::Persistence::Forget);
        return plumb::ui::ScreenshotRunner::run(window, commandLine.parser.value(commandLine.screenshot), path, size);
    }
    plumb::ui::MainWindow window;
    window.show();
    if (!path.isEmpty())
        window.openPath(path);
    return application.exec();
}
