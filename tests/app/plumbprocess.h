#pragma once

// Runs the plumb command line (PLUMB_CLI_PATH, set by CMake) as a user would and captures what it
// prints: shared by the CLI test suites.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace plumb::test {

struct Run
{
    int exitCode = -1; // -1: it did not finish within two minutes
    QString out;
    QString err;
};

inline Run runPlumb(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral(PLUMB_CLI_PATH), arguments);
    if (!process.waitForFinished(120000))
        return {};
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

} // namespace plumb::test
