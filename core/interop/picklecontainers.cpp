#include "interop/picklemachine.h"

// Tuples, lists, dicts, sets and the memo, as CPython's Modules/_pickle.c builds them. Mutating
// opcodes (APPEND, SETITEM, ADDITEMS) apply only to a real list, dict or set: CPython would call
// the target's own append/__setitem__/add method on anything else, which is a call.

namespace plumb {

namespace {

using Kind = PickleValue::Kind;

const char *kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return "None";
    case Kind::Bool:
        return "bool";
    case Kind::Int:
        return "int";
    case Kind::Float:
        return "float";
    case Kind::String:
        return "str";
    case Kind::Bytes:
        return "bytes";
    case Kind::Tuple:
        return "tuple";
    case Kind::List:
        return "list";
    case Kind::Set:
        return "set";
    case Kind::Dict:
        return "dict";
    case Kind::Global:
        return "global";
    case Kind::Object:
        return "object";
    case Kind::Array:
        return "ndarray";
    case Kind::Dtype:
        return "dtype";
    }
    return "value";
}

} // namespace

// Keys are limited to str and int (all scikit-learn dicts use them): equal keys then compare as
// CPython compares them, and a repeated key replaces the value in place.
std::optional<QString> PickleMachine::dictKey(PickleNodeId key)
{
    const PickleValue &value = mContext.graph().node(key);
    if (value.kind == Kind::String)
        return QStringLiteral("s:") + value.text;
    if (value.kind == Kind::Int)
        return QStringLiteral("i:") + QString::number(value.integer);
    refuse(QStringLiteral("dict key of type %1 (str and int keys are read)").arg(QLatin1String(kindName(value.kind))));
    return std::nullopt;
}

// Set elements must be hashable literals; anything else would make CPython call __hash__.
bool PickleMachine::checkHashable(PickleNodeId key)
{
    const Kind kind = mContext.graph().node(key).kind;
    if (kind == Kind::String || kind == Kind::Int || kind == Kind::Bytes || kind == Kind::Float || kind == Kind::Bool
        || kind == Kind::None)
        return true;
    return refuse(QStringLiteral("set element of type %1 (literal elements only)").arg(QLatin1String(kindName(kind))));
}

bool PickleMachine::stepContainer(std::uint8_t opcode, bool &handled)
{
    handled = true;
    std::vector<PickleNodeId> items;
    PickleValue value;
    switch (opcode) {
    case ')': // EMPTY_TUPLE
    case 0x85:
    case 0x86:
    case 0x87: // TUPLE1..3
    case 't': { // TUPLE
        if (opcode == 't') {
            if (!popMark(items))
                return false;
        } else {
            items.resize(opcode == ')' ? 0 : std::size_t(opcode - 0x84));
            for (std::size_t i = items.size(); i > 0; --i)
                if (!pop(items[i - 1]))
                    return false;
        }
        value.kind = Kind::Tuple;
        value.items = std::move(items);
        const PickleNodeId id = addNode(std::move(value));
        return noteItems(id, {}) && push(id);
    }
    case ']':
        value.kind = Kind::List;
        return push(addNode(std::move(value)));
    case '}':
        value.kind = Kind::Dict;
        return push(addNode(std::move(value)));
    case 0x8f:
        value.kind = Kind::Set;
        return push(addNode(std::move(value))); // EMPTY_SET
    case 0x91: { // FROZENSET
        if (!popMark(items))
            return false;
        for (PickleNodeId item : items)
            if (!checkHashable(item))
                return false;
        value.kind = Kind::Set;
        value.items = std::move(items);
        const PickleNodeId id = addNode(std::move(value));
        return noteItems(id, {}) && push(id);
    }
    default:
        handled = false;
        return true;
    }
}

