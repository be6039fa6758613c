#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace plumb {

// Index of a value in a PickleGraph; kNoPickleNode when absent.
using PickleNodeId = std::int32_t;
inline constexpr PickleNodeId kNoPickleNode = -1;

// A numpy dtype as the stream described it: a scalar kind ('b' bool, 'i' signed, 'u' unsigned,
// 'f' float, 'U' text, 'S' bytes, 'O' Python objects) or a structured record ('V') whose fields
// each have a name, a dtype and a byte offset.
struct NumpyDtype
{
    struct Field;

    char kind = 'f';
    int itemSize = 8; // bytes per element
    bool littleEndian = true; // false only for big-endian multi-byte scalars
    std::vector<Field> fields; // structured dtypes only, in declaration order

    // "float64", "<f8" style text for reports and messages.
    QString describe() const;
};

struct NumpyDtype::Field
{
    QString name;
    NumpyDtype type;
    int offset = 0;
};

// A numpy array reconstructed from the stream, without numpy: its dtype, shape, memory order
// and raw element bytes (little-endian as stored). Object arrays ('O') hold node ids instead of
// bytes. A numpy scalar (numpy.float64(1.5)) is an array with an empty shape.
struct NumpyArray
{
    NumpyDtype dtype;
    std::vector<std::int64_t> shape;
    bool fortranOrder = false;
    QByteArray data; // elementCount() * dtype.itemSize bytes; empty for 'O'
    std::vector<PickleNodeId> objects; // 'O' arrays: one node per element, in memory order

    std::int64_t elementCount() const;
};

// One value of an unpickled object graph, built without running any code.
//  - Python literals: None, bool, int (64-bit), float, str, bytes/bytearray, tuple, list, set,
//    frozenset and dict.
//  - Global: a reference to an allowed (module, name) pair, not called.
//  - Object: an instance of an allowed class: the class, the arguments it was created with
//    (NEWOBJ/REDUCE) and the state BUILD gave it (usually the instance __dict__ as a Dict).
//  - Array: a numpy array (plain pickle or joblib), and Dtype: a numpy dtype on its own.
struct PickleValue
{
    enum class Kind { None, Bool, Int, Float, String, Bytes, Tuple, List, Set, Dict, Global, Object, Array, Dtype };

    Kind kind = Kind::None;
    bool boolean = false;
    std::int64_t integer = 0;
    double real = 0;
    QString text; // String
    QByteArray bytes; // Bytes (bytes and bytearray)
    std::vector<PickleNodeId> items; // Tuple, List, Set; Dict: key, value, key, value, ...
    QString module, name; // Global; Object: its class
    PickleNodeId arguments = kNoPickleNode; // Object: the creation arguments (a Tuple), if any
    PickleNodeId state = kNoPickleNode; // Object: the BUILD state, if any
    NumpyArray array; // Array
    NumpyDtype dtype; // Dtype

    // "module.name" for a Global or an Object's class.
    QString qualifiedName() const { return module + QLatin1Char('.') + name; }
};

// The whole object graph of one stream: values refer to each other by id, so shared and
// memoised values appear once and a malicious cycle cannot leak or recurse. Readers walk it
// along fixed paths (an estimator's attributes), never blindly.
class PickleGraph
{
public:
    PickleNodeId add(PickleValue value);
    const PickleValue &node(PickleNodeId id) const { return mNodes[static_cast<std::size_t>(id)]; }
    PickleValue &node(PickleNodeId id) { return mNodes[static_cast<std::size_t>(id)]; }
    bool contains(PickleNodeId id) const { return id >= 0 && static_cast<std::size_t>(id) < mNodes.size(); }
    std::size_t size() const { return mNodes.size(); }

    PickleNodeId root() const { return mRoot; }
    void setRoot(PickleNodeId id) { mRoot = id; }

    // The value stored under the text key `key` of a Dict node; nullopt when `dict` is not a
    // Dict or has no such key.
    std::optional<PickleNodeId> dictValue(PickleNodeId dict, const QString &key) const;
    // An Object's attribute: the entry `name` of its BUILD state when that is a Dict (or the
    // first element of a (dict, slots) state tuple).
    std::optional<PickleNodeId> attribute(PickleNodeId object, const QString &name) const;

private:
    // A deque, not a vector: growing it never copies the nodes already read, so the memory a scan
    // holds stays what its limits account for (a vector's reallocation briefly needs three times).
    std::deque<PickleValue> mNodes;
    PickleNodeId mRoot = kNoPickleNode;
};

} // namespace plumb
