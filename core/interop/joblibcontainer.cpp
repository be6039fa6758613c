#include "interop/joblibcontainer.h"

#include "interop/picklemachine.h"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>

#include <climits>

namespace plumb {

namespace {

constexpr qsizetype kChunk = 1 << 16;

bool appendCapped(QByteArray &out, const char *bytes, qsizetype count, qint64 maxBytes, QString &error)
{
    if (out.size() + count > maxBytes) {
        error = QStringLiteral("decompressed data over the limit of %1 bytes for this file; decompression stopped there")
                    .arg(maxBytes);
        return false;
    }
    out.append(bytes, count);
    return true;
}

// zlib and gzip through inflate: windowBits 15 reads the zlib format, 15 + 16 gzip.
std::optional<QByteArray> inflateStream(QByteArrayView data, bool gzip, qint64 maxBytes, QString &error)
{
    z_stream stream{};
    if (inflateInit2(&stream, gzip ? 15 + 16 : 15) != Z_OK) {
        error = QStringLiteral("zlib initialisation failed");
        return std::nullopt;
    }
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    stream.avail_in = uInt(std::min<qsizetype>(data.size(), UINT_MAX));
    QByteArray out;
    char chunk[kChunk];
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef *>(chunk);
        stream.avail_out = kChunk;
        status = inflate(&stream, Z_NO_FLUSH);
        if ((status == Z_OK || status == Z_STREAM_END) && !appendCapped(out, chunk, kChunk - stream.avail_out, maxBytes, error)) {
            inflateEnd(&stream);
            return std::nullopt;
        }
        if (status == Z_BUF_ERROR && stream.avail_in == 0)
            break;
    }
    const bool complete = status == Z_STREAM_END;
    const qsizetype consumed = qsizetype(stream.total_in);
    inflateEnd(&stream);
    if (!complete) {
        error = QStringLiteral("%1 stream is corrupt or truncated").arg(gzip ? QStringLiteral("gzip") : QStringLiteral("zlib"));
        return std::nullopt;
    }
    if (consumed != data.size()) {
        error = QStringLiteral("%1 bytes after the end of the compressed stream").arg(data.size() - consumed);
        return std::nullopt;
    }
    return out;
}

std::optional<QByteArray> bunzipStream(QByteArrayView data, qint64 maxBytes, QString &error)
{
    bz_stream stream{};
    if (BZ2_bzDecompressInit(&stream, 0, 0) != BZ_OK) {
        error = QStringLiteral("bz2 initialisation failed");
        return std::nullopt;
    }
    stream.next_in = const_cast<char *>(data.data());
    stream.avail_in = unsigned(std::min<qsizetype>(data.size(), UINT_MAX));
    QByteArray out;
    char chunk[kChunk];
    int status = BZ_OK;
    while (status == BZ_OK) {
        stream.next_out = chunk;
        stream.avail_out = kChunk;
        status = BZ2_bzDecompress(&stream);
        if ((status == BZ_OK || status == BZ_STREAM_END)
            && !appendCapped(out, chunk, kChunk - stream.avail_out, maxBytes, error)) {
            BZ2_bzDecompressEnd(&stream);
            return std::nullopt;
        }
        if (status == BZ_OK && stream.avail_in == 0 && stream.avail_out != 0)
            break; // input used up without the end of the stream
    }
    const bool complete = status == BZ_STREAM_END;
    const unsigned left = stream.avail_in;
    BZ2_bzDecompressEnd(&stream);
    if (!complete) {
        error = QStringLiteral("bz2 stream is corrupt or truncated");
        return std::nullopt;
    }
    if (left != 0) {
        error = QStringLiteral("%1 bytes after the end of the compressed stream").arg(left);
        return std::nullopt;
    }
    return out;
}

std::optional<QByteArray> unxzStream(QByteArrayView data, bool alone, qint64 maxBytes, QString &error)
{
    lzma_stream stream = LZMA_STREAM_INIT;
    // The decoder's dictionary: xz -9 needs 65 MiB to decode, the most any preset needs.
    const uint64_t memoryLimit = 96u << 20;
    const lzma_ret init = alone ? lzma_alone_decoder(&stream, memoryLimit) : lzma_stream_decoder(&stream, memoryLimit, 0);
    if (init != LZMA_OK) {
        error = QStringLiteral("lzma initialisation failed");
        return std::nullopt;
    }
    stream.next_in = reinterpret_cast<const uint8_t *>(data.data());
    stream.avail_in = std::size_t(data.size());
    QByteArray out;
    uint8_t chunk[kChunk];
    lzma_ret status = LZMA_OK;
    while (status == LZMA_OK) {
        stream.next_out = chunk;
        stream.avail_out = kChunk;
        status = lzma_code(&stream, LZMA_FINISH);
        if ((status == LZMA_OK || status == LZMA_STREAM_END)
            && !appendCapped(out, reinterpret_cast<const char *>(chunk), kChunk - qsizetype(stream.avail_out), maxBytes, error)) {
            lzma_end(&stream);
            return std::nullopt;
        }
    }
    const std::size_t left = stream.avail_in;
    lzma_end(&stream);
    if (status != LZMA_STREAM_END) {
        error = QStringLiteral("%1 stream is corrupt or truncated").arg(alone ? QStringLiteral("lzma") : QStringLiteral("xz"));
        return std::nullopt;
    }
    if (left != 0) {
        error = QStringLiteral("%1 bytes after the end of the compressed stream").arg(left);
        return std::nullopt;
    }
    return out;
}

} // namespace

