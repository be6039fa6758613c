// The static pickle/joblib scanner: hostile streams built by hand for every attack class of
// issue 9 are refused (or unreadable) with a reason, benign hand-built streams are reconstructed
// exactly, and every committed scikit-learn fixture scans importable.

#include "interop/joblibcontainer.h"
#include "interop/picklescanner.h"
#include "picklestream.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace plumb;
using plumb::test::PickleStream;
using plumb::test::rawBytes;
using Verdict = PickleScanReport::Verdict;
using Kind = PickleValue::Kind;

Q_DECLARE_METATYPE(plumb::PickleScanReport::Verdict)

namespace {

const QString kFixtures = QStringLiteral(PLUMB_TEST_DATA_DIR "/fixtures");

QByteArray fixture(const QString &name)
{
    QFile file(kFixtures + QLatin1Char('/') + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

auto f8 = [](PickleStream &s) { s.dtype("f8"); };
auto i8 = [](PickleStream &s) { s.dtype("i8"); };
auto nodeDtype = [](PickleStream &s) { s.nodeDtype(); };

// One tree node record of the 56-byte layout (sklearn/tree/_tree.pyx NODE_DTYPE).
QByteArray treeNode(qint64 left, qint64 right, qint64 feature, double threshold)
{
    return rawBytes<qint64>({left, right, feature}) + rawBytes<double>({threshold, 0.0}) + rawBytes<qint64>({10})
        + rawBytes<double>({10.0});
}

// sklearn.tree._tree.Tree as scikit-learn 1.2 pickles it: REDUCE (n_features, n_classes, n_outputs)
// and BUILD {max_depth, node_count, nodes, values}; two classes, one output.
QByteArray treeStream(const QByteArray &nodes, int count, int features = 2, int valueRows = -1, int declaredCount = -1)
{
    PickleStream s(4);
    s.global("sklearn.tree._tree", "Tree")
        .mark()
        .integer(features)
        .ndarray({1}, i8, rawBytes<qint64>({2}))
        .integer(1)
        .op('t')
        .op('R');
    s.op('}')
        .mark()
        .str(QStringLiteral("max_depth"))
        .integer(1)
        .str(QStringLiteral("node_count"))
        .integer(declaredCount < 0 ? count : declaredCount);
    s.str(QStringLiteral("nodes")).ndarray({count}, nodeDtype, nodes);
    const int rows = valueRows < 0 ? count : valueRows;
    s.str(QStringLiteral("values")).ndarray({rows, 1, 2}, f8, QByteArray(rows * 2 * 8, '\0'));
    return s.op('u').op('b').stop().data();
}

QByteArray validTreeNodes()
{
    return treeNode(1, 2, 0, 0.5) + treeNode(-1, -1, -2, -2) + treeNode(-1, -1, -2, -2);
}

// A joblib NumpyArrayWrapper record (joblib/numpy_pickle.py) ending its BUILD; the array bytes follow.
template<typename DtypeWriter>
PickleStream &wrapper(PickleStream &s, std::initializer_list<int> shape, DtypeWriter dtypeWriter, int alignment = 0)
{
    s.stackGlobal("joblib.numpy_pickle", "NumpyArrayWrapper").op(')').op(0x81).op('}').mark();
    s.str(QStringLiteral("subclass")).global("numpy", "ndarray").str(QStringLiteral("shape")).mark();
    for (int extent : shape)
        s.integer(extent);
    s.op('t').str(QStringLiteral("order")).str(QStringLiteral("C")).str(QStringLiteral("dtype"));
    dtypeWriter(s);
    s.str(QStringLiteral("allow_mmap")).op(0x89);
    if (alignment > 0)
        s.str(QStringLiteral("numpy_array_alignment_bytes")).integer(alignment);
    return s.op('u').op('b');
}

QByteArray billionLaughs()
{
    PickleStream s(4);
    s.op(']').mark();
    for (int i = 0; i < 10; ++i)
        s.str(QStringLiteral("lol"));
    s.op('e').op('q').byte(0).op('0');
    for (int level = 1; level < 10; ++level) {
        s.op(']').mark();
        for (int i = 0; i < 10; ++i)
            s.op('h').byte(level - 1);
        s.op('e').op('q').byte(level).op('0');
    }
    return s.op('h').byte(9).stop().data();
}

QByteArray repeated(const QByteArray &head, char byte, int count, const QByteArray &tail = {})
{
    return head + QByteArray(count, byte) + tail;
}

} // namespace

class TestPickleScanner : public QObject
{
    Q_OBJECT

private slots:
    void hostileStreamsAreRefused_data();
    void hostileStreamsAreRefused();
    void decompressionIsCapped();
    void arraysAreReconstructed_data();
    void arraysAreReconstructed();
    void memoFollowsCPython();
    void framesAndLiterals();
    void joblibObjectArrayIsANestedStream();
    void validTreeIsImportable();
    void fixturesAreImportable_data();
    void fixturesAreImportable();
    void estimatorTreeOfMixedPipeline();
    void ensemblesAreSummarised();
};

void TestPickleScanner::hostileStreamsAreRefused_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<Verdict>("verdict");
    QTest::addColumn<QString>("reason");
    const Verdict refused = Verdict::Refused;
    const Verdict unreadable = Verdict::Unreadable;
    auto call = [](PickleStream s) { return s.str(QStringLiteral("id")).op(0x85).op('R').stop().data(); };

    // Code execution through GLOBAL / STACK_GLOBAL + REDUCE.
    QTest::newRow("os-system") << call(PickleStream(2).global("os", "system")) << refused
                               << "GLOBAL os.system is not on the allow-list";
    QTest::newRow("posix-system") << call(PickleStream(2).global("posix", "system")) << refused
                                  << "posix.system is not on the allow-list";
    QTest::newRow("subprocess-popen") << call(PickleStream(4).stackGlobal("subprocess", "Popen")) << refused
                                      << "STACK_GLOBAL subprocess.Popen";
    QTest::newRow("builtins-eval") << call(PickleStream(4).stackGlobal("builtins", "eval")) << refused
                                   << "builtins.eval is not on";
    QTest::newRow("builtins-exec") << call(PickleStream(4).global("builtins", "exec")) << refused << "builtins.exec is not on";
    QTest::newRow("builtins-getattr") << call(PickleStream(4).stackGlobal("builtins", "getattr")) << refused
                                      << "builtins.getattr";
    QTest::newRow("builtins-import") << call(PickleStream(4).stackGlobal("builtins", "__import__")) << refused
                                     << "builtins.__import__";
    // Python 2 names are mapped before the check (protocol 2), and only then.
    QTest::newRow("python2-builtin-eval") << call(PickleStream(2).global("__builtin__", "eval")) << refused
                                          << "builtins.eval is not on";
    QTest::newRow("python2-name-in-protocol-4") << PickleStream(4).global("__builtin__", "set").op(')').op('R').stop().data()
                                                << refused << "__builtin__.set is not on the allow-list";
    // INST / OBJ.
    QTest::newRow("inst") << PickleStream(2).mark().op('i').raw("os\nsystem\n").stop().data() << refused
                          << "opcode INST is not allowed";
    QTest::newRow("obj") << PickleStream(2).mark().global("sklearn.pipeline", "Pipeline").op('o').stop().data() << refused
                         << "opcode OBJ is not allowed";
    // A hidden call whose result is popped.
    QTest::newRow("hidden-call-popped")
        << PickleStream(2).global("nt", "system").str(QStringLiteral("x")).op(0x85).op('R').op('0').op('N').stop().data()
        << refused << "nt.system is not on the allow-list";
    QTest::newRow("hidden-class-call-popped")
        << PickleStream(4).global("sklearn.pipeline", "Pipeline").op(')').op('R').op('0').op('N').stop().data() << refused
        << "REDUCE on sklearn.pipeline.Pipeline, which may not be called";
    // A hostile step inside a Pipeline.
    QTest::newRow("hostile-pipeline-step") << PickleStream(4)
                                                  .newObject("sklearn.pipeline", "Pipeline")
                                                  .op('}')
                                                  .str(QStringLiteral("steps"))
                                                  .op(']')
                                                  .mark()
                                                  .str(QStringLiteral("scale"))
                                                  .newObject("sklearn.preprocessing._data", "StandardScaler")
                                                  .op(0x86)
                                                  .str(QStringLiteral("evil"))
                                                  .global("os", "system")
                                                  .str(QStringLiteral("id"))
                                                  .op(0x85)
                                                  .op('R')
                                                  .op(0x86)
                                                  .op('e')
                                                  .op('s')
                                                  .op('b')
                                                  .stop()
                                                  .data()
                                           << refused << "os.system is not on the allow-list";
    // BUILD / __setstate__ abuse.
    QTest::newRow("build-on-class") << PickleStream(4).global("sklearn.pipeline", "Pipeline").op('}').op('b').stop().data()
                                    << refused << "BUILD on the global sklearn.pipeline.Pipeline";
    QTest::newRow("build-on-function") << PickleStream(4).global("_codecs", "encode").op('}').op('b').stop().data() << refused
                                       << "BUILD on the global _codecs.encode";
    QTest::newRow("build-twice")
        << PickleStream(4).newObject("sklearn.pipeline", "Pipeline").op('}').op('b').op('}').op('b').stop().data() << refused
        << "already has one";
    QTest::newRow("build-state-not-dict")
        << PickleStream(4).newObject("sklearn.pipeline", "Pipeline").op(')').op('b').stop().data() << refused
        << "BUILD state of sklearn.pipeline.Pipeline is not a dict";
    QTest::newRow("build-state-int-key")
        << PickleStream(4).newObject("sklearn.pipeline", "Pipeline").op('}').integer(1).integer(2).op('s').op('b').stop().data()
        << refused << "key that is not a str";
    QTest::newRow("build-on-literal") << PickleStream(4).op('N').op('}').op('b').stop().data() << refused
                                      << "BUILD on a literal value";
    QTest::newRow("build-dtype-twice") << PickleStream(4).dtype("f8").op(')').op('b').stop().data() << refused
                                       << "BUILD on a dtype";
    // Memo confusion.
    QTest::newRow("memo-undefined") << PickleStream(4).op('h').byte(7).stop().data() << unreadable << "memo key 7 is not defined";
    QTest::newRow("memo-put-empty-stack") << PickleStream(4).op('q').byte(1).op('N').stop().data() << unreadable
                                          << "stack underflow";
    QTest::newRow("memo-global-reused-as-call")
        << PickleStream(4).global("_codecs", "encode").op(0x94).op('0').op('h').byte(0).integer(5).op(0x85).op('R').stop().data()
        << refused << "_codecs.encode with arguments outside its schema";
    QTest::newRow("memo-below-mark") << PickleStream(4).op(']').op(0x94).mark().op('h').byte(0).op('a').stop().data()
                                     << unreadable << "stack underflow";
    // Dotted names under an allowed module, computed STACK_GLOBAL operands.
    QTest::newRow("dotted-stack-global") << call(PickleStream(4).stackGlobal("sklearn.pipeline", "Pipeline.__init__")) << refused
                                         << "dotted or empty names are not allowed";
    QTest::newRow("dotted-global") << call(PickleStream(2).global("numpy", "dtype.__class__")) << refused
                                   << "dotted or empty names";
    QTest::newRow("stack-global-bytes") << PickleStream(4).bytes("os").bytes("system").op(0x93).stop().data() << refused
                                        << "STACK_GLOBAL operands are not string literals";
    QTest::newRow("stack-global-computed")
        << PickleStream(4).bytesLatin1("os").str(QStringLiteral("system")).op(0x93).stop().data() << refused
        << "not string literals";
    // Nested pickles: a joblib object array's stream is scanned with the same policy.
    {
        PickleStream s(4);
        wrapper(s, {1}, [](PickleStream &w) { w.dtype("O8", "|"); });
        s.raw(call(PickleStream(2).global("os", "system"))).stop();
        QTest::newRow("nested-object-array") << s.data() << refused << "os.system is not on the allow-list";
    }
    // Frames.
    QTest::newRow("frame-length-lie") << PickleStream(4).op(0x95).u64(1000).op('N').stop().data() << unreadable
                                      << "FRAME declares 1000 bytes";
    QTest::newRow("frame-operand-crosses") << PickleStream(4).op(0x95).u64(3).str(QStringLiteral("abcdef")).stop().data()
                                           << unreadable << "crosses the end of the frame";
    QTest::newRow("frame-in-frame") << PickleStream(4).op(0x95).u64(11).op(0x95).u64(2).op('N').op('.').data() << unreadable
                                    << "FRAME before the end of the current frame";
    // EXT, persistent ids, out-of-band buffers and other opcodes outside the policy.
    QTest::newRow("ext1") << PickleStream(2).op(0x82).byte(1).stop().data() << refused << "opcode EXT1 is not allowed";
    QTest::newRow("ext2") << PickleStream(2).op(0x83).byte(1).byte(0).stop().data() << refused << "opcode EXT2";
    QTest::newRow("ext4") << PickleStream(2).op(0x84).u32(1).stop().data() << refused << "opcode EXT4";
    QTest::newRow("persid") << PickleStream(2).op('P').raw("1\n").stop().data() << refused << "opcode PERSID";
    QTest::newRow("binpersid") << PickleStream(2).op('N').op('Q').stop().data() << refused << "opcode BINPERSID";
    QTest::newRow("next-buffer") << PickleStream(5).op(0x97).stop().data() << refused << "opcode NEXT_BUFFER";
    QTest::newRow("readonly-buffer") << PickleStream(5).op('N').op(0x98).stop().data() << refused << "opcode READONLY_BUFFER";
    QTest::newRow("newobj-ex") << PickleStream(4).global("sklearn.pipeline", "Pipeline").op(')').op('}').op(0x92).stop().data()
                               << refused << "opcode NEWOBJ_EX";
    QTest::newRow("text-int") << PickleStream(2).op('I').raw("1\n").stop().data() << refused << "opcode INT is not allowed";
    // Memo expansion, deep nesting, mark floods, huge declared lengths.
    QTest::newRow("memo-expansion") << billionLaughs() << refused << "expand to more than";
    QTest::newRow("self-reference") << PickleStream(4).op(']').op(0x94).op('h').byte(0).op('a').stop().data() << refused
                                    << "reference cycle";
    QTest::newRow("deep-nesting") << repeated(PickleStream(4).op('N').data(), char(0x85), 300, QByteArray(".")) << unreadable
                                  << "nesting depth 200";
    QTest::newRow("deep-list-nesting") << repeated(PickleStream(4).data(), ']', 300, QByteArray(299, 'a') + '.') << unreadable
                                       << "nesting depth";
    QTest::newRow("mark-flood") << repeated(PickleStream(4).data(), '(', 20000) << unreadable << "open MARKs";
    QTest::newRow("huge-binunicode8") << PickleStream(4).op(0x8d).u64(std::uint64_t(1) << 62).stop().data() << unreadable
                                      << "declared length 4611686018427387904 exceeds";
    QTest::newRow("huge-binbytes") << PickleStream(4).op('B').u32(0xffffffffu).stop().data() << unreadable
                                   << "declared length 4294967295";
    QTest::newRow("huge-bytearray8") << PickleStream(5).op(0x96).u64(~std::uint64_t(0)).stop().data() << unreadable
                                     << "declared length";
    QTest::newRow("huge-long4") << PickleStream(4).op(0x8b).u32(0x7fffffff).stop().data() << unreadable
                                << "declared length 2147483647";
    QTest::newRow("huge-array-shape")
        << PickleStream(4).ndarray({1 << 30, 1 << 30, 1 << 30}, f8, rawBytes<double>({1.0})).stop().data() << refused
        << "shape is negative or too large";
    QTest::newRow("negative-array-shape") << PickleStream(4).ndarray({-1}, f8, QByteArray()).stop().data() << refused
                                          << "shape is negative";
    {
        PickleStream s(4);
        wrapper(s, {1 << 30, 1 << 30}, f8, 16);
        QTest::newRow("huge-joblib-array") << s.raw(QByteArray(1, '\0')).stop().data() << unreadable
                                           << "needs more bytes than are left";
    }
    // Structurally invalid trees, using only allowed globals.
    QTest::newRow("tree-child-cycle") << treeStream(treeNode(1, 2, 0, 0.5) + treeNode(0, 2, 1, 0.1) + treeNode(-1, -1, -2, -2), 3)
                                      << refused << "Tree node 1 has children 0 and 2";
    QTest::newRow("tree-child-out-of-range")
        << treeStream(treeNode(1, 7, 0, 0.5) + treeNode(-1, -1, -2, -2) + treeNode(-1, -1, -2, -2), 3) << refused
        << "children 1 and 7 outside";
    QTest::newRow("tree-shared-child") << treeStream(treeNode(1, 1, 0, 0.5) + treeNode(-1, -1, -2, -2) + treeNode(-1, -1, -2, -2),
                                                     3)
                                       << refused << "Tree node 0 has children 1 and 1";
    QTest::newRow("tree-feature-out-of-range")
        << treeStream(treeNode(1, 2, 5, 0.5) + treeNode(-1, -1, -2, -2) + treeNode(-1, -1, -2, -2), 3) << refused
        << "splits on feature 5 of 2";
    QTest::newRow("tree-values-shape") << treeStream(validTreeNodes(), 3, 2, 2) << refused
                                       << "Tree values are not float64[3, 1, 2]";
    QTest::newRow("tree-node-count") << treeStream(validTreeNodes(), 3, 2, -1, 4) << refused << "Tree nodes are not 4 records";
    // Type confusion using only allowed globals.
    QTest::newRow("reconstruct-foreign-class") << PickleStream(4)
                                                      .global("numpy.core.multiarray", "_reconstruct")
                                                      .global("numpy", "dtype")
                                                      .integer(0)
                                                      .op(0x85)
                                                      .bytes("b")
                                                      .op(0x87)
                                                      .op('R')
                                                      .stop()
                                                      .data()
                                               << refused << "_reconstruct with arguments outside its schema";
    QTest::newRow("newobj-on-function") << PickleStream(4).global("_codecs", "encode").op(')').op(0x81).stop().data() << refused
                                        << "NEWOBJ on _codecs.encode, which is not an allowed class";
    QTest::newRow("reduce-on-type") << PickleStream(4).global("numpy", "float64").op(')').op('R').stop().data() << refused
                                    << "REDUCE on numpy.float64, which may not be called";
    QTest::newRow("tree-string-features") << PickleStream(4)
                                                 .global("sklearn.tree._tree", "Tree")
                                                 .mark()
                                                 .str(QStringLiteral("2"))
                                                 .ndarray({1}, i8, rawBytes<qint64>({2}))
                                                 .integer(1)
                                                 .op('t')
                                                 .op('R')
                                                 .stop()
                                                 .data()
                                          << refused << "Tree with arguments outside its schema";
    QTest::newRow("cython-foreign-class") << PickleStream(4)
                                                 .global("sklearn._loss._loss", "__pyx_unpickle_CyHalfBinomialLoss")
                                                 .global("sklearn._loss._loss", "CyHalfSquaredError")
                                                 .integer(1)
                                                 .op(')')
                                                 .op(0x87)
                                                 .op('R')
                                                 .stop()
                                                 .data()
                                          << refused << "its own Cython class";
    QTest::newRow("newobj-function-foreign-class") << PickleStream(4)
                                                          .global("sklearn.neighbors._kd_tree", "newObj")
                                                          .global("sklearn.neighbors._ball_tree", "BallTree")
                                                          .op(0x85)
                                                          .op('R')
                                                          .stop()
                                                          .data()
                                                   << refused << "one of its module's classes";
    QTest::newRow("append-to-object") << PickleStream(4).newObject("sklearn.pipeline", "Pipeline").op('N').op('a').stop().data()
                                      << refused << "APPEND to a object";
    QTest::newRow("setitem-on-tuple") << PickleStream(4).op(')').op('N').op('N').op('s').stop().data() << refused
                                      << "SETITEM on a tuple";
    QTest::newRow("dict-key-list") << PickleStream(4).op('}').op(']').op('N').op('s').stop().data() << refused
                                   << "dict key of type list";
    QTest::newRow("codecs-wide-char") << PickleStream(2)
                                             .global("_codecs", "encode")
                                             .str(QStringLiteral("\u20ac"))
                                             .str(QStringLiteral("latin1"))
                                             .op(0x86)
                                             .op('R')
                                             .stop()
                                             .data()
                                      << refused << "characters below U+0100";
    QTest::newRow("bytes-with-size")
        << PickleStream(2).global("__builtin__", "bytes").integer(1000000000).op(0x85).op('R').stop().data() << refused
        << "builtins.bytes with arguments outside its schema ()";
    QTest::newRow("array-data-mismatch") << PickleStream(4).ndarray({3}, f8, rawBytes<double>({1.0, 2.0})).stop().data()
                                         << refused << "16 bytes of data for 3 elements of float64";
    QTest::newRow("array-state-int-data") << PickleStream(4)
                                                 .global("numpy.core.multiarray", "_reconstruct")
                                                 .global("numpy", "ndarray")
                                                 .integer(0)
                                                 .op(0x85)
                                                 .bytes("b")
                                                 .op(0x87)
                                                 .op('R')
                                                 .mark()
                                                 .integer(1)
                                                 .integer(1)
                                                 .op(0x85)
                                                 .dtype("f8")
                                                 .op(0x89)
                                                 .integer(7)
                                                 .op('t')
                                                 .op('b')
                                                 .stop()
                                                 .data()
                                          << refused << "ndarray state data is not bytes";
    QTest::newRow("array-never-built") << PickleStream(4)
                                              .global("numpy.core.multiarray", "_reconstruct")
                                              .global("numpy", "ndarray")
                                              .integer(0)
                                              .op(0x85)
                                              .bytes("b")
                                              .op(0x87)
                                              .op('R')
                                              .stop()
                                              .data()
                                       << refused << "an ndarray was never given its BUILD state";
    // Truncated, garbage and trailing data; protocol and stack errors.
    const QByteArray benign = fixture(QStringLiteral("ridge.p4.pkl"));
    const QByteArray unframed = fixture(QStringLiteral("ridge.p2.pkl"));
    QTest::newRow("truncated") << unframed.left(unframed.size() / 2) << unreadable << "truncated";
    QTest::newRow("truncated-in-frame") << benign.left(benign.size() / 2) << unreadable << "FRAME declares";
    QTest::newRow("garbage-text") << QByteArray("hello, this is not a pickle") << unreadable << "not a pickle stream";
    QTest::newRow("garbage-binary") << QByteArray("\xff\xfe\x00\x01", 4) << unreadable << "unknown opcode 0xff";
    QTest::newRow("empty") << QByteArray() << unreadable << "empty file";
    QTest::newRow("trailing-data") << benign + "junk" << refused << "4 bytes after STOP";
    QTest::newRow("stop-extra-values") << PickleStream(4).op('N').op('N').stop().data() << refused
                                       << "leaves 2 values on the stack";
    QTest::newRow("stop-open-mark") << PickleStream(4).op('N').mark().op('N').stop().data() << unreadable
                                    << "STOP with an open MARK";
    QTest::newRow("protocol-1") << PickleStream(1).op('N').stop().data() << unreadable << "pickle protocol 1";
    QTest::newRow("second-proto") << PickleStream(4).op(0x80).byte(4).op('N').stop().data() << refused << "a second PROTO";
    QTest::newRow("invalid-utf8") << PickleStream(4).op(0x8c).byte(2).raw("\xff\xfe").stop().data() << unreadable
                                  << "not valid UTF-8";
    QTest::newRow("long-too-wide") << PickleStream(2).op(0x8a).byte(9).raw(QByteArray(9, '\1')).stop().data() << refused
                                   << "wider than 64 bits";
    QTest::newRow("no-stop") << PickleStream(4).op('N').data() << unreadable << "truncated";
    QTest::newRow("zlib-truncated") << qCompress(benign).mid(4).left(40) << unreadable << "zlib stream is corrupt or truncated";
    QTest::newRow("zlib-trailing") << qCompress(benign).mid(4) + "xx" << unreadable
                                   << "2 bytes after the end of the compressed stream";
    QTest::newRow("lz4") << QByteArray("\x04\x22\x4d\x18\x00\x00", 6) << unreadable << "lz4";
}

void TestPickleScanner::hostileStreamsAreRefused()
{
    QFETCH(QByteArray, stream);
    QFETCH(Verdict, verdict);
    QFETCH(QString, reason);
    const PickleScanReport report = scanPickle(stream);
    QVERIFY2(report.reason.contains(reason), qPrintable(report.reason));
    QCOMPARE(verdictName(report.verdict), verdictName(verdict));
    QCOMPARE(report.graph.size(), std::size_t(0)); // nothing of a refused stream is kept
}

void TestPickleScanner::decompressionIsCapped()
{
    // 1 MB of zeros compresses to about 1 kB; a 1000-byte cap must stop it, a 2 MB cap must not.
    const QByteArray zlib = qCompress(QByteArray(1 << 20, '\0')).mid(4);
    QString error;
    QVERIFY(!decompressJoblib(zlib, JoblibCompression::Zlib, 1000, error));
    QVERIFY2(error.contains(QLatin1String("over the limit of 1000 bytes")), qPrintable(error));
    const std::optional<QByteArray> whole = decompressJoblib(zlib, JoblibCompression::Zlib, 2 << 20, error);
    QVERIFY(whole);
    QCOMPARE(whole->size(), 1 << 20);
}

void TestPickleScanner::arraysAreReconstructed_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<QByteArray>("data");
    // Expected values: the bytes written in, as numpy would hold them (little-endian).
    const QByteArray doubles = rawBytes<double>({1.5, -2.0, 3.25});
    QTest::newRow("protocol-2-codecs-encode")
        << PickleStream(2).ndarray({3}, f8, doubles, true).stop().data() << "float64" << QList<qint64>{3} << doubles;
    QTest::newRow("numpy-2-names") << PickleStream(4).ndarray({3, 1}, f8, doubles, false, "numpy._core.multiarray").stop().data()
                                   << "float64" << QList<qint64>{3, 1} << doubles;
    const QByteArray ints = rawBytes<qint64>({7, -9});
    QTest::newRow("protocol-5-bytearray8") << PickleStream(5)
                                                  .global("numpy.core.numeric", "_frombuffer")
                                                  .mark()
                                                  .op(0x96)
                                                  .u64(16)
                                                  .raw(ints)
                                                  .dtype("i8")
                                                  .integer(2)
                                                  .op(0x85)
                                                  .str(QStringLiteral("C"))
                                                  .op('t')
                                                  .op('R')
                                                  .stop()
                                                  .data()
                                           << "int64" << QList<qint64>{2} << ints;
    const QByteArray quarter = rawBytes<double>({0.25});
    QTest::newRow("numpy-scalar") << PickleStream(2)
                                         .global("numpy.core.multiarray", "scalar")
                                         .dtype("f8")
                                         .bytesLatin1(quarter)
                                         .op(0x86)
                                         .op('R')
                                         .stop()
                                         .data()
                                  << "float64" << QList<qint64>{} << quarter;
    {
        // joblib >= 1.2: a padding-length byte and that many padding bytes, then the raw data.
        PickleStream s(4);
        wrapper(s, {2}, i8, 16);
        QTest::newRow("joblib-aligned") << s.byte(5).raw(QByteArray(5, '\xff')).raw(ints).stop().data() << "int64"
                                        << QList<qint64>{2} << ints;
    }
    {
        PickleStream s(4);
        wrapper(s, {3}, f8);
        QTest::newRow("joblib-unaligned") << s.raw(doubles).stop().data() << "float64" << QList<qint64>{3} << doubles;
    }
}

