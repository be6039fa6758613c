#pragma once

// A throwaway PostgreSQL server for tests: initdb in a temporary directory, started on a free
// loopback port with trust authentication, stopped (and its files removed) when destroyed.
// PostgreSQL refuses to run as root, so as root the server runs as the "postgres" user.

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>

#include <pwd.h>
#include <unistd.h>

namespace plumb::test {

class LocalPostgres
{
public:
    // Where initdb and pg_ctl are: on PATH, else Debian's /usr/lib/postgresql/<version>/bin. Empty if absent.
    static QString binDirectory()
    {
        const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
        if (!initdb.isEmpty() && !QStandardPaths::findExecutable(QStringLiteral("pg_ctl")).isEmpty())
            return QFileInfo(initdb).canonicalPath();
        const QDir debian(QStringLiteral("/usr/lib/postgresql"));
        const QStringList versions = debian.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::Reversed);
        for (const QString &version : versions) {
            const QString bin = debian.filePath(version + QStringLiteral("/bin"));
            if (QFileInfo::exists(bin + QStringLiteral("/initdb")) && QFileInfo::exists(bin + QStringLiteral("/pg_ctl")))
                return bin;
        }
        return {};
    }

    ~LocalPostgres()
    {
        if (mStarted)
            run(QStringLiteral("pg_ctl"),
                {QStringLiteral("-D"), dataDirectory(), QStringLiteral("-m"), QStringLiteral("immediate"), QStringLiteral("-w"),
                 QStringLiteral("stop")});
    }

    // Creates and starts the server; false with the reason in `error`.
    bool start(QString &error)
    {
        mBin = binDirectory();
        if (mBin.isEmpty() || !mDir.isValid()) {
            error = QStringLiteral("no initdb/pg_ctl, or no temporary directory");
            return false;
        }
        if (::geteuid() == 0) {
            const passwd *user = ::getpwnam("postgres");
            if (!user || ::chown(mDir.path().toLocal8Bit().constData(), user->pw_uid, user->pw_gid) != 0) {
                error = QStringLiteral("running as root, and there is no postgres user to run the server as");
                return false;
            }
            mRunAs = QStringLiteral("postgres");
        }
        QTcpServer probe; // a free port, released just before the server takes it
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            error = QStringLiteral("no free port");
            return false;
        }
        mPort = probe.serverPort();
        probe.close();
        if (!run(QStringLiteral("initdb"),
                 {QStringLiteral("-D"), dataDirectory(), QStringLiteral("-U"), QStringLiteral("postgres"),
                  QStringLiteral("--auth=trust"), QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--no-sync")},
                 &error))
            return false;
        const QString options
            = QStringLiteral("-p %1 -k %2 -c listen_addresses=127.0.0.1 -c fsync=off").arg(mPort).arg(mDir.path());
        mStarted = run(QStringLiteral("pg_ctl"),
                       {QStringLiteral("-D"), dataDirectory(), QStringLiteral("-o"), options, QStringLiteral("-l"),
                        mDir.filePath(QStringLiteral("server.log")), QStringLiteral("-w"), QStringLiteral("start")},
                       &error);
        return mStarted;
    }

    // postgresql://postgres@127.0.0.1:PORT/postgres
    QString url() const { return QStringLiteral("postgresql://postgres@127.0.0.1:%1/postgres").arg(mPort); }

private:
    QString dataDirectory() const { return mDir.filePath(QStringLiteral("data")); }

    bool run(const QString &tool, const QStringList &arguments, QString *error = nullptr)
    {
        QProcess process;
        process.setWorkingDirectory(mDir.path());
        const QString program = mBin + QLatin1Char('/') + tool;
        if (mRunAs.isEmpty())
            process.start(program, arguments);
        else
            process.start(QStringLiteral("runuser"),
                          QStringList{QStringLiteral("-u"), mRunAs, QStringLiteral("--"), program} + arguments);
        const bool ok = process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
        if (!ok && error)
            *error = QStringLiteral("%1 failed: %2").arg(tool, QString::fromLocal8Bit(process.readAllStandardError()));
        return ok;
    }

    QTemporaryDir mDir;
    QString mBin;
    QString mRunAs;
    quint16 mPort = 0;
    bool mStarted = false;
};

} // namespace plumb::test
