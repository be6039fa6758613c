#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QJsonValue>

namespace plumb {

// Reads a UBJSON document (Universal Binary JSON, draft 12, as XGBoost writes its .ubj model
// files) into the JSON value it encodes: objects, arrays (plain, and the optimised ones with a
// "$" element type and a "#" count), strings, int8 to int64 (as numbers; an int64 beyond 2^53 is
// kept as a qint64), float32 and float64 (a float32 read exactly), true, false and null. The
// no-op marker is skipped; high-precision numbers are refused.
// Hostile input: every length and count is checked against the bytes that remain before anything
// is allocated, nesting is capped at kMaxUbjsonDepth, an object key may appear once, and the
// document must end exactly at the end of `bytes`. `name` is used in messages, which give the
// byte offset of the fault: "model.ubj: byte 812: array count 4294967296 exceeds the 17 bytes left".
constexpr int kMaxUbjsonDepth = 64;
Result<QJsonValue> readUbjson(const QByteArray &bytes, const QString &name);

} // namespace plumb
