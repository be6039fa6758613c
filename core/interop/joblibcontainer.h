#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace plumb {

// The compressions joblib writes, recognised by their magic bytes (joblib/compressor.py).
enum class JoblibCompression { None, Zlib, Gzip, Bz2, Xz, Lzma, Unsupported };

// The compression of a file from its first bytes: zlib 0x78, gzip 1f 8b, bz2 "BZh", xz
// fd 37 7a 58 5a, lzma-alone 5d 00; Unsupported for lz4 and joblib's pre-0.9.3 "ZF" files; None
// for anything else (a plain pickle stream, or not a pickle at all).
JoblibCompression detectJoblibCompression(QByteArrayView data);

// "zlib", "gzip", "bz2", "xz", "lzma"; empty for None.
QString joblibCompressionName(JoblibCompression compression);

// The decompressed bytes of `data`, streamed in chunks and stopped as soon as the output would
// exceed `maxBytes` (so no more than `maxBytes` is ever held). Fails (nullopt, `error` set) on corrupt or truncated input, trailing bytes
// after the compressed stream, or output over the cap.
std::optional<QByteArray> decompressJoblib(QByteArrayView data, JoblibCompression compression, qint64 maxBytes, QString &error);

} // namespace plumb
