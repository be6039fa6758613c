#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb keygen -o BASE [--password-file FILE]: writes BASE.pub and BASE.key in minisign's formats.
int runKeygen(const QStringList &arguments, Io io);
// plumb sign MODEL --key BASE.key [--password-file FILE]: writes MODEL.minisig.
int runSign(const QStringList &arguments, Io io);

// The password for a secret key: the first line of --password-file, else $PLUMB_KEY_PASSWORD,
// else empty (no encryption).
QByteArray keyPassword(const QCommandLineParser &parser);

} // namespace plumb::cli
