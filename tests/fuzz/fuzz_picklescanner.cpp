// libFuzzer target for the static pickle/joblib scanner (scanPickle). Every input must end in a
// verdict without a crash, a sanitizer report or a hang; a report that breaks an invariant aborts:
// importable reports hold a graph whose every reference is a valid node and whose arrays hold
// exactly shape x itemsize bytes; refused and unreadable reports give a reason and keep no graph.

#include "interop/picklescanner.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace plumb;

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
}

void checkGraph(const PickleGraph &graph)
{
    if (!graph.contains(graph.root()))
        broken("importable report without a root");
    for (std::size_t id = 0; id < graph.size(); ++id) {
        const PickleValue &value = graph.node(PickleNodeId(id));
        for (PickleNodeId item : value.items)
            if (!graph.contains(item))
                broken("item refers outside the graph");
        for (PickleNodeId item : value.array.objects)
            if (!graph.contains(item))
                broken("object array element refers outside the graph");
        if ((value.arguments != kNoPickleNode && !graph.contains(value.arguments))
            || (value.state != kNoPickleNode && !graph.contains(value.state)))
            broken("arguments or state refer outside the graph");
        if (value.kind == PickleValue::Kind::Dict && value.items.size() % 2 != 0)
            broken("dict with an odd number of items");
        if (value.kind == PickleValue::Kind::Array && !value.array.shape.empty() && value.array.dtype.itemSize > 0) {
            const std::int64_t count = value.array.elementCount();
            if (value.array.dtype.kind == 'O' ? std::int64_t(value.array.objects.size()) != count
                                              : value.array.data.size() != count * value.array.dtype.itemSize)
                broken("array data does not match its shape");
        }
    }
}

void checkTree(const std::vector<EstimatorNode> &roots)
{
    std::vector<const EstimatorNode *> pending;
    for (const EstimatorNode &root : roots)
        pending.push_back(&root);
    while (!pending.empty()) {
        const EstimatorNode *node = pending.back();
        pending.pop_back();
        if (node->className.isEmpty() || node->count < 1)
            broken("estimator node without a class");
        for (const EstimatorNode &child : node->children)
            pending.push_back(&child);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const PickleScanReport report = scanPickle(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (report.isImportable()) {
        if (!report.reason.isEmpty())
            broken("importable report with a reason");
        checkGraph(report.graph);
        checkTree(report.estimators);
    } else {
        if (report.reason.isEmpty())
            broken("refusal without a reason");
        if (report.graph.size() != 0)
            broken("refused report keeps a graph");
    }
    if (report.protocol != -1 && (report.protocol < 2 || report.protocol > 5))
        broken("protocol outside 2-5");
    return 0;
}