JoblibCompression detectJoblibCompression(QByteArrayView data)
{
    auto startsWith = [&](const char *magic, qsizetype size) {
        return data.size() >= size && data.first(size) == QByteArrayView(magic, size);
    };
    if (startsWith("\x78", 1))
        return JoblibCompression::Zlib;
    if (startsWith("\x1f\x8b", 2))
        return JoblibCompression::Gzip;
    if (startsWith("BZh", 3))
        return JoblibCompression::Bz2;
    if (startsWith("\xfd\x37\x7a\x58\x5a", 5))
        return JoblibCompression::Xz;
    if (startsWith("\x5d\x00", 2))
        return JoblibCompression::Lzma;
    if (startsWith("\x04\x22\x4d\x18", 4) || startsWith("ZF", 2))
        return JoblibCompression::Unsupported;
    return JoblibCompression::None;
}

QString joblibCompressionName(JoblibCompression compression)
{
    switch (compression) {
    case JoblibCompression::Zlib:
        return QStringLiteral("zlib");
    case JoblibCompression::Gzip:
        return QStringLiteral("gzip");
    case JoblibCompression::Bz2:
        return QStringLiteral("bz2");
    case JoblibCompression::Xz:
        return QStringLiteral("xz");
    case JoblibCompression::Lzma:
        return QStringLiteral("lzma");
    case JoblibCompression::Unsupported:
        return QStringLiteral("unsupported");
    case JoblibCompression::None:
        break;
    }
    return {};
}

std::optional<QByteArray> decompressJoblib(QByteArrayView data, JoblibCompression compression, qint64 maxBytes, QString &error)
{
    switch (compression) {
    case JoblibCompression::Zlib:
        return inflateStream(data, false, maxBytes, error);
    case JoblibCompression::Gzip:
        return inflateStream(data, true, maxBytes, error);
    case JoblibCompression::Bz2:
        return bunzipStream(data, maxBytes, error);
    case JoblibCompression::Xz:
        return unxzStream(data, false, maxBytes, error);
    case JoblibCompression::Lzma:
        return unxzStream(data, true, maxBytes, error);
    case JoblibCompression::Unsupported:
        error = QStringLiteral(
            "lz4 and pre-0.9.3 joblib files are not read (save with compress=('zlib', 3), gzip, bz2, lzma or xz)");
        return std::nullopt;
    case JoblibCompression::None:
        break;
    }
    return QByteArray(data.data(), data.size());
}

// --- joblib's array records, read by the pickle machine -------------------------------------
// joblib.numpy_pickle.NumpyArrayWrapper.read_array: after the wrapper's BUILD come the array's
// bytes in the file itself (outside any pickle frame): an optional padding-length byte and that
// many padding bytes (joblib >= 1.2 aligns arrays), then count x itemsize raw bytes, or for object
// arrays a complete nested pickle stream. The array then replaces the wrapper on the stack.