// APPEND, APPENDS, ADDITEMS, SETITEM and SETITEMS: only on a real list, set or dict.
bool PickleMachine::stepMutation(std::uint8_t opcode, bool &handled)
{
    handled = true;
    std::vector<PickleNodeId> items;
    PickleNodeId target = kNoPickleNode;
    switch (opcode) {
    case 'a': // APPEND
    case 'e': { // APPENDS
        if (opcode == 'a') {
            items.resize(1);
            if (!pop(items[0]))
                return false;
        } else if (!popMark(items)) {
            return false;
        }
        if (!top(target))
            return false;
        if (mContext.graph().node(target).kind != Kind::List)
            return refuse(
                QStringLiteral("APPEND to a %1 (lists only)").arg(QLatin1String(kindName(mContext.graph().node(target).kind))));
        PickleValue &list = mContext.graph().node(target);
        list.items.insert(list.items.end(), items.begin(), items.end());
        return noteItems(target, items);
    }
    case 0x90: { // ADDITEMS
        if (!popMark(items) || !top(target))
            return false;
        if (mContext.graph().node(target).kind != Kind::Set)
            return refuse(
                QStringLiteral("ADDITEMS to a %1 (sets only)").arg(QLatin1String(kindName(mContext.graph().node(target).kind))));
        for (PickleNodeId item : items)
            if (!checkHashable(item))
                return false;
        PickleValue &set = mContext.graph().node(target);
        set.items.insert(set.items.end(), items.begin(), items.end());
        return noteItems(target, items);
    }
    case 's': // SETITEM
    case 'u': { // SETITEMS
        if (opcode == 's') {
            items.resize(2);
            if (!pop(items[1]) || !pop(items[0]))
                return false;
        } else if (!popMark(items)) {
            return false;
        }
        if (items.size() % 2 != 0)
            return corrupt(QStringLiteral("SETITEMS with an odd number of values"));
        if (!top(target))
            return false;
        if (mContext.graph().node(target).kind != Kind::Dict)
            return refuse(
                QStringLiteral("SETITEM on a %1 (dicts only)").arg(QLatin1String(kindName(mContext.graph().node(target).kind))));
        auto &keys = mDictKeys[target];
        for (std::size_t i = 0; i < items.size(); i += 2) {
            const std::optional<QString> key = dictKey(items[i]);
            if (!key)
                return false;
            PickleValue &dict = mContext.graph().node(target);
            const auto [found, inserted] = keys.try_emplace(*key, dict.items.size() + 1);
            if (inserted) {
                // A hash-table entry holding the key's text (about 64 bytes of node and bucket).
                if (!hold(64 + 2 * std::int64_t(key->size())))
                    return false;
                dict.items.push_back(items[i]);
                dict.items.push_back(items[i + 1]);
            } else {
                dict.items[found->second] = items[i + 1];
            }
        }
        return noteItems(target, items);
    }
    default:
        handled = false;
        return true;
    }
}

bool PickleMachine::stepMemo(std::uint8_t opcode, bool &handled)
{
    handled = true;
    std::uint64_t index = 0;
    PickleNodeId id = kNoPickleNode;
    switch (opcode) {
    case 'h': // BINGET
    case 'j': { // LONG_BINGET
        if (!readUnsigned(opcode == 'h' ? 1 : 4, index))
            return false;
        const auto found = mMemo.find(std::uint32_t(index));
        if (found == mMemo.end())
            return corrupt(QStringLiteral("memo key %1 is not defined").arg(index));
        return push(found->second);
    }
    case 'q': // BINPUT
    case 'r': // LONG_BINPUT
    case 0x94: { // MEMOIZE: the key is the memo's current size, as in CPython (it may overwrite)
        if (opcode == 0x94)
            index = mMemo.size();
        else if (!readUnsigned(opcode == 'q' ? 1 : 4, index))
            return false;
        if (!top(id))
            return false;
        if (index > 0xffffffffu)
            return corrupt(QStringLiteral("memo key %1 out of range").arg(index));
        if (mMemo.size() >= mContext.limits.maxMemo && !mMemo.count(std::uint32_t(index)))
            return overLimit(QStringLiteral("%1 memo entries").arg(mContext.limits.maxMemo));
        if (!mMemo.count(std::uint32_t(index)) && !hold(48)) // a hash-table node and its bucket
            return false;
        mMemo[std::uint32_t(index)] = id;
        return true;
    }
    default:
        handled = false;
        return true;
    }
}

} // namespace plumb
