#pragma once

#include "base/result.h"
#include "interop/picklevalue.h"

#include <QStringList>

#include <Eigen/Core>

#include <cstdint>
#include <optional>
#include <vector>

namespace plumb {

// A value of a scanned object graph and the path that reached it from the root estimator, as
// messages name it: "steps[1].coef_", "estimators_[3].tree_.nodes".
struct GraphRef
{
    PickleNodeId id = kNoPickleNode;
    QString path;
};

// One field of a structured numpy record (a tree node) that a reader requires: its name and the
// scalar kinds it may have ('f' float, 'i' signed, 'u' unsigned).
struct RecordField
{
    QString name;
    QString kinds; // "f", "iu", ...
};

// A 1-D structured numpy array whose required fields were found and checked: every element's
// field reads back as a double or an integer without further checks.
class RecordArray
{
public:
    std::int64_t size() const { return mCount; }
    // The value of field `field` (its index in the list given to SklearnGraphReader::records) of
    // element `row`, converted to double / to a 64-bit integer (floats truncated).
    double real(std::int64_t row, int field) const;
    std::int64_t integer(std::int64_t row, int field) const;

private:
    friend class SklearnGraphReader;
    struct Slot
    {
        int offset = 0;
        char kind = 'f';
        int size = 8;
    };
    const char *mData = nullptr;
    std::int64_t mCount = 0;
    int mStride = 0;
    std::vector<Slot> mSlots;
};

// Typed, checked access to a PickleGraph along fixed paths. Every read either returns a value of
// exactly the requested type and shape or an error naming the path and what was found instead:
// "steps[1].coef_: expected a float64 array of shape (3,), found int64 (2,)". It never trusts an id,
// a length or a dtype the graph holds.
class SklearnGraphReader
{
public:
    explicit SklearnGraphReader(const PickleGraph &graph) : mGraph(graph) { }

    // The root value, with an empty path.
    GraphRef root() const { return {mGraph.root(), QString()}; }
    // The value behind `ref`; a placeholder None for an id outside the graph.
    const PickleValue &value(const GraphRef &ref) const;
    // "module.name" of an Object, else empty.
    QString className(const GraphRef &ref) const;
    bool isNone(const GraphRef &ref) const;
    // The ref of a child, its path extended: "path.name" / "path[index]".
    static QString childPath(const QString &path, const QString &name);

    // The attribute `name` of an Object; fails when `ref` is not an Object or has no such attribute.
    Result<GraphRef> attribute(const GraphRef &object, const QString &name) const;
    // The attribute when present (None included), nullopt when absent.
    std::optional<GraphRef> optionalAttribute(const GraphRef &object, const QString &name) const;
    // The value under text key `key` of a Dict.
    Result<GraphRef> dictEntry(const GraphRef &dict, const QString &key) const;

    // Scalars: a Python float/int/bool or a numpy scalar (a 0-d array) of a matching kind.
    Result<double> real(const GraphRef &ref) const;
    Result<std::int64_t> integer(const GraphRef &ref) const;
    Result<bool> boolean(const GraphRef &ref) const;
    Result<QString> text(const GraphRef &ref) const;
    // The elements of a tuple or list (or a 1-D object array), their paths "path[i]".
    Result<std::vector<GraphRef>> items(const GraphRef &ref) const;

    // A float64 array of the given shape (a negative extent matches any), all finite unless
    // `allowNaN`; C or Fortran order.
    Result<Eigen::VectorXd> vector(const GraphRef &ref, Eigen::Index length, bool allowNaN = false) const;
    Result<Eigen::MatrixXd> matrix(const GraphRef &ref, Eigen::Index rows, Eigen::Index cols) const;
    // A float64 array of any rank and the given shape (negative extents match any), its elements
    // in C order whatever its memory order, all finite. `shape` receives the actual shape.
    Result<std::vector<double>> reals(const GraphRef &ref, std::vector<std::int64_t> &shape) const;
    // A 1-D integer array (any width, signed or unsigned) of `length` elements (negative: any).
    Result<std::vector<std::int64_t>> integers(const GraphRef &ref, Eigen::Index length) const;
    // Labels as text, as Plumb names classes and categories: a 1-D object array of str, or an
    // integer, float or bool array (numbers written as Python prints them). `length` as above.
    Result<QStringList> labels(const GraphRef &ref, Eigen::Index length) const;
    // A 1-D structured array holding at least `fields`, each a scalar of an allowed kind that lies
    // inside the record. The graph must outlive the result.
    Result<RecordArray> records(const GraphRef &ref, const std::vector<RecordField> &fields) const;

    // "expected WHAT, found WHAT-IS-THERE" at the ref's path.
    Error mismatch(const GraphRef &ref, const QString &expected) const;
    // An error at the ref's path with a free-form reason.
    static Error at(const GraphRef &ref, const QString &why);
    // What a value is, for messages: "int64 (2,)", "a str", "None", "a list of 3".
    QString describe(const GraphRef &ref) const;

private:
    const NumpyArray *numericArray(const GraphRef &ref, const QString &kinds) const;
    Result<const NumpyArray *> floatArray(const GraphRef &ref, const std::vector<std::int64_t> &shape,
                                          const QString &expected) const;

    const PickleGraph &mGraph;
};

// "(3,)", "(2, 4)": a shape as numpy prints it.
QString shapeText(const std::vector<std::int64_t> &shape);

} // namespace plumb
