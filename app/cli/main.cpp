#include "cli.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("plumb"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PLUMB_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);
    return plumb::cli::run(QCoreApplication::arguments().mid(1), {out, err});
}
