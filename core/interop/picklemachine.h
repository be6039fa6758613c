#pragma once

#include "interop/pickleallowlist.h"
#include "interop/picklescanner.h"

#include <QByteArrayView>

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace plumb {

// Hard limits of one scan, over the whole file (nested streams included). Exceeding one makes the
// file Unreadable with a message naming the limit. They are checked as each opcode is read, so a
// stream is stopped at the limit, never after the objects it describes were built.
struct PickleLimits
{
    // The memory the decoded objects may hold, estimated as they are built: each node's own size,
    // its strings, bytes and copied array data, its references, memo and dict-key entries.
    // scanPickle sets it from the stream's size (see kHeldBytesAllowance in picklescanner.cpp).
    std::int64_t maxHeldBytes = std::int64_t(64) << 20;
    std::int64_t maxOpcodes = 50'000'000;
    std::size_t maxStack = 1'000'000;
    std::size_t maxMemo = 1'000'000;
    std::size_t maxMarks = 10'000;
    int maxDepth = 200; // nesting of containers and objects
    std::int64_t maxElements = 8'000'000; // nodes plus references between them
    int maxNestedStreams = 100'000; // joblib object arrays
    std::int64_t maxLineBytes = 4096; // GLOBAL operands
    std::size_t maxDtypeFields = 64; // fields of a structured dtype (tree nodes have 8)
};

// What the machine knows about a node beyond its value: which allow-list entry made or named it,
// the BUILD it still accepts, and how deeply it nests.
struct PickleNodeMeta
{
    enum class Build { None, ObjectDict, ObjectTuple, TreeDict, WrapperDict, ArrayState, DtypeState };
    const AllowedGlobal *global = nullptr; // Global nodes and Objects: the entry of the class or function
    Build build = Build::None; // the BUILD this node still accepts; None when it accepts none
    bool buildRequired = false; // the stream must give the BUILD before STOP
    int depth = 0;
};

// State shared by the machines of one scan: the graph being built, per-node metadata, the report
// that collects globals and opcode counts, and the running totals the limits apply to.
struct PickleContext
{
    PickleContext(QByteArrayView bytes, PickleScanReport &scanReport) : data(bytes), report(scanReport) { }

    QByteArrayView data; // the whole (decompressed) stream
    PickleScanReport &report; // report.graph is the graph being built
    std::vector<PickleNodeMeta> meta;
    PickleLimits limits;
    std::int64_t opcodes = 0;
    std::int64_t elements = 0;
    std::int64_t heldBytes = 0; // the estimate limits.maxHeldBytes applies to
    int nestedStreams = 0;
    bool failed = false;

    PickleGraph &graph() { return report.graph; }
    // Records the first failure (later ones are consequences); always returns false.
    bool fail(PickleScanReport::Verdict verdict, const QString &reason);
};

// The pickle opcode interpreter: reads one stream (protocols 2-5) as data, iteratively, with every
// length checked against the bytes left and every limit enforced, building nodes in the context's
// graph. Globals must be on the allow-list, and every REDUCE, NEWOBJ and BUILD must match the fixed
// schema of its allowed class or function. In joblib mode a NumpyArrayWrapper's BUILD is followed
// by the array's bytes (or, for object arrays, a nested stream scanned with the same policy).
class PickleMachine
{
public:
    PickleMachine(PickleContext &context, bool joblib) : mContext(context), mJoblib(joblib) { }

    // Runs the stream that starts at `offset` up to its STOP. Returns the root node and sets
    // `end` to the offset after STOP; on failure returns nullopt with the context failed.
    std::optional<PickleNodeId> run(qsizetype offset, qsizetype &end);

private:
    using Build = PickleNodeMeta::Build;
    using Verdict = PickleScanReport::Verdict;

    bool step(std::uint8_t opcode, bool &stopped);
    bool stepLiteral(std::uint8_t opcode, bool &handled);
    bool stepContainer(std::uint8_t opcode, bool &handled);
    bool stepMutation(std::uint8_t opcode, bool &handled);
    bool stepText(std::uint8_t opcode, bool &handled);
    bool stepMemo(std::uint8_t opcode, bool &handled);
    bool stepCall(std::uint8_t opcode, bool &handled);

    // Reading operands, bounded by the data and by the current frame.
    bool read(qsizetype count, QByteArrayView &bytes);
    bool readUnsigned(int width, std::uint64_t &value);
    bool readLine(QByteArray &line);
    bool readLength(int width, qsizetype &length);

    // The stack: values above the innermost MARK are reachable, those below are not.
    bool push(PickleNodeId id);
    bool pop(PickleNodeId &id);
    bool top(PickleNodeId &id);
    bool popMark(std::vector<PickleNodeId> &items);

    // Nodes.
    PickleNodeId addNode(PickleValue value, Build build = Build::None, const AllowedGlobal *global = nullptr);
    bool noteItems(PickleNodeId container, const std::vector<PickleNodeId> &added);
    // Adds `bytes` to the held-memory estimate; false (over the limit) past limits.maxHeldBytes.
    bool hold(std::int64_t bytes);
    bool checkHashable(PickleNodeId key);
    std::optional<QString> dictKey(PickleNodeId key);

    // Globals and calls (picklecalls.cpp).
    bool loadGlobal(QString module, QString name, const char *opcodeName);
    bool reduce();
    bool newObject();
    bool build();
    bool callFunction(PickleNodeId function, PickleNodeId arguments, PickleNodeId &result);
    bool makeBuiltin(PickleNodeId function, PickleNodeId arguments, PickleNodeId &result);
    bool makeFactoryObject(PickleNodeId function, PickleNodeId arguments, PickleNodeId &result);
    bool makeArrayFromBuffer(const std::vector<PickleNodeId> &arguments, PickleNodeId &result);
    bool makeScalar(const std::vector<PickleNodeId> &arguments, PickleNodeId &result);
    bool makeDtype(const std::vector<PickleNodeId> &arguments, PickleNodeId &result);
    bool buildArray(PickleNodeId array, PickleNodeId state);
    bool buildDtype(PickleNodeId dtype, PickleNodeId state);
    bool buildTree(PickleNodeId tree, PickleNodeId state);
    bool buildWrapper(PickleNodeId wrapper, PickleNodeId state);
    bool readWrappedArray(NumpyArray array, std::int64_t alignment);
    bool checkArrayBytes(const NumpyArray &array, qsizetype bytes, const QString &what);

    bool refuse(const QString &reason);
    bool corrupt(const QString &reason);
    bool overLimit(const QString &what);

    PickleContext &mContext;
    bool mJoblib = false;
    qsizetype mPos = 0;
    qsizetype mOpcodeOffset = 0;
    qsizetype mFrameEnd = -1; // end of the current frame, -1 outside frames
    int mProtocol = -1;
    std::vector<PickleNodeId> mStack;
    std::vector<std::size_t> mMarks;
    std::unordered_map<std::uint32_t, PickleNodeId> mMemo;
    // Per dict node: key text ("s:name", "i:42") -> index of the value in items, so SETITEM
    // replaces a repeated key in place as CPython does, in constant time.
    std::unordered_map<PickleNodeId, std::unordered_map<QString, std::size_t>> mDictKeys;
};

// The name of a pickle opcode ("BINUNICODE"), or nullptr for a byte that is no opcode.
const char *pickleOpcodeName(std::uint8_t opcode);

} // namespace plumb