bool PickleMachine::buildWrapper(PickleNodeId wrapperId, PickleNodeId stateId)
{
    using Kind = PickleValue::Kind;
    PickleGraph &graph = mContext.graph();
    if (graph.node(stateId).kind != Kind::Dict)
        return refuse(QStringLiteral("BUILD state of NumpyArrayWrapper is not a dict"));
    NumpyArray array;
    std::int64_t alignment = 0;
    bool haveShape = false, haveDtype = false, haveOrder = false, haveSubclass = false;
    const std::vector<PickleNodeId> items = graph.node(stateId).items;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
        const QString key = graph.node(items[i]).kind == Kind::String ? graph.node(items[i]).text : QString();
        const PickleValue &value = graph.node(items[i + 1]);
        if (key == QLatin1String("subclass") && value.kind == Kind::Global
            && value.qualifiedName() == QLatin1String("numpy.ndarray")) {
            haveSubclass = true;
        } else if (key == QLatin1String("shape") && value.kind == Kind::Tuple) {
            for (PickleNodeId extent : value.items) {
                if (graph.node(extent).kind != Kind::Int)
                    return refuse(QStringLiteral("NumpyArrayWrapper shape holds a value that is not an int"));
                array.shape.push_back(graph.node(extent).integer);
            }
            haveShape = true;
        } else if (key == QLatin1String("order") && value.kind == Kind::String
                   && (value.text == QLatin1String("C") || value.text == QLatin1String("F"))) {
            array.fortranOrder = value.text == QLatin1String("F");
            haveOrder = true;
        } else if (key == QLatin1String("dtype") && value.kind == Kind::Dtype
                   && mContext.meta[std::size_t(items[i + 1])].build == PickleNodeMeta::Build::None) {
            array.dtype = value.dtype;
            haveDtype = true;
        } else if (key == QLatin1String("allow_mmap") && value.kind == Kind::Bool) {
        } else if (key == QLatin1String("numpy_array_alignment_bytes") && value.kind == Kind::Int && value.integer >= 1
                   && value.integer <= 4096) {
            alignment = value.integer;
        } else {
            return refuse(QStringLiteral("NumpyArrayWrapper state entry '%1' outside its schema").arg(key));
        }
    }
    if (!haveShape || !haveDtype || !haveOrder || !haveSubclass)
        return refuse(QStringLiteral("NumpyArrayWrapper state without subclass, shape, order and dtype"));
    graph.node(wrapperId).state = stateId;
    return readWrappedArray(std::move(array), alignment);
}

bool PickleMachine::readWrappedArray(NumpyArray array, std::int64_t alignment)
{
    if (mFrameEnd >= 0 && mPos != mFrameEnd)
        return refuse(QStringLiteral("NumpyArrayWrapper inside a frame that goes on after it"));
    mFrameEnd = -1;
    PickleNodeId arrayId = kNoPickleNode;
    if (array.dtype.kind == 'O') {
        if (++mContext.nestedStreams > mContext.limits.maxNestedStreams)
            return overLimit(QStringLiteral("%1 nested streams").arg(mContext.limits.maxNestedStreams));
        // A plain pickle.load: the nested stream is no joblib stream, so it cannot nest further.
        PickleMachine nested(mContext, false);
        qsizetype end = 0;
        const std::optional<PickleNodeId> root = nested.run(mPos, end);
        if (!root)
            return false;
        const PickleValue &value = mContext.graph().node(*root);
        if (value.kind != PickleValue::Kind::Array || value.array.dtype.kind != 'O' || value.array.shape != array.shape)
            return refuse(QStringLiteral("nested stream of an object array does not hold an object array of its shape"));
        mPos = end;
        arrayId = *root;
    } else {
        QByteArrayView bytes;
        if (alignment > 0) {
            std::uint64_t padding = 0;
            if (!readUnsigned(1, padding))
                return false;
            if (std::int64_t(padding) > alignment)
                return corrupt(
                    QStringLiteral("joblib array padding of %1 bytes for %2-byte alignment").arg(padding).arg(alignment));
            if (!read(qsizetype(padding), bytes))
                return false;
        }
        std::int64_t size = array.dtype.itemSize;
        for (std::int64_t extent : array.shape) {
            if (extent < 0)
                return refuse(QStringLiteral("NumpyArrayWrapper shape has a negative extent"));
            if (__builtin_mul_overflow(size, extent, &size) || size > mContext.data.size() - mPos)
                return corrupt(QStringLiteral("joblib array of %1 needs more bytes than are left").arg(array.dtype.describe()));
        }
        if (size > mContext.data.size() - mPos)
            return corrupt(QStringLiteral("joblib array of %1 needs more bytes than are left").arg(array.dtype.describe()));
        if (!read(qsizetype(size), bytes) || !hold(size))
            return false;
        array.data = bytes.toByteArray();
        PickleValue value;
        value.kind = PickleValue::Kind::Array;
        value.array = std::move(array);
        arrayId = addNode(std::move(value));
    }
    mStack.back() = arrayId;
    return true;
}

} // namespace plumb