void TestPickleScanner::arraysAreReconstructed()
{
    QFETCH(QByteArray, stream);
    QFETCH(QString, dtype);
    QFETCH(QList<qint64>, shape);
    QFETCH(QByteArray, data);
    const PickleScanReport report = scanPickle(stream);
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    const PickleValue &root = report.graph.node(report.graph.root());
    QCOMPARE(root.kind, Kind::Array);
    QCOMPARE(root.array.dtype.describe(), dtype);
    QCOMPARE(QList<qint64>(root.array.shape.begin(), root.array.shape.end()), shape);
    QCOMPARE(root.array.data, data);
}

void TestPickleScanner::memoFollowsCPython()
{
    // BINPUT 1 stores 'a'; MEMOIZE then uses len(memo) == 1 as its key and overwrites it with 'b',
    // so BINGET 1 gives 'b'. CPython 3.11 pickle.loads of these bytes gives ['a', 'b', 'b'].
    const QByteArray stream = PickleStream(4)
                                  .op(']')
                                  .str(QStringLiteral("a"))
                                  .op('q')
                                  .byte(1)
                                  .op('a')
                                  .str(QStringLiteral("b"))
                                  .op(0x94)
                                  .op('a')
                                  .op('h')
                                  .byte(1)
                                  .op('a')
                                  .stop()
                                  .data();
    const PickleScanReport report = scanPickle(stream);
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    const PickleValue &list = report.graph.node(report.graph.root());
    QCOMPARE(list.kind, Kind::List);
    QStringList texts;
    for (PickleNodeId item : list.items)
        texts.append(report.graph.node(item).text);
    QCOMPARE(texts, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("b")}));
    QCOMPARE(report.opcodes.at(QStringLiteral("MEMOIZE")), 1);
    QCOMPARE(report.opcodes.at(QStringLiteral("BINGET")), 1);
}

