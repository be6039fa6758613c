#include "interop/picklemachine.h"

#include <QStringDecoder>

// GLOBAL, STACK_GLOBAL, REDUCE, NEWOBJ and BUILD under the allow-list policy. Nothing is called:
// each allowed global's role (pickleallowlist.h) says which creation opcode and arguments it
// accepts and which BUILD state, and the machine builds the node that the call would have made.

namespace plumb {

namespace {

using Kind = PickleValue::Kind;
using Build = PickleNodeMeta::Build;

bool isEmptyTuple(const PickleValue &value)
{
    return value.kind == Kind::Tuple && value.items.empty();
}

} // namespace

bool PickleMachine::stepCall(std::uint8_t opcode, bool &handled)
{
    handled = true;
    switch (opcode) {
    case 'c': { // GLOBAL: "module\nname\n"
        QByteArray module, name;
        if (!readLine(module) || !readLine(name))
            return false;
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString moduleText = decoder(module);
        const QString nameText = decoder(name);
        if (decoder.hasError())
            return corrupt(QStringLiteral("GLOBAL operand is not valid UTF-8"));
        return loadGlobal(moduleText, nameText, "GLOBAL");
    }
    case 0x93: { // STACK_GLOBAL: module and name must be str values on the stack
        PickleNodeId nameId = kNoPickleNode, moduleId = kNoPickleNode;
        if (!pop(nameId) || !pop(moduleId))
            return false;
        const PickleValue &module = mContext.graph().node(moduleId);
        const PickleValue &name = mContext.graph().node(nameId);
        if (module.kind != Kind::String || name.kind != Kind::String)
            return refuse(QStringLiteral("STACK_GLOBAL operands are not string literals"));
        return loadGlobal(module.text, name.text, "STACK_GLOBAL");
    }
    case 'R':
        return reduce();
    case 0x81:
        return newObject();
    case 'b':
        return build();
    default:
        handled = false;
        return true;
    }
}

bool PickleMachine::loadGlobal(QString module, QString name, const char *opcodeName)
{
    if (mProtocol < 3)
        mapPython2Name(module, name);
    const QString qualified = module + QLatin1Char('.') + name;
    if (!mContext.report.globals.contains(qualified))
        mContext.report.globals.append(qualified);
    if (name.contains(QLatin1Char('.')) || name.isEmpty() || module.isEmpty())
        return refuse(QStringLiteral("%1 %2: dotted or empty names are not allowed").arg(QLatin1String(opcodeName), qualified));
    const AllowedGlobal *entry = findAllowedGlobal(module, name);
    if (!entry)
        return refuse(QStringLiteral("%1 %2 is not on the allow-list").arg(QLatin1String(opcodeName), qualified));
    if (entry->role == GlobalRole::ArrayWrapper && !mJoblib)
        return refuse(QStringLiteral("%1 %2 outside a joblib file").arg(QLatin1String(opcodeName), qualified));
    PickleValue value;
    value.kind = Kind::Global;
    value.module = module;
    value.name = name;
    return push(addNode(std::move(value), Build::None, entry));
}

bool PickleMachine::reduce()
{
    PickleNodeId arguments = kNoPickleNode, function = kNoPickleNode;
    if (!pop(arguments) || !pop(function))
        return false;
    const PickleValue &callable = mContext.graph().node(function);
    if (callable.kind != Kind::Global)
        return refuse(QStringLiteral("REDUCE on a value that is not an allowed global"));
    if (mContext.graph().node(arguments).kind != Kind::Tuple)
        return refuse(QStringLiteral("REDUCE %1 with arguments that are not a tuple").arg(callable.qualifiedName()));
    PickleNodeId result = kNoPickleNode;
    if (!callFunction(function, arguments, result))
        return false;
    const int depth = mContext.meta[std::size_t(result)].depth;
    if (depth > mContext.limits.maxDepth)
        return overLimit(QStringLiteral("nesting depth %1").arg(mContext.limits.maxDepth));
    return push(result);
}

bool PickleMachine::newObject()
{
    PickleNodeId arguments = kNoPickleNode, cls = kNoPickleNode;
    if (!pop(arguments) || !pop(cls))
        return false;
    const PickleValue &type = mContext.graph().node(cls);
    const AllowedGlobal *entry = type.kind == Kind::Global ? mContext.meta[std::size_t(cls)].global : nullptr;
    if (!entry || (entry->role != GlobalRole::PlainClass && entry->role != GlobalRole::ArrayWrapper))
        return refuse(QStringLiteral("NEWOBJ on %1, which is not an allowed class")
                          .arg(type.kind == Kind::Global ? type.qualifiedName() : QStringLiteral("a non-global value")));
    if (!isEmptyTuple(mContext.graph().node(arguments)))
        return refuse(QStringLiteral("NEWOBJ %1 with arguments; its schema takes none").arg(type.qualifiedName()));
    PickleValue value;
    value.kind = Kind::Object;
    value.module = type.module;
    value.name = type.name;
    value.arguments = arguments;
    const Build build = entry->role == GlobalRole::ArrayWrapper ? Build::WrapperDict : Build::ObjectDict;
    const PickleNodeId id = addNode(std::move(value), build, entry);
    // Objects with no instance state (the loss links) have no BUILD; an array record must have one.
    mContext.meta[std::size_t(id)].buildRequired = build == Build::WrapperDict;
    return push(id);
}

bool PickleMachine::build()
{
    PickleNodeId state = kNoPickleNode, target = kNoPickleNode;
    if (!pop(state) || !top(target))
        return false;
    PickleNodeMeta &meta = mContext.meta[std::size_t(target)];
    const PickleValue &object = mContext.graph().node(target);
    const QString what = object.kind == Kind::Object || object.kind == Kind::Global ? object.qualifiedName()
        : object.kind == Kind::Array                                                ? QStringLiteral("an ndarray")
        : object.kind == Kind::Dtype                                                ? QStringLiteral("a dtype")
                                                                                    : QStringLiteral("a literal value");
    if (object.kind == Kind::Global)
        return refuse(QStringLiteral("BUILD on the global %1 (a class or function)").arg(what));
    if (meta.build == Build::None)
        return refuse(QStringLiteral("BUILD on %1, which takes no BUILD or already has one").arg(what));
    const Build expected = meta.build;
    meta.build = Build::None; // one BUILD per object
    meta.buildRequired = false;
    const PickleValue &stateValue = mContext.graph().node(state);
    switch (expected) {
    case Build::ObjectDict:
    case Build::TreeDict: {
        if (stateValue.kind != Kind::Dict)
            return refuse(QStringLiteral("BUILD state of %1 is not a dict").arg(what));
        for (std::size_t i = 0; i < stateValue.items.size(); i += 2)
            if (mContext.graph().node(stateValue.items[i]).kind != Kind::String)
                return refuse(QStringLiteral("BUILD state of %1 has a key that is not a str").arg(what));
        if (expected == Build::TreeDict && !buildTree(target, state))
            return false;
        break;
    }
    case Build::ObjectTuple:
        if (stateValue.kind != Kind::Tuple)
            return refuse(QStringLiteral("BUILD state of %1 is not a tuple").arg(what));
        break;
    case Build::WrapperDict:
        return buildWrapper(target, state);
    case Build::ArrayState:
        return buildArray(target, state);
    case Build::DtypeState:
        return buildDtype(target, state);
    case Build::None:
        break;
    }
    mContext.graph().node(target).state = state;
    int &depth = mContext.meta[std::size_t(target)].depth;
    depth = std::max(depth, mContext.meta[std::size_t(state)].depth + 1);
    if (depth > mContext.limits.maxDepth)
        return overLimit(QStringLiteral("nesting depth %1").arg(mContext.limits.maxDepth));
    return true;
}

bool PickleMachine::callFunction(PickleNodeId function, PickleNodeId arguments, PickleNodeId &result)
{
    const AllowedGlobal *entry = mContext.meta[std::size_t(function)].global;
    const std::vector<PickleNodeId> args = mContext.graph().node(arguments).items;
    switch (entry ? entry->role : GlobalRole::TypeReference) {
    case GlobalRole::NumpyDtype:
        return makeDtype(args, result);
    case GlobalRole::NumpyScalar:
        return makeScalar(args, result);
    case GlobalRole::NumpyFromBuffer:
        return makeArrayFromBuffer(args, result);
    case GlobalRole::CodecsEncode:
    case GlobalRole::BuiltinSet:
    case GlobalRole::BuiltinFrozenSet:
    case GlobalRole::BuiltinBytes:
    case GlobalRole::BuiltinSlice:
        return makeBuiltin(function, arguments, result);
    case GlobalRole::NumpyReconstruct:
    case GlobalRole::TreeClass:
    case GlobalRole::CythonUnpickle:
    case GlobalRole::NewObjFunction:
        return makeFactoryObject(function, arguments, result);
    case GlobalRole::PlainClass:
    case GlobalRole::ArrayWrapper:
    case GlobalRole::TypeReference:
        break;
    }
    return refuse(QStringLiteral("REDUCE on %1, which may not be called").arg(mContext.graph().node(function).qualifiedName()));
}

// The Python built-ins a protocol 2 stream calls: bytes through _codecs.encode, sets, slices.
bool PickleMachine::makeBuiltin(PickleNodeId function, PickleNodeId arguments, PickleNodeId &result)
{
    const PickleValue &callable = mContext.graph().node(function);
    const AllowedGlobal *entry = mContext.meta[std::size_t(function)].global;
    const std::vector<PickleNodeId> args = mContext.graph().node(arguments).items;
    auto arg = [&](std::size_t i) -> const PickleValue & { return mContext.graph().node(args[i]); };
    const QString name = callable.qualifiedName();
    auto badArguments = [&](const char *schema) {
        return refuse(QStringLiteral("REDUCE %1 with arguments outside its schema %2").arg(name, QLatin1String(schema)));
    };
    PickleValue value;
    switch (entry->role) {
    case GlobalRole::CodecsEncode: {
        if (args.size() != 2 || arg(0).kind != Kind::String || arg(1).kind != Kind::String
            || (arg(1).text != QLatin1String("latin1") && arg(1).text != QLatin1String("latin-1")))
            return badArguments("(str, 'latin1')");
        const QString &text = arg(0).text;
        value.kind = Kind::Bytes;
        value.bytes.reserve(text.size());
        for (QChar c : text) {
            if (c.unicode() > 0xff)
                return badArguments("(str, 'latin1') with characters below U+0100");
            value.bytes.append(char(c.unicode()));
        }
        result = addNode(std::move(value));
        return true;
    }
    case GlobalRole::BuiltinSet:
    case GlobalRole::BuiltinFrozenSet: {
        if (args.size() > 1 || (args.size() == 1 && arg(0).kind != Kind::List))
            return badArguments("() or ([items],)");
        value.kind = Kind::Set;
        if (!args.empty())
            value.items = arg(0).items;
        for (PickleNodeId item : value.items)
            if (!checkHashable(item))
                return false;
        result = addNode(std::move(value));
        return noteItems(result, {});
    }
    case GlobalRole::BuiltinBytes:
        if (!args.empty())
            return badArguments("()");
        value.kind = Kind::Bytes;
        result = addNode(std::move(value));
        return true;
    case GlobalRole::BuiltinSlice:
        if (args.empty() || args.size() > 3)
            return badArguments("(start, stop, step)");
        for (std::size_t i = 0; i < args.size(); ++i)
            if (arg(i).kind != Kind::Int && arg(i).kind != Kind::None)
                return badArguments("(start, stop, step) of int or None");
        value.kind = Kind::Object;
        value.module = callable.module;
        value.name = callable.name;
        value.arguments = arguments;
        result = addNode(std::move(value), Build::None, entry);
        return true;
    default:
        break;
    }
    return refuse(QStringLiteral("REDUCE on %1, which may not be called").arg(name));
}

// Objects made by a function or class call: numpy's _reconstruct, the tree, Cython unpicklers
// and newObj factories, each with its fixed argument schema.
bool PickleMachine::makeFactoryObject(PickleNodeId function, PickleNodeId arguments, PickleNodeId &result)
{
    const PickleValue &callable = mContext.graph().node(function);
    const AllowedGlobal *entry = mContext.meta[std::size_t(function)].global;
    const std::vector<PickleNodeId> args = mContext.graph().node(arguments).items;
    auto arg = [&](std::size_t i) -> const PickleValue & { return mContext.graph().node(args[i]); };
    const QString name = callable.qualifiedName();
    auto badArguments = [&](const char *schema) {
        return refuse(QStringLiteral("REDUCE %1 with arguments outside its schema %2").arg(name, QLatin1String(schema)));
    };
    PickleValue value;
    switch (entry->role) {
    case GlobalRole::NumpyReconstruct: {
        if (args.size() != 3 || arg(0).kind != Kind::Global || arg(0).qualifiedName() != QLatin1String("numpy.ndarray")
            || arg(1).kind != Kind::Tuple || arg(1).items.size() != 1 || mContext.graph().node(arg(1).items[0]).kind != Kind::Int
            || arg(2).kind != Kind::Bytes || arg(2).bytes != "b")
            return badArguments("(numpy.ndarray, (0,), b'b')");
        value.kind = Kind::Array;
        result = addNode(std::move(value), Build::ArrayState, entry);
        mContext.meta[std::size_t(result)].buildRequired = true;
        return true;
    }
    case GlobalRole::TreeClass:
        if (args.size() != 3 || arg(0).kind != Kind::Int || arg(1).kind != Kind::Array || arg(2).kind != Kind::Int
            || arg(1).array.dtype.kind != 'i' || arg(1).array.dtype.itemSize != 8 || arg(1).array.shape.size() != 1
            || arg(0).integer < 0 || arg(2).integer < 1 || arg(1).array.shape[0] != arg(2).integer)
            return badArguments("(n_features, n_classes int64[n_outputs], n_outputs)");
        value.kind = Kind::Object;
        value.module = callable.module;
        value.name = callable.name;
        value.arguments = arguments;
        result = addNode(std::move(value), Build::TreeDict, entry);
        mContext.meta[std::size_t(result)].buildRequired = true;
        return true;
    case GlobalRole::CythonUnpickle:
    case GlobalRole::NewObjFunction: {
        const bool cython = entry->role == GlobalRole::CythonUnpickle;
        const AllowedGlobal *type = args.empty() ? nullptr : mContext.meta[std::size_t(args[0])].global;
        if (!type || arg(0).kind != Kind::Global || type->role != GlobalRole::TypeReference || !type->factory
            || name != QLatin1String(type->factory))
            return badArguments(cython ? "(its own Cython class, checksum, state)" : "(one of its module's classes,)");
        if (cython && (args.size() != 3 || arg(1).kind != Kind::Int || (arg(2).kind != Kind::Tuple && arg(2).kind != Kind::None)))
            return badArguments("(cls, checksum int, state tuple or None)");
        if (!cython && args.size() != 1)
            return badArguments("(cls,)");
        value.kind = Kind::Object;
        value.module = arg(0).module;
        value.name = arg(0).name;
        value.arguments = arguments;
        const bool stateGiven = cython && arg(2).kind == Kind::Tuple;
        result = addNode(std::move(value), stateGiven ? Build::None : Build::ObjectTuple, type);
        mContext.meta[std::size_t(result)].buildRequired = !stateGiven;
        if (stateGiven)
            mContext.graph().node(result).state = args[2];
        return true;
    }
    default:
        break;
    }
    return refuse(QStringLiteral("REDUCE on %1, which may not be called").arg(name));
}

} // namespace plumb
