#include "interop/picklescanner.h"

#include "base/sha256.h"

#include "interop/joblibcontainer.h"
#include "interop/picklemachine.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <set>

namespace plumb {

namespace {

using Kind = PickleValue::Kind;

constexpr qint64 kMaxFileBytes = qint64(1) << 30; // 1 GiB on disk
// Decompression is stopped as soon as its output passes the least of: 1 GiB; 32 times the
// compressed size, but at least 32 MiB. scikit-learn models compress 2-8 times with joblib's
// compressors (forests and histogram boosting measured with zlib, gzip, bz2, lzma and xz), so 32
// leaves a wide margin, while a bomb (zeros compress about 1,000 times with zlib, far more with
// bz2) is stopped after 32 MiB of output instead of gigabytes.
constexpr qint64 kMaxDecompressedBytes = qint64(1) << 30;
constexpr qint64 kDecompressedAllowance = qint64(32) << 20;
constexpr qint64 kMaxCompressionRatio = 32;
// The decoded objects may hold 64 MiB plus twice the decompressed stream (PickleLimits::maxHeldBytes):
// a model's arrays are at most the stream's bytes once (joblib copies them out of it; protocol 2
// spells bytes as text first), while a stream of one-byte opcodes that each make an object would
// otherwise build objects hundreds of times its size.
constexpr qint64 kHeldBytesAllowance = qint64(64) << 20;
constexpr int kMaxTreeDepth = 64;
// Values reachable from the root when every shared reference is counted again: what a reader
// that copies instead of sharing would build. Memo references make this exponential in the
// stream's size ("billion laughs"), so it is capped.
constexpr std::int64_t kMaxExpandedValues = 50'000'000;

// The i-th value a node refers to: its items, object-array elements, arguments and state.
PickleNodeId childAt(const PickleValue &value, std::size_t i)
{
    if (i < value.items.size())
        return value.items[i];
    i -= value.items.size();
    if (i < value.array.objects.size())
        return value.array.objects[i];
    i -= value.array.objects.size();
    const PickleNodeId rest[2] = {value.arguments, value.state};
    std::size_t seen = 0;
    for (PickleNodeId id : rest)
        if (id != kNoPickleNode && seen++ == i)
            return id;
    return kNoPickleNode;
}

// Refuses reference cycles and graphs whose expansion exceeds kMaxExpandedValues, with an
// iterative post-order walk from the root.
std::optional<QString> checkExpansion(const PickleGraph &graph)
{
    enum : char { kUnseen, kOpen, kDone };
    std::vector<char> state(graph.size(), kUnseen);
    std::vector<std::int64_t> expanded(graph.size(), 1);
    std::vector<std::pair<PickleNodeId, std::size_t>> stack{{graph.root(), 0}};
    state[std::size_t(graph.root())] = kOpen;
    while (!stack.empty()) {
        auto &[id, next] = stack.back();
        const PickleNodeId child = childAt(graph.node(id), next++);
        if (child == kNoPickleNode) {
            state[std::size_t(id)] = kDone;
            const std::int64_t size = expanded[std::size_t(id)];
            stack.pop_back();
            if (!stack.empty()) {
                std::int64_t &parent = expanded[std::size_t(stack.back().first)];
                parent = std::min(parent + size, kMaxExpandedValues + 1);
                if (parent > kMaxExpandedValues)
                    return QStringLiteral("shared references expand to more than %1 values").arg(kMaxExpandedValues);
            }
            continue;
        }
        if (state[std::size_t(child)] == kOpen)
            return QStringLiteral("the object graph has a reference cycle");
        if (state[std::size_t(child)] == kDone) {
            std::int64_t &parent = expanded[std::size_t(id)];
            parent = std::min(parent + expanded[std::size_t(child)], kMaxExpandedValues + 1);
            if (parent > kMaxExpandedValues)
                return QStringLiteral("shared references expand to more than %1 values").arg(kMaxExpandedValues);
            continue;
        }
        state[std::size_t(child)] = kOpen;
        stack.emplace_back(child, 0);
    }
    return std::nullopt;
}

bool isEstimator(const PickleGraph &graph, PickleNodeId id)
{
    return graph.contains(id) && graph.node(id).kind == Kind::Object
        && graph.node(id).module.startsWith(QLatin1String("sklearn."));
}

QString literalText(const PickleValue &value)
{
    switch (value.kind) {
    case Kind::String:
        return value.text;
    case Kind::Int:
        return QString::number(value.integer);
    case Kind::None:
        return QStringLiteral("None");
    case Kind::Bool:
        return value.boolean ? QStringLiteral("True") : QStringLiteral("False");
    default:
        return QStringLiteral("<%1>").arg(value.kind == Kind::Object ? value.qualifiedName() : QStringLiteral("value"));
    }
}

// The columns a ColumnTransformer branch reads, as text: names, positions, a slice or a mask.
QStringList columnsText(const PickleGraph &graph, PickleNodeId id)
{
    const PickleValue &value = graph.node(id);
    QStringList columns;
    if (value.kind == Kind::List || value.kind == Kind::Tuple) {
        for (PickleNodeId item : value.items)
            columns.append(literalText(graph.node(item)));
    } else if (value.kind == Kind::Array && value.array.dtype.kind == 'O') {
        for (PickleNodeId item : value.array.objects)
            columns.append(literalText(graph.node(item)));
    } else if (value.kind == Kind::Array && (value.array.dtype.kind == 'i' || value.array.dtype.kind == 'b')
               && value.array.dtype.itemSize <= 8) {
        const int size = value.array.dtype.itemSize;
        for (qsizetype offset = 0; offset + size <= value.array.data.size(); offset += size) {
            qint64 number = 0;
            for (int b = size - 1; b >= 0; --b)
                number = (number << 8) | static_cast<std::uint8_t>(value.array.data[offset + b]);
            if (size < 8 && (number >> (8 * size - 1)) & 1)
                number -= qint64(1) << (8 * size);
            columns.append(value.array.dtype.kind == 'b' ? (number ? QStringLiteral("True") : QStringLiteral("False"))
                                                         : QString::number(number));
        }
    } else if (value.kind == Kind::Object && value.name == QLatin1String("slice") && graph.contains(value.arguments)) {
        QStringList parts;
        for (PickleNodeId part : graph.node(value.arguments).items)
            parts.append(literalText(graph.node(part)));
        columns.append(QStringLiteral("slice(%1)").arg(parts.join(QLatin1String(", "))));
    } else {
        columns.append(literalText(value));
    }
    return columns;
}

EstimatorNode leafFor(const PickleGraph &graph, PickleNodeId id, const QString &label)
{
    EstimatorNode node;
    node.label = label;
    const PickleValue &value = graph.node(id);
    node.className = value.kind == Kind::Object ? value.qualifiedName() : literalText(value);
    return node;
}

// The children of one estimator, with the graph ids of those that are estimators themselves.
std::vector<std::pair<EstimatorNode, PickleNodeId>> childrenOf(const PickleGraph &graph, PickleNodeId id)
{
    std::vector<std::pair<EstimatorNode, PickleNodeId>> children;
    const PickleValue &object = graph.node(id);
    auto list = [&](const char *name) -> const PickleValue * {
        const std::optional<PickleNodeId> attribute = graph.attribute(id, QLatin1String(name));
        return attribute && graph.node(*attribute).kind == Kind::List ? &graph.node(*attribute) : nullptr;
    };
    if (object.name == QLatin1String("Pipeline") || object.name == QLatin1String("ColumnTransformer")) {
        const bool pipeline = object.name == QLatin1String("Pipeline");
        const PickleValue *steps = pipeline ? list("steps") : list("transformers_");
        if (!pipeline && !steps)
            steps = list("transformers");
        for (PickleNodeId step : steps ? steps->items : std::vector<PickleNodeId>{}) {
            const PickleValue &tuple = graph.node(step);
            if (tuple.kind != Kind::Tuple || tuple.items.size() < 2)
                continue;
            EstimatorNode child = leafFor(graph, tuple.items[1], literalText(graph.node(tuple.items[0])));
            if (!pipeline && tuple.items.size() >= 3)
                child.columns = columnsText(graph, tuple.items[2]);
            children.emplace_back(std::move(child), tuple.items[1]);
        }
        return children;
    }
    if (const PickleValue *members = list("estimators_")) {
        std::set<QString> classes;
        for (PickleNodeId member : members->items)
            classes.insert(leafFor(graph, member, QString()).className);
        if (classes.size() == 1 && members->items.size() > 1) {
            EstimatorNode summary = leafFor(graph, members->items.front(), QStringLiteral("estimators_"));
            summary.count = int(members->items.size());
            children.emplace_back(std::move(summary), kNoPickleNode);
        } else {
            for (std::size_t i = 0; i < members->items.size(); ++i)
                children.emplace_back(leafFor(graph, members->items[i], QStringLiteral("estimators_[%1]").arg(i)),
                                      members->items[i]);
        }
    }
    if (const PickleValue *iterations = list("_predictors")) {
        // HistGradientBoosting: one list of TreePredictor per iteration (one per class or output).
        int count = 0;
        PickleNodeId first = kNoPickleNode;
        for (PickleNodeId iteration : iterations->items) {
            const PickleValue &trees = graph.node(iteration);
            if (trees.kind != Kind::List)
                continue;
            count += int(trees.items.size());
            if (first == kNoPickleNode && !trees.items.empty())
                first = trees.items.front();
        }
        if (first != kNoPickleNode) {
            EstimatorNode summary = leafFor(graph, first, QStringLiteral("_predictors"));
            summary.count = count;
            children.emplace_back(std::move(summary), kNoPickleNode);
        }
    }
    return children;
}

// Walks the estimators from the root without recursion; an object already shown is not walked
// again, so shared or cyclic references end the walk.
std::vector<EstimatorNode> estimatorTree(const PickleGraph &graph)
{
    if (!isEstimator(graph, graph.root()))
        return {};
    std::vector<EstimatorNode> roots{leafFor(graph, graph.root(), QString())};
    struct Pending
    {
        PickleNodeId id;
        EstimatorNode *node;
        int depth;
    };
    std::vector<Pending> pending{{graph.root(), &roots.front(), 0}};
    std::set<PickleNodeId> visited{graph.root()};
    while (!pending.empty()) {
        const Pending current = pending.back();
        pending.pop_back();
        auto children = childrenOf(graph, current.id);
        current.node->children.reserve(children.size()); // no reallocation after this: pointers stay valid
        for (auto &[child, id] : children) {
            current.node->children.push_back(std::move(child));
            if (isEstimator(graph, id) && current.depth < kMaxTreeDepth && visited.insert(id).second)
                pending.push_back({id, &current.node->children.back(), current.depth + 1});
        }
    }
    return roots;
}

QStringList sklearnVersions(const PickleGraph &graph)
{
    QStringList versions;
    QSet<QString> seen;
    for (std::size_t id = 0; id < graph.size(); ++id) {
        const std::optional<PickleNodeId> version = graph.attribute(PickleNodeId(id), QStringLiteral("_sklearn_version"));
        if (version && graph.node(*version).kind == Kind::String && !seen.contains(graph.node(*version).text)) {
            seen.insert(graph.node(*version).text);
            versions.append(graph.node(*version).text);
        }
    }
    return versions;
}

} // namespace

PickleScanReport scanPickle(QByteArrayView data)
{
    PickleScanReport report;
    const JoblibCompression compression = detectJoblibCompression(data);
    report.container = compression == JoblibCompression::None
        ? QStringLiteral("pickle")
        : QStringLiteral("joblib (%1)").arg(joblibCompressionName(compression));
    QByteArrayView stream = data;
    QByteArray decompressed;
    if (compression != JoblibCompression::None) {
        const qint64 cap = std::min(kMaxDecompressedBytes,
                                    std::max(kDecompressedAllowance, kMaxCompressionRatio * qint64(data.size())));
        QString error;
        std::optional<QByteArray> bytes = decompressJoblib(data, compression, cap, error);
        if (!bytes) {
            report.reason = error;
            return report;
        }
        decompressed = std::move(*bytes);
        stream = decompressed;
    }
    if (stream.isEmpty()) {
        report.reason = QStringLiteral("empty file");
        return report;
    }
    PickleContext context(stream, report);
    context.limits.maxHeldBytes = kHeldBytesAllowance + 2 * qint64(stream.size());
    PickleMachine machine(context, true);
    qsizetype end = 0;
    const std::optional<PickleNodeId> root = machine.run(0, end);
    if (compression == JoblibCompression::None && report.globals.contains(QLatin1String("joblib.numpy_pickle.NumpyArrayWrapper")))
        report.container = QStringLiteral("joblib");
    if (root && end != stream.size())
        context.fail(PickleScanReport::Verdict::Refused,
                     QStringLiteral("offset %1: %2 bytes after STOP").arg(end).arg(stream.size() - end));
    if (!context.failed) {
        report.graph.setRoot(*root);
        if (const std::optional<QString> problem = checkExpansion(report.graph))
            context.fail(PickleScanReport::Verdict::Refused, *problem);
    }
    if (context.failed) {
        report.graph = PickleGraph();
        return report;
    }
    report.verdict = PickleScanReport::Verdict::Importable;
    report.sklearnVersions = sklearnVersions(report.graph);
    report.estimators = estimatorTree(report.graph);
    return report;
}

PickleScanReport scanPickleFile(const QString &path)
{
    QFile file(path);
    PickleScanReport report;
    const QString name = QFileInfo(path).fileName();
    if (!file.open(QIODevice::ReadOnly)) {
        report.reason = QStringLiteral("cannot open %1: %2").arg(name, file.errorString());
        return report;
    }
    if (file.size() > kMaxFileBytes) {
        report.reason = QStringLiteral("%1 is over the limit of %2 bytes").arg(name).arg(kMaxFileBytes);
        return report;
    }
    const QByteArray bytes = file.read(kMaxFileBytes + 1);
    if (bytes.size() > kMaxFileBytes) {
        report.reason = QStringLiteral("%1 is over the limit of %2 bytes").arg(name).arg(kMaxFileBytes);
        return report;
    }
    report = scanPickle(bytes);
    report.fileSha256 = QString::fromLatin1(sha256(bytes).toHex()); // of the very bytes scanned
    return report;
}

QString verdictName(PickleScanReport::Verdict verdict)
{
    switch (verdict) {
    case PickleScanReport::Verdict::Importable:
        return QStringLiteral("importable");
    case PickleScanReport::Verdict::Refused:
        return QStringLiteral("refused");
    case PickleScanReport::Verdict::Unreadable:
        break;
    }
    return QStringLiteral("unreadable");
}

} // namespace plumb