void TestPickleScanner::framesAndLiterals()
{
    // {'a': 1, 'b': [2.5], 'n': -256 (LONG1 00 ff), 'a' again: 3} inside one protocol 4 frame:
    // the repeated key keeps its place and takes the last value, as in CPython.
    const QByteArray body = PickleStream::bare()
                                .op('}')
                                .mark()
                                .str(QStringLiteral("a"))
                                .integer(1)
                                .str(QStringLiteral("b"))
                                .op(']')
                                .real(2.5)
                                .op('a')
                                .str(QStringLiteral("n"))
                                .op(0x8a)
                                .byte(2)
                                .raw(QByteArray("\x00\xff", 2))
                                .str(QStringLiteral("a"))
                                .integer(3)
                                .op('u')
                                .stop()
                                .data();
    const PickleScanReport report = scanPickle(PickleStream(4).op(0x95).u64(std::uint64_t(body.size())).raw(body).data());
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    const PickleGraph &graph = report.graph;
    QCOMPARE(graph.node(graph.root()).items.size(), std::size_t(6));
    QCOMPARE(graph.node(*graph.dictValue(graph.root(), QStringLiteral("a"))).integer, 3);
    QCOMPARE(graph.node(*graph.dictValue(graph.root(), QStringLiteral("n"))).integer, -256);
    const PickleValue &list = graph.node(*graph.dictValue(graph.root(), QStringLiteral("b")));
    QCOMPARE(graph.node(list.items.at(0)).real, 2.5);
    QCOMPARE(report.protocol, 4);
    QCOMPARE(report.opcodes.at(QStringLiteral("FRAME")), 1);
}

