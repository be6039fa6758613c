#pragma once

// A tiny pickle writer for tests: builds opcode streams by hand, so hostile and benign streams
// need no Python. Opcode bytes and operand layouts are those of CPython's Lib/pickletools.py.

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

namespace plumb::test {

class PickleStream
{
public:
    explicit PickleStream(int protocol = 4) { op(0x80).byte(protocol); }
    static PickleStream bare() { return PickleStream(Bare{}); }

    PickleStream &op(int code)
    {
        mData.append(char(code));
        return *this;
    }
    PickleStream &byte(int value)
    {
        mData.append(char(value));
        return *this;
    }
    PickleStream &raw(const QByteArray &bytes)
    {
        mData.append(bytes);
        return *this;
    }
    PickleStream &u32(std::uint32_t value) { return little(value, 4); }
    PickleStream &u64(std::uint64_t value) { return little(value, 8); }
    PickleStream &str(const QString &text)
    {
        const QByteArray utf8 = text.toUtf8();
        return op('X').u32(std::uint32_t(utf8.size())).raw(utf8);
    }
    PickleStream &bytes(const QByteArray &value) { return op('B').u32(std::uint32_t(value.size())).raw(value); }
    // Protocol 2 writes bytes as _codecs.encode(latin-1 text, 'latin1').
    PickleStream &bytesLatin1(const QByteArray &value)
    {
        return global("_codecs", "encode").str(QString::fromLatin1(value)).str(QStringLiteral("latin1")).op(0x86).op('R');
    }
    PickleStream &integer(std::int32_t value) { return op('J').u32(std::uint32_t(value)); }
    PickleStream &real(double value)
    {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        op('G');
        for (int i = 7; i >= 0; --i)
            byte(int((bits >> (8 * i)) & 0xff));
        return *this;
    }
    PickleStream &global(const char *module, const char *name)
    {
        return op('c').raw(QByteArray(module) + '\n' + QByteArray(name) + '\n');
    }
    PickleStream &stackGlobal(const char *module, const char *name)
    {
        return str(QString::fromLatin1(module)).str(QString::fromLatin1(name)).op(0x93);
    }
    PickleStream &mark() { return op('('); }
    PickleStream &stop() { return op('.'); }

    // numpy.dtype(typestr) with its BUILD state, as numpy 1.x pickles it.
    PickleStream &dtype(const char *typestr, const char *order = "<", int elsize = -1)
    {
        global("numpy", "dtype").str(QString::fromLatin1(typestr)).op(0x89).op(0x88).op(0x87).op('R');
        return mark()
            .integer(3)
            .str(QString::fromLatin1(order))
            .op('N')
            .op('N')
            .op('N')
            .integer(elsize)
            .integer(-1)
            .integer(0)
            .op('t')
            .op('b');
    }
    // The tree node record: 56 bytes, seven fields.
    PickleStream &nodeDtype()
    {
        static const char *names[] = {
            "left_child", "right_child", "feature", "threshold", "impurity", "n_node_samples", "weighted_n_node_samples"};
        static const char *types[] = {"i8", "i8", "i8", "f8", "f8", "i8", "f8"};
        global("numpy", "dtype").str(QStringLiteral("V56")).op(0x89).op(0x88).op(0x87).op('R');
        mark().integer(3).str(QStringLiteral("|")).op('N').mark();
        for (const char *name : names)
            str(QString::fromLatin1(name));
        op('t').op('}').mark();
        for (int i = 0; i < 7; ++i)
            str(QString::fromLatin1(names[i])).dtype(types[i]).integer(8 * i).op(0x86);
        return op('u').integer(56).integer(1).integer(16).op('t').op('b');
    }
    // numpy.core.multiarray._reconstruct + BUILD with raw element bytes; `dtypeWriter` writes the dtype.
    template<typename DtypeWriter>
    PickleStream &ndarray(std::initializer_list<int> shape, DtypeWriter dtypeWriter, const QByteArray &data, bool latin1 = false,
                          const char *module = "numpy.core.multiarray")
    {
        global(module, "_reconstruct").global("numpy", "ndarray").integer(0).op(0x85);
        latin1 ? bytesLatin1("b") : bytes("b");
        op(0x87).op('R').mark().integer(1).mark();
        for (int extent : shape)
            integer(extent);
        op('t');
        dtypeWriter(*this);
        op(0x89);
        latin1 ? bytesLatin1(data) : bytes(data);
        return op('t').op('b');
    }
    PickleStream &newObject(const char *module, const char *name) { return global(module, name).op(')').op(0x81); }

    QByteArray data() const { return mData; }

private:
    struct Bare
    {
    };
    explicit PickleStream(Bare) { }
    PickleStream &little(std::uint64_t value, int width)
    {
        for (int i = 0; i < width; ++i)
            byte(int((value >> (8 * i)) & 0xff));
        return *this;
    }
    QByteArray mData;
};

template<typename T> QByteArray rawBytes(std::initializer_list<T> values)
{
    QByteArray bytes;
    for (T value : values)
        bytes.append(reinterpret_cast<const char *>(&value), sizeof value);
    return bytes;
}

} // namespace plumb::test
