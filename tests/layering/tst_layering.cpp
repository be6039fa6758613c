// The include graph of the sources, checked against the allowed layers (STYLE.md, "The house"):
//   app → ui → serve, monitor, interop → artifact → learn → data → base
// and inside ui/, down the workflow a user follows:
//   shell (ui/ itself) → monitor → predict → models → train → data → charts → common
// A file may include a header of its own layer or of a lower one. serve, monitor and interop are
// one layer: at the folder level monitor and serve include each other (plumb_monitor sits below
// plumb_serve, plumb_monitoring above it), which CMake's library graph orders. The command line
// (app/cli) includes no ui header: it builds without QtWidgets.
//
// Each quoted include is resolved as the compiler does: next to the including file, then under
// core/ and the source root (the include directories of core/*/CMakeLists.txt and ui/). Includes
// that resolve to no source file (Qt, moc output) are not part of the graph.

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <map>

namespace {

// A source file: its path from the source root and its text.
using SourceTree = std::map<QString, QByteArray>;

// The layer of a path from the source root, higher includes lower; -1 outside the graph.
int layerOf(const QString &path)
{
    static const std::vector<std::pair<QString, int>> kLayers{
        {QStringLiteral("core/base/"), 0},     {QStringLiteral("core/data/"), 1},   {QStringLiteral("core/learn/"), 2},
        {QStringLiteral("core/artifact/"), 3}, {QStringLiteral("core/serve/"), 4},  {QStringLiteral("core/monitor/"), 4},
        {QStringLiteral("core/interop/"), 4},  {QStringLiteral("ui/common/"), 5},   {QStringLiteral("ui/charts/"), 6},
        {QStringLiteral("ui/data/"), 7},       {QStringLiteral("ui/train/"), 8},    {QStringLiteral("ui/models/"), 9},
        {QStringLiteral("ui/predict/"), 10},   {QStringLiteral("ui/monitor/"), 11}, {QStringLiteral("ui/"), 12},
        {QStringLiteral("app/"), 13},
    };
    for (const auto &[prefix, layer] : kLayers)
        if (path.startsWith(prefix))
            return layer;
    return -1;
}

QString resolve(const SourceTree &tree, const QString &includer, const QString &included)
{
    const QString here = includer.left(includer.lastIndexOf(QLatin1Char('/')) + 1);
    for (const QString &candidate : {here + included, QStringLiteral("core/") + included, included})
        if (tree.count(candidate))
            return candidate;
    return {};
}

// Every include that crosses the graph upwards, or from the command line into ui/:
// "core/learn/x.cpp includes ui/y.h (layer 12 above 2)".
QStringList violations(const SourceTree &tree)
{
    static const QRegularExpression include(QStringLiteral("^\\s*#\\s*include\\s*\"([^\"]+)\""),
                                            QRegularExpression::MultilineOption);
    QStringList found;
    for (const auto &[path, text] : tree) {
        const int from = layerOf(path);
        if (from < 0)
            continue;
        auto matches = include.globalMatch(QString::fromUtf8(text));
        while (matches.hasNext()) {
            const QString target = resolve(tree, path, matches.next().captured(1));
            const int to = layerOf(target);
            if (to > from)
                found.append(QStringLiteral("%1 includes %2 (layer %3 above %4)").arg(path, target).arg(to).arg(from));
            else if (path.startsWith(QLatin1String("app/cli/")) && target.startsWith(QLatin1String("ui/")))
                found.append(QStringLiteral("%1 includes %2 (the command line builds without the GUI)").arg(path, target));
        }
    }
    return found;
}

SourceTree realTree()
{
    SourceTree tree;
    const QString root = QStringLiteral(PLUMB_SOURCE_DIR "/");
    for (const char *folder : {"core", "ui", "app"}) {
        QDirIterator it(root + QLatin1String(folder), {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly))
                tree[file.fileName().mid(root.size())] = file.readAll();
        }
    }
    return tree;
}

} // namespace

class TestLayering : public QObject
{
    Q_OBJECT

private slots:
    void graph_data();
    void graph();
};

void TestLayering::graph_data()
{
    QTest::addColumn<SourceTree>("tree");
    QTest::addColumn<QStringList>("expected");
    const SourceTree real = realTree();
    QVERIFY2(real.size() > 300, "the source tree was not found under PLUMB_SOURCE_DIR");
    QTest::newRow("the-sources") << real << QStringList();
    // Small trees that show what the check catches (and that it is not blind).
    const QByteArray view = "#pragma once\n#include \"learn/model.h\"\n";
    QTest::newRow("core-includes-ui") << SourceTree{
        {QStringLiteral("core/learn/model.h"), "#pragma once\n"},
        {QStringLiteral("core/learn/model.cpp"), "#include \"learn/model.h\"\n#include \"ui/modelview.h\"\n"},
        {QStringLiteral("ui/modelview.h"),
         view}} << QStringList{QStringLiteral("core/learn/model.cpp includes ui/modelview.h (layer 12 above 2)")};
    QTest::newRow("data-includes-learn")
        << SourceTree{{QStringLiteral("core/learn/model.h"), "#pragma once\n"},
                      {QStringLiteral("core/data/table.h"), "#pragma once\n  #  include \"learn/model.h\"\n"}}
        << QStringList{QStringLiteral("core/data/table.h includes core/learn/model.h (layer 2 above 1)")};
    QTest::newRow("train-includes-predict")
        << SourceTree{{QStringLiteral("ui/predict/scoringform.h"), "#pragma once\n"},
                      {QStringLiteral("ui/train/trainview.cpp"), "#include \"ui/predict/scoringform.h\"\n"}}
        << QStringList{QStringLiteral("ui/train/trainview.cpp includes ui/predict/scoringform.h (layer 10 above 8)")};
    QTest::newRow("cli-includes-ui")
        << SourceTree{{QStringLiteral("app/cli/main.cpp"), "#include \"ui/modelview.h\"\n"},
                      {QStringLiteral("ui/modelview.h"), view},
                      {QStringLiteral("core/learn/model.h"), "#pragma once\n"}}
        << QStringList{QStringLiteral("app/cli/main.cpp includes ui/modelview.h (the command line builds without the GUI)")};
    QTest::newRow("peers-and-downwards-allowed")
        << SourceTree{{QStringLiteral("core/serve/log.h"), "#include \"monitor/history.h\"\n#include \"base/error.h\"\n"},
                      {QStringLiteral("core/monitor/history.h"), "#include \"serve/log.h\"\n"},
                      {QStringLiteral("core/base/error.h"), "#include <QString>\n"},
                      {QStringLiteral("ui/view.cpp"), "#include \"serve/log.h\"\n#include \"view.h\"\n"},
                      {QStringLiteral("ui/view.h"), ""}}
        << QStringList();
}

void TestLayering::graph()
{
    QFETCH(SourceTree, tree);
    QFETCH(QStringList, expected);
    const QStringList found = violations(tree);
    QVERIFY2(found == expected,
             qPrintable(QStringLiteral("found:\n  %1\nexpected:\n  %2")
                            .arg(found.join(QStringLiteral("\n  ")), expected.join(QStringLiteral("\n  ")))));
}

QTEST_GUILESS_MAIN(TestLayering)
#include "tst_layering.moc"