void TestPickleScanner::joblibObjectArrayIsANestedStream()
{
    PickleStream s(4);
    wrapper(s, {2}, [](PickleStream &w) { w.dtype("O8", "|"); });
    // The nested stream (a plain pickle.dump of the object array): data is one value per element.
    PickleStream inner(2);
    inner.global("numpy.core.multiarray", "_reconstruct")
        .global("numpy", "ndarray")
        .integer(0)
        .op(0x85)
        .bytesLatin1("b")
        .op(0x87)
        .op('R');
    inner.mark()
        .integer(1)
        .integer(2)
        .op(0x85)
        .dtype("O8", "|")
        .op(0x89)
        .op(']')
        .mark()
        .str(QStringLiteral("city"))
        .str(QStringLiteral("plan"))
        .op('e')
        .op('t')
        .op('b')
        .stop();
    const PickleScanReport report = scanPickle(s.raw(inner.data()).stop().data());
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    QCOMPARE(report.container, QStringLiteral("joblib"));
    const PickleValue &root = report.graph.node(report.graph.root());
    QCOMPARE(root.kind, Kind::Array);
    QCOMPARE(root.array.dtype.kind, 'O');
    QCOMPARE(root.array.objects.size(), std::size_t(2));
    QCOMPARE(report.graph.node(root.array.objects[1]).text, QStringLiteral("plan"));
}

