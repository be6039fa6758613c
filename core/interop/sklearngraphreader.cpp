#include "interop/sklearngraphreader.h"

#include <QLocale>

#include <cmath>
#include <cstring>
#include <limits>

namespace plumb {

namespace {

const PickleValue &noneValue()
{
    static const PickleValue none;
    return none;
}

// The element count of a shape, or -1 when an extent is negative or the product overflows.
std::int64_t checkedCount(const std::vector<std::int64_t> &shape)
{
    std::int64_t count = 1;
    for (const std::int64_t extent : shape) {
        if (extent < 0 || (extent > 0 && count > std::numeric_limits<std::int64_t>::max() / extent))
            return -1;
        count *= extent;
    }
    return count;
}

// True when the array's bytes are exactly its elements: a little-endian (or one-byte) scalar dtype
// of a size the reader knows, and data of count x item size bytes.
bool wellFormed(const NumpyArray &array)
{
    const std::int64_t count = checkedCount(array.shape);
    if (count < 0 || array.dtype.itemSize <= 0 || count > std::numeric_limits<std::int64_t>::max() / array.dtype.itemSize)
        return false;
    if (array.dtype.kind == 'O')
        return std::int64_t(array.objects.size()) == count;
    const bool byteOrdered = QByteArrayView("fiuU").contains(array.dtype.kind); // multi-byte numbers and UCS-4
    return std::int64_t(array.data.size()) == count * array.dtype.itemSize
        && (array.dtype.littleEndian || array.dtype.itemSize == 1 || !byteOrdered);
}

bool scalarLayoutKnown(char kind, int size)
{
    switch (kind) {
    case 'f':
        return size == 4 || size == 8;
    case 'i':
    case 'u':
        return size == 1 || size == 2 || size == 4 || size == 8;
    case 'b':
        return size == 1;
    default:
        return false;
    }
}

template<typename T> T load(const char *bytes)
{
    T value;
    std::memcpy(&value, bytes, sizeof value);
    return value;
}

// A scalar of a known layout (scalarLayoutKnown) as a double.
double loadReal(const char *p, char kind, int size)
{
    switch (kind) {
    case 'f':
        return size == 8 ? load<double>(p) : double(load<float>(p));
    case 'i':
        return size == 1 ? load<std::int8_t>(p)
            : size == 2  ? load<std::int16_t>(p)
            : size == 4  ? load<std::int32_t>(p)
                         : double(load<std::int64_t>(p));
    case 'u':
        return size == 1 ? load<std::uint8_t>(p)
            : size == 2  ? load<std::uint16_t>(p)
            : size == 4  ? load<std::uint32_t>(p)
                         : double(load<std::uint64_t>(p));
    default:
        return load<std::uint8_t>(p) != 0 ? 1.0 : 0.0;
    }
}

std::int64_t loadInteger(const char *p, char kind, int size)
{
    switch (kind) {
    case 'i':
        return size == 1 ? load<std::int8_t>(p)
            : size == 2  ? load<std::int16_t>(p)
            : size == 4  ? load<std::int32_t>(p)
                         : load<std::int64_t>(p);
    case 'u': {
        const std::uint64_t value = size == 1 ? load<std::uint8_t>(p)
            : size == 2                       ? load<std::uint16_t>(p)
            : size == 4                       ? load<std::uint32_t>(p)
                                              : load<std::uint64_t>(p);
        return value > std::uint64_t(std::numeric_limits<std::int64_t>::max()) ? -1 : std::int64_t(value);
    }
    case 'b':
        return load<std::uint8_t>(p) != 0 ? 1 : 0;
    default: {
        const double value = loadReal(p, kind, size);
        return std::isfinite(value) && std::fabs(value) < 9e18 ? std::int64_t(value) : -1;
    }
    }
}

// A number as Python's repr() writes it: the shortest text that reads back to the same double,
// whole floats with ".0" (the fixture script and scikit-learn's classes_ both print this way).
QString pythonFloatText(double value)
{
    if (std::isnan(value))
        return QStringLiteral("nan");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    QString text = QString::number(value, 'g', QLocale::FloatingPointShortest);
    if (!text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e')) && !text.contains(QLatin1String("inf")))
        text += QStringLiteral(".0");
    return text;
}

// The elements of a fixed-width text array ('U': UCS-4, 'S': bytes, as Latin-1), each without
// the trailing NUL padding numpy adds.
QStringList fixedWidthTexts(const NumpyArray &array)
{
    QStringList out;
    const int size = array.dtype.itemSize;
    for (std::int64_t i = 0; i < array.shape[0]; ++i) {
        const char *p = array.data.constData() + i * size;
        QString text;
        if (array.dtype.kind == 'U') {
            for (int c = 0; c + 4 <= size; c += 4) {
                const char32_t code = load<std::uint32_t>(p + c);
                if (code == 0)
                    break;
                text += code <= 0x10FFFF ? QString::fromUcs4(&code, 1) : QString(QChar::ReplacementCharacter);
            }
        } else {
            text = QString::fromLatin1(p, qsizetype(::strnlen(p, std::size_t(size))));
        }
        out.append(text);
    }
    return out;
}

} // namespace

QString shapeText(const std::vector<std::int64_t> &shape)
{
    QStringList extents;
    for (const std::int64_t extent : shape)
        extents.append(QString::number(extent));
    return shape.size() == 1 ? QStringLiteral("(%1,)").arg(extents.front())
                             : QStringLiteral("(%1)").arg(extents.join(QStringLiteral(", ")));
}

double RecordArray::real(std::int64_t row, int field) const
{
    const Slot &slot = mSlots[std::size_t(field)];
    return loadReal(mData + row * mStride + slot.offset, slot.kind, slot.size);
}

std::int64_t RecordArray::integer(std::int64_t row, int field) const
{
    const Slot &slot = mSlots[std::size_t(field)];
    return loadInteger(mData + row * mStride + slot.offset, slot.kind, slot.size);
}

const PickleValue &SklearnGraphReader::value(const GraphRef &ref) const
{
    return mGraph.contains(ref.id) ? mGraph.node(ref.id) : noneValue();
}

QString SklearnGraphReader::className(const GraphRef &ref) const
{
    const PickleValue &v = value(ref);
    return v.kind == PickleValue::Kind::Object ? v.qualifiedName() : QString();
}

bool SklearnGraphReader::isNone(const GraphRef &ref) const
{
    return value(ref).kind == PickleValue::Kind::None;
}

QString SklearnGraphReader::childPath(const QString &path, const QString &name)
{
    if (name.startsWith(QLatin1Char('[')) || path.isEmpty())
        return path + name;
    return path + QLatin1Char('.') + name;
}

Error SklearnGraphReader::at(const GraphRef &ref, const QString &why)
{
    return Error::invalid(ref.path.isEmpty() ? why : QStringLiteral("%1: %2").arg(ref.path, why));
}

Error SklearnGraphReader::mismatch(const GraphRef &ref, const QString &expected) const
{
    return at(ref, QStringLiteral("expected %1, found %2").arg(expected, describe(ref)));
}

QString SklearnGraphReader::describe(const GraphRef &ref) const
{
    const PickleValue &v = value(ref);
    switch (v.kind) {
    case PickleValue::Kind::None:
        return QStringLiteral("None");
    case PickleValue::Kind::Bool:
        return QStringLiteral("a bool");
    case PickleValue::Kind::Int:
        return QStringLiteral("an int");
    case PickleValue::Kind::Float:
        return QStringLiteral("a float");
    case PickleValue::Kind::String:
        return QStringLiteral("a str");
    case PickleValue::Kind::Bytes:
        return QStringLiteral("bytes");
    case PickleValue::Kind::Tuple:
        return QStringLiteral("a tuple of %1").arg(v.items.size());
    case PickleValue::Kind::List:
        return QStringLiteral("a list of %1").arg(v.items.size());
    case PickleValue::Kind::Set:
        return QStringLiteral("a set");
    case PickleValue::Kind::Dict:
        return QStringLiteral("a dict");
    case PickleValue::Kind::Global:
        return QStringLiteral("the global %1").arg(v.qualifiedName());
    case PickleValue::Kind::Object:
        return QStringLiteral("a %1 object").arg(v.qualifiedName());
    case PickleValue::Kind::Dtype:
        return QStringLiteral("a dtype");
    case PickleValue::Kind::Array:
        return QStringLiteral("%1 %2").arg(v.array.dtype.describe(), shapeText(v.array.shape));
    }
    return QStringLiteral("an unknown value");
}

Result<GraphRef> SklearnGraphReader::attribute(const GraphRef &object, const QString &name) const
{
    if (value(object).kind != PickleValue::Kind::Object)
        return mismatch(object, QStringLiteral("an object with the attribute '%1'").arg(name));
    const std::optional<PickleNodeId> id = mGraph.attribute(object.id, name);
    if (!id || !mGraph.contains(*id))
        return at(object, QStringLiteral("%1 has no attribute '%2'").arg(className(object), name));
    return GraphRef{*id, childPath(object.path, name)};
}

std::optional<GraphRef> SklearnGraphReader::optionalAttribute(const GraphRef &object, const QString &name) const
{
    if (value(object).kind != PickleValue::Kind::Object)
        return std::nullopt;
    const std::optional<PickleNodeId> id = mGraph.attribute(object.id, name);
    if (!id || !mGraph.contains(*id))
        return std::nullopt;
    return GraphRef{*id, childPath(object.path, name)};
}

Result<GraphRef> SklearnGraphReader::dictEntry(const GraphRef &dict, const QString &key) const
{
    if (value(dict).kind != PickleValue::Kind::Dict)
        return mismatch(dict, QStringLiteral("a dict"));
    const std::optional<PickleNodeId> id = mGraph.dictValue(dict.id, key);
    if (!id || !mGraph.contains(*id))
        return at(dict, QStringLiteral("has no key '%1'").arg(key));
    return GraphRef{*id, childPath(dict.path, QStringLiteral("['%1']").arg(key))};
}

Result<double> SklearnGraphReader::real(const GraphRef &ref) const
{
    const PickleValue &v = value(ref);
    if (v.kind == PickleValue::Kind::Float)
        return v.real;
    if (v.kind == PickleValue::Kind::Int)
        return double(v.integer);
    if (const NumpyArray *array = numericArray(ref, QStringLiteral("fiu")); array && array->shape.empty())
        return loadReal(array->data.constData(), array->dtype.kind, array->dtype.itemSize);
    return mismatch(ref, QStringLiteral("a number"));
}

Result<std::int64_t> SklearnGraphReader::integer(const GraphRef &ref) const
{
    const PickleValue &v = value(ref);
    if (v.kind == PickleValue::Kind::Int)
        return v.integer;
    if (const NumpyArray *array = numericArray(ref, QStringLiteral("iu")); array && array->shape.empty())
        return loadInteger(array->data.constData(), array->dtype.kind, array->dtype.itemSize);
    return mismatch(ref, QStringLiteral("an integer"));
}

Result<bool> SklearnGraphReader::boolean(const GraphRef &ref) const
{
    const PickleValue &v = value(ref);
    if (v.kind == PickleValue::Kind::Bool)
        return v.boolean;
    if (const NumpyArray *array = numericArray(ref, QStringLiteral("b")); array && array->shape.empty())
        return loadInteger(array->data.constData(), 'b', 1) != 0;
    return mismatch(ref, QStringLiteral("True or False"));
}

Result<QString> SklearnGraphReader::text(const GraphRef &ref) const
{
    const PickleValue &v = value(ref);
    if (v.kind == PickleValue::Kind::String)
        return v.text;
    return mismatch(ref, QStringLiteral("a str"));
}

Result<std::vector<GraphRef>> SklearnGraphReader::items(const GraphRef &ref) const
{
    const PickleValue &v = value(ref);
    const std::vector<PickleNodeId> *ids = nullptr;
    if (v.kind == PickleValue::Kind::Tuple || v.kind == PickleValue::Kind::List)
        ids = &v.items;
    else if (v.kind == PickleValue::Kind::Array && v.array.dtype.kind == 'O' && v.array.shape.size() == 1 && wellFormed(v.array))
        ids = &v.array.objects;
    if (!ids)
        return mismatch(ref, QStringLiteral("a list or tuple"));
    std::vector<GraphRef> out;
    out.reserve(ids->size());
    for (std::size_t i = 0; i < ids->size(); ++i)
        out.push_back({(*ids)[i], childPath(ref.path, QStringLiteral("[%1]").arg(i))});
    return out;
}

const NumpyArray *SklearnGraphReader::numericArray(const GraphRef &ref, const QString &kinds) const
{
    const PickleValue &v = value(ref);
    if (v.kind != PickleValue::Kind::Array || !kinds.contains(QLatin1Char(v.array.dtype.kind))
        || !scalarLayoutKnown(v.array.dtype.kind, v.array.dtype.itemSize) || !wellFormed(v.array))
        return nullptr;
    return &v.array;
}

Result<const NumpyArray *> SklearnGraphReader::floatArray(const GraphRef &ref, const std::vector<std::int64_t> &shape,
                                                          const QString &expected) const
{
    const PickleValue &v = value(ref);
    if (v.kind != PickleValue::Kind::Array || v.array.dtype.kind != 'f' || v.array.dtype.itemSize != 8
        || v.array.shape.size() != shape.size() || !wellFormed(v.array))
        return mismatch(ref, expected);
    for (std::size_t d = 0; d < shape.size(); ++d)
        if (shape[d] >= 0 && v.array.shape[d] != shape[d])
            return mismatch(ref, expected);
    return &v.array;
}

Result<Eigen::VectorXd> SklearnGraphReader::vector(const GraphRef &ref, Eigen::Index length, bool allowNaN) const
{
    const QString expected = QStringLiteral("a float64 array of shape %1")
                                 .arg(length >= 0 ? shapeText({std::int64_t(length)}) : QStringLiteral("(n,)"));
    Result<const NumpyArray *> array = floatArray(ref, {std::int64_t(length)}, expected);
    if (!array)
        return array.error();
    const NumpyArray &a = *array.value();
    Eigen::VectorXd out(Eigen::Index(a.shape[0]));
    if (out.size() > 0)
        std::memcpy(out.data(), a.data.constData(), std::size_t(out.size()) * sizeof(double));
    for (Eigen::Index i = 0; i < out.size(); ++i)
        if (!std::isfinite(out[i]) && !(allowNaN && std::isnan(out[i])))
            return at(ref, QStringLiteral("element %1 is %2, not a finite number").arg(i).arg(out[i]));
    return out;
}

Result<Eigen::MatrixXd> SklearnGraphReader::matrix(const GraphRef &ref, Eigen::Index rows, Eigen::Index cols) const
{
    const QString expected = QStringLiteral("a float64 array of shape (%1, %2)")
                                 .arg(rows >= 0 ? QString::number(rows) : QStringLiteral("n"))
                                 .arg(cols >= 0 ? QString::number(cols) : QStringLiteral("m"));
    Result<const NumpyArray *> array = floatArray(ref, {std::int64_t(rows), std::int64_t(cols)}, expected);
    if (!array)
        return array.error();
    const NumpyArray &a = *array.value();
    const auto r = Eigen::Index(a.shape[0]), c = Eigen::Index(a.shape[1]);
    Eigen::MatrixXd out(r, c);
    const char *bytes = a.data.constData();
    for (Eigen::Index i = 0; i < r; ++i)
        for (Eigen::Index j = 0; j < c; ++j) {
            const Eigen::Index offset = a.fortranOrder ? i + j * r : i * c + j;
            out(i, j) = load<double>(bytes + offset * 8);
            if (!std::isfinite(out(i, j)))
                return at(ref, QStringLiteral("element (%1, %2) is %3, not a finite number").arg(i).arg(j).arg(out(i, j)));
        }
    return out;
}

Result<std::vector<double>> SklearnGraphReader::reals(const GraphRef &ref, std::vector<std::int64_t> &shape) const
{
    QStringList extents;
    for (const std::int64_t extent : shape)
        extents.append(extent >= 0 ? QString::number(extent) : QStringLiteral("n"));
    const QString expected = QStringLiteral("a float64 array of shape (%1)").arg(extents.join(QStringLiteral(", ")));
    Result<const NumpyArray *> array = floatArray(ref, shape, expected);
    if (!array)
        return array.error();
    const NumpyArray &a = *array.value();
    shape = a.shape;
    const auto count = std::size_t(checkedCount(shape));
    std::vector<double> out(count);
    const char *bytes = a.data.constData();
    // Element i in C order has the multi-index (i0, ..., ik); in Fortran order it sits at
    // i0 + n0 (i1 + n1 (...)).
    std::vector<std::int64_t> index(shape.size(), 0);
    for (std::size_t i = 0; i < count; ++i) {
        std::size_t offset = i;
        if (a.fortranOrder) {
            offset = 0;
            for (std::size_t d = shape.size(); d-- > 0;)
                offset = offset * std::size_t(shape[d]) + std::size_t(index[d]);
            for (std::size_t d = shape.size(); d-- > 0;) {
                if (++index[d] < shape[d])
                    break;
                index[d] = 0;
            }
        }
        out[i] = load<double>(bytes + offset * 8);
        if (!std::isfinite(out[i]))
            return at(ref, QStringLiteral("element %1 is %2, not a finite number").arg(i).arg(out[i]));
    }
    return out;
}

Result<std::vector<std::int64_t>> SklearnGraphReader::integers(const GraphRef &ref, Eigen::Index length) const
{
    const NumpyArray *array = numericArray(ref, QStringLiteral("iu"));
    if (!array || array->shape.size() != 1 || (length >= 0 && array->shape[0] != length))
        return mismatch(ref,
                        QStringLiteral("an integer array of shape %1")
                            .arg(length >= 0 ? shapeText({std::int64_t(length)}) : QStringLiteral("(n,)")));
    std::vector<std::int64_t> out(std::size_t(array->shape[0]));
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = loadInteger(array->data.constData() + i * std::size_t(array->dtype.itemSize), array->dtype.kind,
                             array->dtype.itemSize);
    return out;
}

Result<QStringList> SklearnGraphReader::labels(const GraphRef &ref, Eigen::Index length) const
{
    const PickleValue &v = value(ref);
    const QString expected
        = QStringLiteral("a 1-D array of %1 labels").arg(length >= 0 ? QString::number(length) : QStringLiteral("n"));
    if (v.kind != PickleValue::Kind::Array || v.array.shape.size() != 1 || !wellFormed(v.array)
        || (length >= 0 && v.array.shape[0] != length))
        return mismatch(ref, expected);
    QStringList out;
    if (v.array.dtype.kind == 'O') {
        Result<std::vector<GraphRef>> elements = items(ref);
        if (!elements)
            return elements.error();
        for (const GraphRef &element : elements.value()) {
            Result<QString> label = text(element);
            if (!label)
                return label.error();
            out.append(label.value());
        }
        return out;
    }
    if (v.array.dtype.kind == 'U' || v.array.dtype.kind == 'S')
        return fixedWidthTexts(v.array);
    const NumpyArray *array = numericArray(ref, QStringLiteral("fiub"));
    if (!array)
        return mismatch(ref, expected);
    const int size = array->dtype.itemSize;
    for (std::int64_t i = 0; i < array->shape[0]; ++i) {
        const char *p = array->data.constData() + i * size;
        switch (array->dtype.kind) {
        case 'f':
            out.append(pythonFloatText(loadReal(p, 'f', size)));
            break;
        case 'b':
            out.append(loadInteger(p, 'b', 1) ? QStringLiteral("True") : QStringLiteral("False"));
            break;
        default:
            out.append(QString::number(loadInteger(p, array->dtype.kind, size)));
        }
    }
    return out;
}

Result<RecordArray> SklearnGraphReader::records(const GraphRef &ref, const std::vector<RecordField> &fields) const
{
    const PickleValue &v = value(ref);
    if (v.kind != PickleValue::Kind::Array || v.array.dtype.kind != 'V' || v.array.shape.size() != 1 || !wellFormed(v.array))
        return mismatch(ref, QStringLiteral("a 1-D structured array"));
    RecordArray out;
    out.mData = v.array.data.constData();
    out.mCount = v.array.shape[0];
    out.mStride = v.array.dtype.itemSize;
    for (const RecordField &wanted : fields) {
        const NumpyDtype::Field *found = nullptr;
        for (const NumpyDtype::Field &field : v.array.dtype.fields)
            if (field.name == wanted.name)
                found = &field;
        if (!found)
            return at(ref, QStringLiteral("the record has no field '%1'").arg(wanted.name));
        const NumpyDtype &type = found->type;
        if (!wanted.kinds.contains(QLatin1Char(type.kind)) || !scalarLayoutKnown(type.kind, type.itemSize)
            || (!type.littleEndian && type.itemSize > 1) || found->offset < 0 || found->offset > out.mStride - type.itemSize)
            return at(ref,
                      QStringLiteral("field '%1' is %2 at offset %3 of a %4-byte record, not a scalar of kind '%5' inside it")
                          .arg(wanted.name, type.describe())
                          .arg(found->offset)
                          .arg(out.mStride)
                          .arg(wanted.kinds));
        out.mSlots.push_back({found->offset, type.kind, type.itemSize});
    }
    return out;
}

} // namespace plumb
