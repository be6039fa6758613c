#include "interop/picklemachine.h"

#include <QStringDecoder>

#include <array>
#include <cstring>

// The opcode interpreter. Opcode semantics follow CPython's Modules/_pickle.c and Lib/pickle.py
// (the stricter of the two where they differ: frames as Lib/pickle.py's _Unframer, the MARK fence
// as _pickle.c). Calls and BUILD are in picklecalls.cpp.

namespace plumb {

namespace {

enum Opcode : std::uint8_t {
    kMark = '(',
    kStop = '.',
    kPop = '0',
    kPopMark = '1',
    kDup = '2',
    kBinInt = 'J',
    kBinInt1 = 'K',
    kBinInt2 = 'M',
    kNone = 'N',
    kReduce = 'R',
    kBinUnicode = 'X',
    kAppend = 'a',
    kBuild = 'b',
    kGlobal = 'c',
    kEmptyDict = '}',
    kAppends = 'e',
    kBinGet = 'h',
    kLongBinGet = 'j',
    kEmptyList = ']',
    kBinPut = 'q',
    kLongBinPut = 'r',
    kSetItem = 's',
    kTuple = 't',
    kEmptyTuple = ')',
    kSetItems = 'u',
    kBinFloat = 'G',
    kBinBytes = 'B',
    kShortBinBytes = 'C',
    kProto = 0x80,
    kNewObj = 0x81,
    kTuple1 = 0x85,
    kTuple2 = 0x86,
    kTuple3 = 0x87,
    kNewTrue = 0x88,
    kNewFalse = 0x89,
    kLong1 = 0x8a,
    kLong4 = 0x8b,
    kShortBinUnicode = 0x8c,
    kBinUnicode8 = 0x8d,
    kBinBytes8 = 0x8e,
    kEmptySet = 0x8f,
    kAddItems = 0x90,
    kFrozenSet = 0x91,
    kStackGlobal = 0x93,
    kMemoize = 0x94,
    kFrame = 0x95,
    kByteArray8 = 0x96,
};

struct OpcodeName
{
    std::uint8_t code;
    const char *name;
};

// Every opcode of protocols 0-5 (Lib/pickletools.py), so that refusals name what they saw.
constexpr OpcodeName kOpcodeNames[] = {
    {'(', "MARK"},
    {'.', "STOP"},
    {'0', "POP"},
    {'1', "POP_MARK"},
    {'2', "DUP"},
    {'F', "FLOAT"},
    {'I', "INT"},
    {'J', "BININT"},
    {'K', "BININT1"},
    {'L', "LONG"},
    {'M', "BININT2"},
    {'N', "NONE"},
    {'P', "PERSID"},
    {'Q', "BINPERSID"},
    {'R', "REDUCE"},
    {'S', "STRING"},
    {'T', "BINSTRING"},
    {'U', "SHORT_BINSTRING"},
    {'V', "UNICODE"},
    {'X', "BINUNICODE"},
    {'a', "APPEND"},
    {'b', "BUILD"},
    {'c', "GLOBAL"},
    {'d', "DICT"},
    {'}', "EMPTY_DICT"},
    {'e', "APPENDS"},
    {'g', "GET"},
    {'h', "BINGET"},
    {'i', "INST"},
    {'j', "LONG_BINGET"},
    {'l', "LIST"},
    {']', "EMPTY_LIST"},
    {'o', "OBJ"},
    {'p', "PUT"},
    {'q', "BINPUT"},
    {'r', "LONG_BINPUT"},
    {'s', "SETITEM"},
    {'t', "TUPLE"},
    {')', "EMPTY_TUPLE"},
    {'u', "SETITEMS"},
    {'G', "BINFLOAT"},
    {'B', "BINBYTES"},
    {'C', "SHORT_BINBYTES"},
    {0x80, "PROTO"},
    {0x81, "NEWOBJ"},
    {0x82, "EXT1"},
    {0x83, "EXT2"},
    {0x84, "EXT4"},
    {0x85, "TUPLE1"},
    {0x86, "TUPLE2"},
    {0x87, "TUPLE3"},
    {0x88, "NEWTRUE"},
    {0x89, "NEWFALSE"},
    {0x8a, "LONG1"},
    {0x8b, "LONG4"},
    {0x8c, "SHORT_BINUNICODE"},
    {0x8d, "BINUNICODE8"},
    {0x8e, "BINBYTES8"},
    {0x8f, "EMPTY_SET"},
    {0x90, "ADDITEMS"},
    {0x91, "FROZENSET"},
    {0x92, "NEWOBJ_EX"},
    {0x93, "STACK_GLOBAL"},
    {0x94, "MEMOIZE"},
    {0x95, "FRAME"},
    {0x96, "BYTEARRAY8"},
    {0x97, "NEXT_BUFFER"},
    {0x98, "READONLY_BUFFER"},
};

using Kind = PickleValue::Kind;

PickleValue literal(Kind kind)
{
    PickleValue value;
    value.kind = kind;
    return value;
}

} // namespace

const char *pickleOpcodeName(std::uint8_t opcode)
{
    for (const OpcodeName &entry : kOpcodeNames)
        if (entry.code == opcode)
            return entry.name;
    return nullptr;
}

bool PickleContext::fail(PickleScanReport::Verdict verdict, const QString &reason)
{
    if (!failed) {
        failed = true;
        report.verdict = verdict;
        report.reason = reason;
    }
    return false;
}

bool PickleMachine::refuse(const QString &reason)
{
    return mContext.fail(Verdict::Refused, QStringLiteral("offset %1: %2").arg(mOpcodeOffset).arg(reason));
}

bool PickleMachine::corrupt(const QString &reason)
{
    return mContext.fail(Verdict::Unreadable, QStringLiteral("offset %1: %2").arg(mOpcodeOffset).arg(reason));
}

bool PickleMachine::overLimit(const QString &what)
{
    return corrupt(QStringLiteral("over the limit of %1").arg(what));
}

std::optional<PickleNodeId> PickleMachine::run(qsizetype offset, qsizetype &end)
{
    mPos = offset;
    const std::size_t firstNode = mContext.meta.size();
    bool stopped = false;
    while (!stopped) {
        mOpcodeOffset = mPos;
        QByteArrayView byte;
        if (!read(1, byte))
            return std::nullopt;
        const auto opcode = static_cast<std::uint8_t>(byte[0]);
        const char *name = pickleOpcodeName(opcode);
        if (!name) {
            corrupt(QStringLiteral("unknown opcode 0x%1").arg(opcode, 2, 16, QLatin1Char('0')));
            return std::nullopt;
        }
        ++mContext.report.opcodes[QLatin1String(name)];
        if (++mContext.opcodes > mContext.limits.maxOpcodes) {
            overLimit(QStringLiteral("%1 opcodes").arg(mContext.limits.maxOpcodes));
            return std::nullopt;
        }
        if (mOpcodeOffset == offset && opcode != kProto) {
            corrupt(QStringLiteral("not a pickle stream (no PROTO opcode; protocols 2-5 are read)"));
            return std::nullopt;
        }
        if (!step(opcode, stopped))
            return std::nullopt;
        if (mContext.elements > mContext.limits.maxElements) {
            overLimit(QStringLiteral("%1 elements").arg(mContext.limits.maxElements));
            return std::nullopt;
        }
        if (!hold(0))
            return std::nullopt;
    }
    end = mPos;
    if (mFrameEnd >= 0 && mPos != mFrameEnd) {
        corrupt(QStringLiteral("STOP before the end of its frame"));
        return std::nullopt;
    }
    if (!mMarks.empty()) {
        corrupt(QStringLiteral("STOP with an open MARK"));
        return std::nullopt;
    }
    if (mStack.size() != 1) {
        refuse(QStringLiteral("STOP leaves %1 values on the stack; exactly one is expected").arg(mStack.size()));
        return std::nullopt;
    }
    for (std::size_t id = firstNode; id < mContext.meta.size(); ++id) {
        if (mContext.meta[id].buildRequired) {
            const PickleValue &value = mContext.graph().node(PickleNodeId(id));
            refuse(QStringLiteral("%1 was never given its BUILD state")
                       .arg(value.kind == Kind::Dtype       ? QStringLiteral("a dtype")
                                : value.kind == Kind::Array ? QStringLiteral("an ndarray")
                                                            : value.qualifiedName()));
            return std::nullopt;
        }
    }
    return mStack.front();
}

bool PickleMachine::read(qsizetype count, QByteArrayView &bytes)
{
    if (mFrameEnd >= 0 && mPos == mFrameEnd)
        mFrameEnd = -1; // the frame is used up: the next read is outside it
    const qsizetype limit = mFrameEnd >= 0 ? mFrameEnd : mContext.data.size();
    if (count < 0 || count > limit - mPos) {
        if (mFrameEnd >= 0 && count <= mContext.data.size() - mPos)
            return corrupt(QStringLiteral("operand of %1 bytes crosses the end of the frame").arg(count));
        return corrupt(QStringLiteral("truncated: %1 bytes needed, %2 left").arg(count).arg(limit - mPos));
    }
    bytes = mContext.data.sliced(mPos, count);
    mPos += count;
    return true;
}

bool PickleMachine::readUnsigned(int width, std::uint64_t &value)
{
    QByteArrayView bytes;
    if (!read(width, bytes))
        return false;
    value = 0;
    for (int i = width - 1; i >= 0; --i)
        value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
    return true;
}

bool PickleMachine::readLength(int width, qsizetype &length)
{
    std::uint64_t value = 0;
    if (!readUnsigned(width, value))
        return false;
    // Checked against what is left before anything is allocated.
    const qsizetype left = (mFrameEnd >= 0 ? mFrameEnd : mContext.data.size()) - mPos;
    if (value > static_cast<std::uint64_t>(left))
        return corrupt(QStringLiteral("declared length %1 exceeds the %2 bytes left").arg(value).arg(left));
    length = static_cast<qsizetype>(value);
    return true;
}

bool PickleMachine::readLine(QByteArray &line)
{
    const qsizetype limit = mFrameEnd >= 0 ? mFrameEnd : mContext.data.size();
    const qsizetype span = std::min<qsizetype>(limit - mPos, mContext.limits.maxLineBytes);
    const qsizetype newline = mContext.data.sliced(mPos, span).indexOf('\n');
    if (newline < 0)
        return corrupt(QStringLiteral("GLOBAL operand without a line end within %1 bytes").arg(span));
    line = mContext.data.sliced(mPos, newline).toByteArray();
    mPos += newline + 1;
    return true;
}

bool PickleMachine::push(PickleNodeId id)
{
    if (mStack.size() >= mContext.limits.maxStack)
        return overLimit(QStringLiteral("%1 stack entries").arg(mContext.limits.maxStack));
    mStack.push_back(id);
    return true;
}

bool PickleMachine::pop(PickleNodeId &id)
{
    const std::size_t fence = mMarks.empty() ? 0 : mMarks.back();
    if (mStack.size() <= fence)
        return corrupt(QStringLiteral("stack underflow"));
    id = mStack.back();
    mStack.pop_back();
    return true;
}

bool PickleMachine::top(PickleNodeId &id)
{
    const std::size_t fence = mMarks.empty() ? 0 : mMarks.back();
    if (mStack.size() <= fence)
        return corrupt(QStringLiteral("stack underflow"));
    id = mStack.back();
    return true;
}

bool PickleMachine::popMark(std::vector<PickleNodeId> &items)
{
    if (mMarks.empty())
        return corrupt(QStringLiteral("no MARK to pop to"));
    const std::size_t mark = mMarks.back();
    mMarks.pop_back();
    items.assign(mStack.begin() + std::ptrdiff_t(mark), mStack.end());
    mStack.resize(mark);
    return true;
}

PickleNodeId PickleMachine::addNode(PickleValue value, Build build, const AllowedGlobal *global)
{
    PickleNodeMeta meta;
    meta.build = build;
    meta.global = global;
    for (PickleNodeId item : value.items)
        meta.depth = std::max(meta.depth, mContext.meta[std::size_t(item)].depth + 1);
    for (PickleNodeId item : value.array.objects)
        meta.depth = std::max(meta.depth, mContext.meta[std::size_t(item)].depth + 1);
    if (value.arguments != kNoPickleNode)
        meta.depth = std::max(meta.depth, mContext.meta[std::size_t(value.arguments)].depth + 1);
    mContext.elements += 1 + std::int64_t(value.items.size());
    // What the node holds: itself in the graph's deque (with the allocator's header and the
    // deque's block pointer), its metadata (a vector, counted twice for its growth), and its own
    // heap data. Array bytes are not counted here: they share a Bytes node's buffer, already
    // counted, except joblib's, which readWrappedArray copies and counts.
    mContext.heldBytes += std::int64_t(sizeof(PickleValue) + 24 + 2 * sizeof(PickleNodeMeta))
        + 2 * std::int64_t(value.text.size()) + std::int64_t(value.bytes.size())
        + 4 * std::int64_t(value.items.size() + value.array.objects.size()) + 8 * std::int64_t(value.array.shape.size())
        + 2 * std::int64_t(value.module.size() + value.name.size());
    mContext.meta.push_back(meta);
    return mContext.graph().add(std::move(value));
}

bool PickleMachine::hold(std::int64_t bytes)
{
    mContext.heldBytes += bytes;
    if (mContext.heldBytes > mContext.limits.maxHeldBytes)
        return overLimit(QStringLiteral("%1 bytes of decoded objects").arg(mContext.limits.maxHeldBytes));
    return true;
}

// Accounts for items added to an existing container: the element total, the memory their
// references take (a vector, counted twice for its growth) and the container's nesting depth.
bool PickleMachine::noteItems(PickleNodeId container, const std::vector<PickleNodeId> &added)
{
    mContext.elements += std::int64_t(added.size());
    if (!hold(8 * std::int64_t(added.size())))
        return false;
    int &depth = mContext.meta[std::size_t(container)].depth;
    for (PickleNodeId item : added)
        depth = std::max(depth, mContext.meta[std::size_t(item)].depth + 1);
    if (depth > mContext.limits.maxDepth)
        return overLimit(QStringLiteral("nesting depth %1").arg(mContext.limits.maxDepth));
    if (mContext.elements > mContext.limits.maxElements)
        return overLimit(QStringLiteral("%1 elements").arg(mContext.limits.maxElements));
    return true;
}

bool PickleMachine::step(std::uint8_t opcode, bool &stopped)
{
    bool handled = false;
    if (!stepLiteral(opcode, handled) || handled)
        return !mContext.failed;
    if (!stepContainer(opcode, handled) || handled)
        return !mContext.failed;
    if (!stepMutation(opcode, handled) || handled)
        return !mContext.failed;
    if (!stepText(opcode, handled) || handled)
        return !mContext.failed;
    if (!stepMemo(opcode, handled) || handled)
        return !mContext.failed;
    if (!stepCall(opcode, handled) || handled)
        return !mContext.failed;
    PickleNodeId ignored = kNoPickleNode;
    switch (opcode) {
    case kProto: {
        std::uint64_t protocol = 0;
        if (!readUnsigned(1, protocol))
            return false;
        if (mProtocol >= 0)
            return refuse(QStringLiteral("a second PROTO opcode"));
        if (protocol < 2 || protocol > 5)
            return corrupt(QStringLiteral("pickle protocol %1 (protocols 2-5 are read)").arg(protocol));
        mProtocol = int(protocol);
        if (mContext.report.protocol < 0)
            mContext.report.protocol = mProtocol;
        return true;
    }
    case kFrame: {
        std::uint64_t length = 0;
        if (!readUnsigned(8, length))
            return false;
        if (mFrameEnd >= 0 && mPos != mFrameEnd)
            return corrupt(QStringLiteral("FRAME before the end of the current frame"));
        if (length > std::uint64_t(mContext.data.size() - mPos))
            return corrupt(QStringLiteral("FRAME declares %1 bytes, %2 left").arg(length).arg(mContext.data.size() - mPos));
        mFrameEnd = mPos + qsizetype(length);
        return true;
    }
    case kStop:
        stopped = true;
        return true;
    case kMark:
        if (mMarks.size() >= mContext.limits.maxMarks)
            return overLimit(QStringLiteral("%1 open MARKs").arg(mContext.limits.maxMarks));
        mMarks.push_back(mStack.size());
        return true;
    case kPop:
        // CPython: POP with nothing above the fence pops the MARK itself.
        if (!mMarks.empty() && mStack.size() == mMarks.back()) {
            mMarks.pop_back();
            return true;
        }
        return pop(ignored);
    case kPopMark: {
        std::vector<PickleNodeId> items;
        return popMark(items);
    }
    case kDup:
        return top(ignored) && push(ignored);
    default:
        break;
    }
    // Everything else: INST, OBJ, EXT*, PERSID/BINPERSID, out-of-band buffers, NEWOBJ_EX and the
    // text opcodes of protocols 0 and 1, which protocol 2-5 writers never emit.
    return refuse(QStringLiteral("opcode %1 is not allowed").arg(QLatin1String(pickleOpcodeName(opcode))));
}

bool PickleMachine::stepLiteral(std::uint8_t opcode, bool &handled)
{
    handled = true;
    PickleValue value;
    switch (opcode) {
    case kNone:
        return push(addNode(literal(Kind::None)));
    case kNewTrue:
    case kNewFalse:
        value.kind = Kind::Bool;
        value.boolean = opcode == kNewTrue;
        return push(addNode(std::move(value)));
    case kBinInt:
    case kBinInt1:
    case kBinInt2: {
        std::uint64_t raw = 0;
        if (!readUnsigned(opcode == kBinInt ? 4 : opcode == kBinInt1 ? 1 : 2, raw))
            return false;
        value.kind = Kind::Int;
        value.integer = opcode == kBinInt ? std::int64_t(std::int32_t(std::uint32_t(raw))) : std::int64_t(raw);
        return push(addNode(std::move(value)));
    }
    case kLong1:
    case kLong4: {
        qsizetype length = 0;
        if (!readLength(opcode == kLong1 ? 1 : 4, length))
            return false;
        if (length > 8)
            return refuse(QStringLiteral("integer of %1 bytes is wider than 64 bits").arg(length));
        QByteArrayView bytes;
        if (!read(length, bytes))
            return false;
        std::uint64_t raw = 0;
        for (qsizetype i = length - 1; i >= 0; --i)
            raw = (raw << 8) | static_cast<std::uint8_t>(bytes[i]);
        if (length > 0 && length < 8 && (static_cast<std::uint8_t>(bytes[length - 1]) & 0x80))
            raw |= ~std::uint64_t(0) << (8 * length); // two's complement sign extension
        value.kind = Kind::Int;
        value.integer = static_cast<std::int64_t>(raw);
        return push(addNode(std::move(value)));
    }
    case kBinFloat: {
        std::uint64_t bits = 0;
        QByteArrayView bytes;
        if (!read(8, bytes))
            return false;
        for (int i = 0; i < 8; ++i) // big-endian
            bits = (bits << 8) | static_cast<std::uint8_t>(bytes[i]);
        value.kind = Kind::Float;
        std::memcpy(&value.real, &bits, sizeof bits);
        return push(addNode(std::move(value)));
    }
    default:
        handled = false;
        return true;
    }
}

// str, bytes and bytearray literals: every declared length is checked against the bytes left.
bool PickleMachine::stepText(std::uint8_t opcode, bool &handled)
{
    handled = true;
    PickleValue value;
    switch (opcode) {
    case kBinUnicode:
    case kShortBinUnicode:
    case kBinUnicode8: {
        qsizetype length = 0;
        QByteArrayView bytes;
        if (!readLength(opcode == kShortBinUnicode ? 1 : opcode == kBinUnicode ? 4 : 8, length) || !read(length, bytes))
            return false;
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        value.kind = Kind::String;
        value.text = decoder(bytes);
        if (decoder.hasError())
            return corrupt(QStringLiteral("string of %1 bytes is not valid UTF-8").arg(length));
        return push(addNode(std::move(value)));
    }
    case kBinBytes:
    case kShortBinBytes:
    case kBinBytes8:
    case kByteArray8: {
        qsizetype length = 0;
        QByteArrayView bytes;
        if (!readLength(opcode == kShortBinBytes ? 1 : opcode == kBinBytes ? 4 : 8, length) || !read(length, bytes))
            return false;
        value.kind = Kind::Bytes;
        value.bytes = bytes.toByteArray();
        return push(addNode(std::move(value)));
    }
    default:
        handled = false;
        return true;
    }
}

} // namespace plumb