void TestPickleScanner::validTreeIsImportable()
{
    // The same builder as the invalid-tree rows, with a valid tree: only the defect makes those fail.
    const PickleScanReport report = scanPickle(treeStream(validTreeNodes(), 3));
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    const PickleValue &tree = report.graph.node(report.graph.root());
    QCOMPARE(tree.qualifiedName(), QStringLiteral("sklearn.tree._tree.Tree"));
    const PickleValue &nodes = report.graph.node(*report.graph.attribute(report.graph.root(), QStringLiteral("nodes")));
    QCOMPARE(nodes.array.dtype.itemSize, 56);
    QCOMPARE(nodes.array.dtype.fields.size(), std::size_t(7));
    QCOMPARE(nodes.array.dtype.fields[3].name, QStringLiteral("threshold"));
    QCOMPARE(nodes.array.data, validTreeNodes());
}

void TestPickleScanner::fixturesAreImportable_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("container");
    QTest::addColumn<int>("protocol");
    QTest::addColumn<QString>("sklearn");
    QFile file(kFixtures + QStringLiteral("/manifest.json"));
    QVERIFY2(file.open(QIODevice::ReadOnly), "tests/interop/fixtures/manifest.json (written by make_sklearn_fixtures.py)");
    const QJsonObject manifest = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonArray fixtures = manifest.value(QLatin1String("fixtures")).toArray();
    QVERIFY(fixtures.size() >= 80);
    for (const QJsonValue &value : fixtures) {
        const QJsonObject entry = value.toObject();
        const QString compression = entry.value(QLatin1String("compression")).toString();
        const QString container = entry.value(QLatin1String("container")).toString();
        const QString name = entry.value(QLatin1String("file")).toString();
        QTest::newRow(qPrintable(name)) << name
                                        << (compression.isEmpty() ? container
                                                                  : QStringLiteral("%1 (%2)").arg(container, compression))
                                        << (container == QLatin1String("pickle") ? entry.value(QLatin1String("protocol")).toInt()
                                                                                 : -1)
                                        << manifest.value(QLatin1String("sklearn")).toString();
    }
}

