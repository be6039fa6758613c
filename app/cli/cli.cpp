#include "cli.h"

#include "profilecommand.h"

#include <array>

namespace plumb::cli {

namespace {

struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments, Io io);
};

constexpr std::array kCommands{
    Command{"profile", "load a CSV/TSV file and describe its columns", &runProfile},
};

void printUsage(QTextStream &stream)
{
    stream << "usage: plumb <command> [options]\n\n"
              "Plumb trains, validates, saves, serves and monitors tabular models.\n\ncommands:\n";
    for (const Command &command : kCommands)
        stream << "  " << QString::fromLatin1(command.name).leftJustified(12) << command.summary << '\n';
    stream << "\n'plumb <command> --help' describes a command.\n"
              "exit codes: 0 ok, 1 error, 2 usage, 3 integrity or signature verification failed\n";
}

} // namespace

int run(const QStringList &arguments, Io io)
{
    if (arguments.isEmpty()) {
        printUsage(io.err);
        return kExitUsage;
    }
    const QString &name = arguments.front();
    if (name == QLatin1String("--help") || name == QLatin1String("-h") || name == QLatin1String("help")) {
        printUsage(io.out);
        return kExitOk;
    }
    if (name == QLatin1String("--version")) {
        io.out << "plumb " << PLUMB_VERSION << '\n';
        return kExitOk;
    }
    for (const Command &command : kCommands)
        if (name == QLatin1String(command.name))
            return command.run(arguments.mid(1), io);
    io.err << "plumb: unknown command '" << name << "'\n\n";
    printUsage(io.err);
    return kExitUsage;
}

} // namespace plumb::cli
