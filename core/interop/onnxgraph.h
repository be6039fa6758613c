#pragma once

#include <onnx/onnx_pb.h> // defines ONNX_API, then includes onnx-ml.pb.h (ONNX_ML is set by the target)

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace plumb::onnxexport {

// The ONNX operator sets an exported model imports: the default domain at opset 17 and the
// ONNX-ML domain at opset 3 (the newest both Debian's ONNX 1.12 checker and ONNX Runtime know;
// opset 3 is the first with double thresholds and leaf values for the tree ensembles).
inline constexpr int kOpset = 17;
inline constexpr int kMlOpset = 3;
inline constexpr const char *kMlDomain = "ai.onnx.ml";
// The prefix of every value name the export makes up, so that none can be a feature's name.
inline constexpr const char *kInternalPrefix = "plumb/";

// Builds one ONNX graph: constants (initializers) and nodes with unique value names. A thin layer
// over the protobuf classes so the export steps read as the formulas they implement.
class GraphBuilder
{
public:
    explicit GraphBuilder(onnx::GraphProto &graph) : mGraph(graph) { }

    // A fresh value name "plumb/<stem>_<n>" (kInternalPrefix: feature names may not start with it).
    std::string name(const char *stem);

    // Constants; `shape` empty means a scalar, else it must hold as many values as given.
    std::string doubles(const char *stem, const std::vector<double> &values, std::vector<std::int64_t> shape);
    std::string int64s(const char *stem, const std::vector<std::int64_t> &values, std::vector<std::int64_t> shape);
    std::string strings(const char *stem, const QStringList &values, std::vector<std::int64_t> shape);

    // A node of `op` in `domain` ("" for the default one) reading `inputs`; returns the node so the
    // caller can add attributes. Its `outputs` output names are fresh.
    onnx::NodeProto &node(const char *op, const std::vector<std::string> &inputs, int outputs = 1, const char *domain = "");
    // The common case: one node, one output; returns the output's name.
    std::string apply(const char *op, const std::vector<std::string> &inputs, const char *domain = "");

    // Attribute helpers on a node.
    static void set(onnx::NodeProto &node, const char *name, std::int64_t value);
    static void set(onnx::NodeProto &node, const char *name, const char *value);
    static void set(onnx::NodeProto &node, const char *name, const std::vector<std::int64_t> &values);
    static void set(onnx::NodeProto &node, const char *name, const std::vector<float> &values);
    static void set(onnx::NodeProto &node, const char *name, const QStringList &values);
    // A double tensor attribute (the *_as_tensor attributes of the ONNX-ML tree ensembles).
    static void setDoubles(onnx::NodeProto &node, const char *name, const std::vector<double> &values);

    onnx::GraphProto &graph() { return mGraph; }

private:
    onnx::GraphProto &mGraph;
    int mCounter = 0;
};

std::string toStd(const QString &text);

} // namespace plumb::onnxexport