void TestPickleScanner::fixturesAreImportable()
{
    QFETCH(QString, file);
    QFETCH(QString, container);
    QFETCH(int, protocol);
    QFETCH(QString, sklearn);
    const PickleScanReport report = scanPickleFile(kFixtures + QLatin1Char('/') + file);
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    QCOMPARE(report.container, container);
    if (protocol >= 0)
        QCOMPARE(report.protocol, protocol);
    QCOMPARE(report.sklearnVersions, QStringList{sklearn});
    QCOMPARE(report.estimators.size(), std::size_t(1));
    QVERIFY(report.globals.contains(report.estimators.front().className));
    QVERIFY(report.opcodes.at(QStringLiteral("STOP")) >= 1);
}

void TestPickleScanner::estimatorTreeOfMixedPipeline()
{
    // make_sklearn_fixtures.py: Pipeline([('prep', ColumnTransformer([('num', Pipeline(impute, scale),
    // ['age', 'income']), ('cat', OrdinalEncoder(), ['city', 'plan'])], remainder='passthrough')),
    // ('model', Ridge)]).
    const PickleScanReport report = scanPickleFile(kFixtures + QStringLiteral("/mixed_pipeline_ridge.p5.pkl"));
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    const EstimatorNode &root = report.estimators.front();
    QCOMPARE(root.className, QStringLiteral("sklearn.pipeline.Pipeline"));
    QCOMPARE(root.children.size(), std::size_t(2));
    const EstimatorNode &prep = root.children[0];
    QCOMPARE(prep.label, QStringLiteral("prep"));
    QCOMPARE(prep.className, QStringLiteral("sklearn.compose._column_transformer.ColumnTransformer"));
    QVERIFY(prep.children.size() >= 2);
    QCOMPARE(prep.children[0].label, QStringLiteral("num"));
    QCOMPARE(prep.children[0].columns, (QStringList{QStringLiteral("age"), QStringLiteral("income")}));
    QCOMPARE(prep.children[0].children.size(), std::size_t(2));
    QCOMPARE(prep.children[1].columns, (QStringList{QStringLiteral("city"), QStringLiteral("plan")}));
    QCOMPARE(prep.children[1].className, QStringLiteral("sklearn.preprocessing._encoders.OrdinalEncoder"));
    QCOMPARE(root.children[1].className, QStringLiteral("sklearn.linear_model._ridge.Ridge"));
}

