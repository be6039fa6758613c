#include "interop/picklemachine.h"

#include <cstring>

// numpy arrays, dtypes and scalars, the scikit-learn Tree state and joblib's array records, built
// from their pickled state without numpy. Every shape is checked against the bytes present with
// overflow-checked arithmetic before anything is copied.

namespace plumb {

namespace {

using Kind = PickleValue::Kind;
using Build = PickleNodeMeta::Build;

constexpr std::int64_t kMaxItemSize = 1 << 20;
constexpr std::int64_t kMaxArrayElements = std::int64_t(1) << 40;

// Element count of `shape`, or -1 when an extent is negative or the product overflows.
std::int64_t checkedCount(const std::vector<std::int64_t> &shape)
{
    std::int64_t count = 1;
    for (std::int64_t extent : shape) {
        if (extent < 0 || __builtin_mul_overflow(count, extent, &count) || count > kMaxArrayElements)
            return -1;
    }
    return count;
}

// A dtype's type string as numpy's reduce writes it: "f8", "i4", "b1", "O8", "U5", "S3", "V56".
bool parseTypeString(const QString &text, NumpyDtype &dtype)
{
    if (text.size() < 2 || text.size() > 9)
        return false;
    const char kind = char(text[0].toLatin1());
    bool ok = false;
    const qint64 size = text.mid(1).toLongLong(&ok);
    if (!ok || size <= 0 || size > kMaxItemSize || !text[1].isDigit())
        return false;
    dtype.kind = kind;
    dtype.itemSize = int(size);
    switch (kind) {
    case 'b':
        return size == 1;
    case 'i':
    case 'u':
        return size == 1 || size == 2 || size == 4 || size == 8;
    case 'f':
        return size == 4 || size == 8;
    case 'O':
        dtype.itemSize = 8;
        return size == 8;
    case 'U':
        dtype.itemSize = int(size * 4);
        return true;
    case 'S':
    case 'V':
        return true;
    default:
        return false;
    }
}

} // namespace

bool PickleMachine::checkArrayBytes(const NumpyArray &array, qsizetype bytes, const QString &what)
{
    const std::int64_t count = checkedCount(array.shape);
    std::int64_t expected = 0;
    if (count < 0 || __builtin_mul_overflow(count, std::int64_t(array.dtype.itemSize), &expected))
        return refuse(QStringLiteral("%1: shape is negative or too large").arg(what));
    if (expected != bytes)
        return refuse(QStringLiteral("%1: %2 bytes of data for %3 elements of %4")
                          .arg(what)
                          .arg(bytes)
                          .arg(count)
                          .arg(array.dtype.describe()));
    return true;
}

bool PickleMachine::makeDtype(const std::vector<PickleNodeId> &args, PickleNodeId &result)
{
    PickleGraph &graph = mContext.graph();
    PickleValue value;
    value.kind = Kind::Dtype;
    if (args.size() != 3 || graph.node(args[0]).kind != Kind::String || graph.node(args[1]).kind != Kind::Bool
        || graph.node(args[2]).kind != Kind::Bool || !parseTypeString(graph.node(args[0]).text, value.dtype))
        return refuse(QStringLiteral("REDUCE numpy.dtype with arguments outside its schema ('f8', False, True)"));
    result = addNode(std::move(value), Build::DtypeState);
    mContext.meta[std::size_t(result)].buildRequired = true;
    return true;
}

bool PickleMachine::buildDtype(PickleNodeId dtypeId, PickleNodeId stateId)
{
    PickleGraph &graph = mContext.graph();
    const PickleValue &state = graph.node(stateId);
    auto item = [&](std::size_t i) -> const PickleValue & { return graph.node(state.items[i]); };
    if (state.kind != Kind::Tuple || (state.items.size() != 8 && state.items.size() != 9) || item(0).kind != Kind::Int
        || (item(0).integer != 3 && item(0).integer != 4) || item(1).kind != Kind::String || item(2).kind != Kind::None
        || item(5).kind != Kind::Int || item(6).kind != Kind::Int || item(7).kind != Kind::Int
        || (state.items.size() == 9 && item(8).kind != Kind::None))
        return refuse(
            QStringLiteral("BUILD state of a dtype outside its schema (3, '<', None, names, fields, elsize, alignment, flags)"));
    NumpyDtype dtype = graph.node(dtypeId).dtype;
    const QString order = item(1).text;
    if (order != QLatin1String("<") && order != QLatin1String(">") && order != QLatin1String("|") && order != QLatin1String("="))
        return refuse(QStringLiteral("dtype byte order '%1'").arg(order));
    dtype.littleEndian = order != QLatin1String(">") || dtype.itemSize == 1;
    const std::int64_t elsize = item(5).integer;
    const bool flexible = dtype.kind == 'U' || dtype.kind == 'S' || dtype.kind == 'V';
    if (flexible) {
        if (elsize <= 0 || elsize > kMaxItemSize || (dtype.kind == 'U' && elsize % 4 != 0))
            return refuse(QStringLiteral("dtype %1 with element size %2").arg(dtype.describe()).arg(elsize));
        dtype.itemSize = int(elsize);
    } else if (elsize != -1 && elsize != dtype.itemSize) {
        return refuse(QStringLiteral("dtype %1 with element size %2").arg(dtype.describe()).arg(elsize));
    }
    const PickleValue &names = item(3);
    const PickleValue &fields = item(4);
    if (names.kind == Kind::None && fields.kind == Kind::None) {
        graph.node(dtypeId).dtype = dtype;
        return true;
    }
    if (dtype.kind != 'V' || names.kind != Kind::Tuple || fields.kind != Kind::Dict
        || names.items.size() * 2 != fields.items.size())
        return refuse(QStringLiteral("structured dtype state with names and fields that do not match"));
    if (names.items.size() > mContext.limits.maxDtypeFields)
        return refuse(QStringLiteral("structured dtype with %1 fields (at most %2)")
                          .arg(names.items.size())
                          .arg(mContext.limits.maxDtypeFields));
    for (PickleNodeId nameId : names.items) {
        const PickleValue &name = graph.node(nameId);
        const std::optional<PickleNodeId> fieldId = name.kind == Kind::String ? graph.dictValue(state.items[4], name.text)
                                                                              : std::nullopt;
        const PickleValue *field = fieldId ? &graph.node(*fieldId) : nullptr;
        if (!field || field->kind != Kind::Tuple || field->items.size() < 2 || field->items.size() > 3
            || graph.node(field->items[0]).kind != Kind::Dtype || graph.node(field->items[1]).kind != Kind::Int
            || mContext.meta[std::size_t(field->items[0])].build != Build::None)
            return refuse(QStringLiteral("structured dtype field '%1' outside its schema (dtype, offset)").arg(name.text));
        NumpyDtype::Field entry;
        entry.name = name.text;
        entry.type = graph.node(field->items[0]).dtype;
        const std::int64_t offset = graph.node(field->items[1]).integer;
        if (entry.type.kind == 'O' || entry.type.kind == 'V' || offset < 0 || offset > elsize - entry.type.itemSize)
            return refuse(QStringLiteral("structured dtype field '%1' of %2 at offset %3 does not fit %4 bytes")
                              .arg(name.text, entry.type.describe())
                              .arg(offset)
                              .arg(elsize));
        entry.offset = int(offset);
        dtype.fields.push_back(std::move(entry));
    }
    graph.node(dtypeId).dtype = std::move(dtype);
    return true;
}

bool PickleMachine::makeScalar(const std::vector<PickleNodeId> &args, PickleNodeId &result)
{
    PickleGraph &graph = mContext.graph();
    if (args.size() != 2 || graph.node(args[0]).kind != Kind::Dtype || graph.node(args[1]).kind != Kind::Bytes
        || mContext.meta[std::size_t(args[0])].build != Build::None || graph.node(args[0]).dtype.kind == 'O')
        return refuse(QStringLiteral("REDUCE numpy scalar with arguments outside its schema (dtype, bytes)"));
    PickleValue value;
    value.kind = Kind::Array;
    value.array.dtype = graph.node(args[0]).dtype;
    value.array.data = graph.node(args[1]).bytes;
    if (!checkArrayBytes(value.array, value.array.data.size(), QStringLiteral("numpy scalar")))
        return false;
    result = addNode(std::move(value));
    return true;
}

bool PickleMachine::makeArrayFromBuffer(const std::vector<PickleNodeId> &args, PickleNodeId &result)
{
    PickleGraph &graph = mContext.graph();
    auto arg = [&](std::size_t i) -> const PickleValue & { return graph.node(args[i]); };
    if (args.size() != 4 || arg(0).kind != Kind::Bytes || arg(1).kind != Kind::Dtype || arg(2).kind != Kind::Tuple
        || arg(3).kind != Kind::String || (arg(3).text != QLatin1String("C") && arg(3).text != QLatin1String("F"))
        || mContext.meta[std::size_t(args[1])].build != Build::None || arg(1).dtype.kind == 'O')
        return refuse(QStringLiteral("REDUCE _frombuffer with arguments outside its schema (bytes, dtype, shape, 'C' or 'F')"));
    PickleValue value;
    value.kind = Kind::Array;
    value.array.dtype = arg(1).dtype;
    value.array.fortranOrder = arg(3).text == QLatin1String("F");
    for (PickleNodeId extent : arg(2).items) {
        if (graph.node(extent).kind != Kind::Int)
            return refuse(QStringLiteral("_frombuffer shape holds a value that is not an int"));
        value.array.shape.push_back(graph.node(extent).integer);
    }
    if (!checkArrayBytes(value.array, arg(0).bytes.size(), QStringLiteral("_frombuffer array")))
        return false;
    value.array.data = arg(0).bytes;
    result = addNode(std::move(value));
    return true;
}

bool PickleMachine::buildArray(PickleNodeId arrayId, PickleNodeId stateId)
{
    PickleGraph &graph = mContext.graph();
    const PickleValue &state = graph.node(stateId);
    auto item = [&](std::size_t i) -> const PickleValue & { return graph.node(state.items[i]); };
    if (state.kind != Kind::Tuple || state.items.size() != 5 || item(0).kind != Kind::Int || item(0).integer != 1
        || item(1).kind != Kind::Tuple || item(2).kind != Kind::Dtype || item(3).kind != Kind::Bool
        || mContext.meta[std::size_t(state.items[2])].build != Build::None)
        return refuse(QStringLiteral("BUILD state of an ndarray outside its schema (1, shape, dtype, fortran, data)"));
    NumpyArray array;
    array.dtype = item(2).dtype;
    array.fortranOrder = item(3).boolean;
    for (PickleNodeId extent : item(1).items) {
        if (graph.node(extent).kind != Kind::Int)
            return refuse(QStringLiteral("ndarray shape holds a value that is not an int"));
        array.shape.push_back(graph.node(extent).integer);
    }
    const PickleValue &data = item(4);
    if (array.dtype.kind == 'O') {
        const std::int64_t count = checkedCount(array.shape);
        if (data.kind != Kind::List || count < 0 || std::uint64_t(count) != data.items.size())
            return refuse(QStringLiteral("object ndarray state without a list of one value per element"));
        array.objects = data.items;
        mContext.elements += std::int64_t(array.objects.size());
    } else {
        if (data.kind != Kind::Bytes)
            return refuse(QStringLiteral("ndarray state data is not bytes"));
        if (!checkArrayBytes(array, data.bytes.size(), QStringLiteral("ndarray")))
            return false;
        array.data = data.bytes;
    }
    graph.node(arrayId).array = std::move(array);
    graph.node(arrayId).state = stateId;
    int &depth = mContext.meta[std::size_t(arrayId)].depth;
    depth = std::max(depth, mContext.meta[std::size_t(stateId)].depth + 1);
    if (depth > mContext.limits.maxDepth)
        return overLimit(QStringLiteral("nesting depth %1").arg(mContext.limits.maxDepth));
    return true;
}

namespace {

// The node record of sklearn.tree._tree.Tree: 56 bytes before scikit-learn 1.3, 64 with
// missing_go_to_left (sklearn/tree/_tree.pyx, NODE_DTYPE).
struct NodeField
{
    const char *name;
    char kind;
    int size;
    int offset;
};
constexpr NodeField kNodeFields[] = {
    {"left_child", 'i', 8, 0},
    {"right_child", 'i', 8, 8},
    {"feature", 'i', 8, 16},
    {"threshold", 'f', 8, 24},
    {"impurity", 'f', 8, 32},
    {"n_node_samples", 'i', 8, 40},
    {"weighted_n_node_samples", 'f', 8, 48},
    {"missing_go_to_left", 'u', 1, 56},
};

bool isNodeLayout(const NumpyDtype &dtype)
{
    const std::size_t count = dtype.itemSize == 56 ? 7 : dtype.itemSize == 64 ? 8 : 0;
    if (dtype.kind != 'V' || count == 0 || dtype.fields.size() != count)
        return false;
    for (std::size_t i = 0; i < count; ++i) {
        const NumpyDtype::Field &field = dtype.fields[i];
        if (field.name != QLatin1String(kNodeFields[i].name) || field.type.kind != kNodeFields[i].kind
            || field.type.itemSize != kNodeFields[i].size || field.offset != kNodeFields[i].offset || !field.type.littleEndian)
            return false;
    }
    return true;
}

std::int64_t readInt64(const QByteArray &data, std::int64_t offset)
{
    std::int64_t value = 0;
    std::memcpy(&value, data.constData() + offset, sizeof value); // little-endian host (x86-64, arm64)
    return value;
}

} // namespace

// A Tree's state must describe a tree: children after their parent and inside the node count
// (so no cycle), each node with at most one parent, features inside n_features, and a values
// array of shape (node_count, n_outputs, max_n_classes).
bool PickleMachine::buildTree(PickleNodeId treeId, PickleNodeId stateId)
{
    PickleGraph &graph = mContext.graph();
    const PickleValue &tree = graph.node(treeId);
    const PickleValue &arguments = graph.node(tree.arguments);
    const std::int64_t features = graph.node(arguments.items[0]).integer;
    const std::int64_t outputs = graph.node(arguments.items[2]).integer;
    const NumpyArray &classes = graph.node(arguments.items[1]).array;
    std::int64_t maxClasses = 1;
    for (std::int64_t i = 0; i < classes.elementCount(); ++i)
        maxClasses = std::max(maxClasses, readInt64(classes.data, i * 8));
    auto field = [&](const char *name, Kind kind) -> const PickleValue * {
        const std::optional<PickleNodeId> id = graph.dictValue(stateId, QLatin1String(name));
        return id && graph.node(*id).kind == kind ? &graph.node(*id) : nullptr;
    };
    const PickleValue *nodeCount = field("node_count", Kind::Int);
    const PickleValue *nodes = field("nodes", Kind::Array);
    const PickleValue *values = field("values", Kind::Array);
    if (!nodeCount || !nodes || !values)
        return refuse(QStringLiteral("Tree state without node_count, nodes and values"));
    const std::int64_t count = nodeCount->integer;
    if (!isNodeLayout(nodes->array.dtype) || nodes->array.shape.size() != 1 || nodes->array.shape[0] != count || count < 1)
        return refuse(QStringLiteral("Tree nodes are not %1 records of the 56- or 64-byte node layout").arg(count));
    const std::vector<std::int64_t> valueShape{count, outputs, maxClasses};
    if (values->array.dtype.kind != 'f' || values->array.dtype.itemSize != 8 || values->array.shape != valueShape)
        return refuse(QStringLiteral("Tree values are not float64[%1, %2, %3]").arg(count).arg(outputs).arg(maxClasses));
    const QByteArray &data = nodes->array.data;
    const std::int64_t stride = nodes->array.dtype.itemSize;
    std::vector<bool> hasParent(std::size_t(count), false);
    for (std::int64_t i = 0; i < count; ++i) {
        const std::int64_t left = readInt64(data, i * stride);
        const std::int64_t right = readInt64(data, i * stride + 8);
        const std::int64_t feature = readInt64(data, i * stride + 16);
        if (left == -1 && right == -1)
            continue;
        if (left <= i || right <= i || left >= count || right >= count || left == right)
            return refuse(
                QStringLiteral("Tree node %1 has children %2 and %3 outside (%1, %4)").arg(i).arg(left).arg(right).arg(count));
        if (hasParent[std::size_t(left)] || hasParent[std::size_t(right)])
            return refuse(QStringLiteral("Tree node %1 shares a child with another node").arg(i));
        hasParent[std::size_t(left)] = hasParent[std::size_t(right)] = true;
        if (feature < 0 || feature >= features)
            return refuse(QStringLiteral("Tree node %1 splits on feature %2 of %3").arg(i).arg(feature).arg(features));
    }
    return true;
}

} // namespace plumb
