#include "interop/onnxgraph.h"

namespace plumb::onnxexport {

std::string toStd(const QString &text)
{
    return text.toStdString();
}

std::string GraphBuilder::name(const char *stem)
{
    return kInternalPrefix + std::string(stem) + '_' + std::to_string(mCounter++);
}

namespace {

onnx::TensorProto &newInitializer(onnx::GraphProto &graph, const std::string &name, int type,
                                  const std::vector<std::int64_t> &shape)
{
    onnx::TensorProto &tensor = *graph.add_initializer();
    tensor.set_name(name);
    tensor.set_data_type(type);
    for (std::int64_t extent : shape)
        tensor.add_dims(extent);
    return tensor;
}

} // namespace

std::string GraphBuilder::doubles(const char *stem, const std::vector<double> &values, std::vector<std::int64_t> shape)
{
    const std::string out = name(stem);
    onnx::TensorProto &tensor = newInitializer(mGraph, out, onnx::TensorProto::DOUBLE, shape);
    for (double value : values)
        tensor.add_double_data(value);
    return out;
}

std::string GraphBuilder::int64s(const char *stem, const std::vector<std::int64_t> &values, std::vector<std::int64_t> shape)
{
    const std::string out = name(stem);
    onnx::TensorProto &tensor = newInitializer(mGraph, out, onnx::TensorProto::INT64, shape);
    for (std::int64_t value : values)
        tensor.add_int64_data(value);
    return out;
}

std::string GraphBuilder::strings(const char *stem, const QStringList &values, std::vector<std::int64_t> shape)
{
    const std::string out = name(stem);
    onnx::TensorProto &tensor = newInitializer(mGraph, out, onnx::TensorProto::STRING, shape);
    for (const QString &value : values)
        tensor.add_string_data(toStd(value));
    return out;
}

onnx::NodeProto &GraphBuilder::node(const char *op, const std::vector<std::string> &inputs, int outputs, const char *domain)
{
    onnx::NodeProto &node = *mGraph.add_node();
    node.set_op_type(op);
    node.set_domain(domain);
    node.set_name(name(op));
    for (const std::string &input : inputs)
        node.add_input(input);
    for (int i = 0; i < outputs; ++i)
        node.add_output(name(op));
    return node;
}

std::string GraphBuilder::apply(const char *op, const std::vector<std::string> &inputs, const char *domain)
{
    return node(op, inputs, 1, domain).output(0);
}

void GraphBuilder::set(onnx::NodeProto &node, const char *name, std::int64_t value)
{
    onnx::AttributeProto &attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(onnx::AttributeProto::INT);
    attribute.set_i(value);
}

void GraphBuilder::set(onnx::NodeProto &node, const char *name, const char *value)
{
    onnx::AttributeProto &attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(onnx::AttributeProto::STRING);
    attribute.set_s(value);
}

void GraphBuilder::set(onnx::NodeProto &node, const char *name, const std::vector<std::int64_t> &values)
{
    onnx::AttributeProto &attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(onnx::AttributeProto::INTS);
    for (std::int64_t value : values)
        attribute.add_ints(value);
}

void GraphBuilder::set(onnx::NodeProto &node, const char *name, const std::vector<float> &values)
{
    onnx::AttributeProto &attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(onnx::AttributeProto::FLOATS);
    for (float value : values)
        attribute.add_floats(value);
}

void GraphBuilder::set(onnx::NodeProto &node, const char *name, const QStringList &values)
{
    onnx::AttributeProto &attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(onnx::AttributeProto::STRINGS);
    for (const QString &value : values)
        attribute.add_strings(toStd(value));
}

void GraphBuilder::setDoubles(onnx::NodeProto &node, const char *name, const std::vector<double> &values)
{
    onnx::AttributeProto &attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(onnx::AttributeProto::TENSOR);
    onnx::TensorProto &tensor = *attribute.mutable_t();
    tensor.set_data_type(onnx::TensorProto::DOUBLE);
    tensor.add_dims(std::int64_t(values.size()));
    for (double value : values)
        tensor.add_double_data(value);
}

} // namespace plumb::onnxexport