void TestPickleScanner::ensemblesAreSummarised()
{
    const PickleScanReport report = scanPickleFile(kFixtures + QStringLiteral("/random_forest_classifier.xz.joblib"));
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    const EstimatorNode &forest = report.estimators.front();
    QCOMPARE(forest.className, QStringLiteral("sklearn.ensemble._forest.RandomForestClassifier"));
    QCOMPARE(forest.children.size(), std::size_t(1));
    QCOMPARE(forest.children[0].label, QStringLiteral("estimators_"));
    QCOMPARE(forest.children[0].className, QStringLiteral("sklearn.tree._classes.DecisionTreeClassifier"));
    QCOMPARE(forest.children[0].count, 5); // n_estimators=5 in make_sklearn_fixtures.py

    // max_iter=6 on three classes: one TreePredictor per class and iteration, 6 x 3.
    const PickleScanReport boosting = scanPickleFile(kFixtures + QStringLiteral("/hist_gradient_boosting_multiclass.p4.pkl"));
    QVERIFY2(boosting.isImportable(), qPrintable(boosting.reason));
    const EstimatorNode &predictors = boosting.estimators.front().children.at(0);
    QCOMPARE(predictors.label, QStringLiteral("_predictors"));
    QCOMPARE(predictors.className, QStringLiteral("sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"));
    QCOMPARE(predictors.count, 18);
}

QTEST_GUILESS_MAIN(TestPickleScanner)
#include "tst_picklescanner.moc"
