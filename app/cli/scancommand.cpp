#include "scancommand.h"

#include "interop/picklescanner.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace plumb::cli {

namespace {

QString nodeText(const EstimatorNode &node)
{
    QString text = node.label.isEmpty() ? QString() : node.label + QStringLiteral(": ");
    if (node.count > 1)
        text += QStringLiteral("%1 x ").arg(node.count);
    text += node.className;
    if (!node.columns.isEmpty())
        text += QStringLiteral("  [%1]").arg(node.columns.join(QLatin1String(", ")));
    return text;
}

// Depth-first with an explicit stack: the tree is bounded by the scanner, but printing needs no
// recursion either.
void printTree(QTextStream &out, const std::vector<EstimatorNode> &roots)
{
    std::vector<std::pair<const EstimatorNode *, int>> pending;
    for (auto it = roots.rbegin(); it != roots.rend(); ++it)
        pending.emplace_back(&*it, 1);
    while (!pending.empty()) {
        const auto [node, depth] = pending.back();
        pending.pop_back();
        out << QString(2 * depth, QLatin1Char(' ')) << nodeText(*node) << '\n';
        for (auto it = node->children.rbegin(); it != node->children.rend(); ++it)
            pending.emplace_back(&*it, depth + 1);
    }
}

QJsonObject nodeJson(const EstimatorNode &node)
{
    QJsonArray children;
    for (const EstimatorNode &child : node.children)
        children.append(nodeJson(child));
    QJsonObject json{{QStringLiteral("class"), node.className}, {QStringLiteral("children"), children}};
    if (!node.label.isEmpty())
        json.insert(QStringLiteral("label"), node.label);
    if (node.count > 1)
        json.insert(QStringLiteral("count"), node.count);
    if (!node.columns.isEmpty())
        json.insert(QStringLiteral("columns"), QJsonArray::fromStringList(node.columns));
    return json;
}

QJsonObject reportJson(const QString &path, const PickleScanReport &report)
{
    QJsonObject opcodes;
    for (const auto &[name, count] : report.opcodes)
        opcodes.insert(name, count);
    QJsonArray estimators;
    for (const EstimatorNode &node : report.estimators)
        estimators.append(nodeJson(node));
    return QJsonObject{{QStringLiteral("file"), path},
                       {QStringLiteral("verdict"), verdictName(report.verdict)},
                       {QStringLiteral("reason"), report.reason},
                       {QStringLiteral("container"), report.container},
                       {QStringLiteral("protocol"), report.protocol},
                       {QStringLiteral("globals"), QJsonArray::fromStringList(report.globals)},
                       {QStringLiteral("opcodes"), opcodes},
                       {QStringLiteral("sklearn_versions"), QJsonArray::fromStringList(report.sklearnVersions)},
                       {QStringLiteral("estimators"), estimators}};
}

void printReport(QTextStream &out, const QString &path, const PickleScanReport &report)
{
    const QString none = QStringLiteral("-");
    printAlignedTable(
        out,
        {{QStringLiteral("file"), path},
         {QStringLiteral("verdict"), verdictName(report.verdict)},
         {QStringLiteral("reason"), report.reason.isEmpty() ? none : report.reason},
         {QStringLiteral("container"), report.container.isEmpty() ? none : report.container},
         {QStringLiteral("protocol"), report.protocol < 0 ? none : QString::number(report.protocol)},
         {QStringLiteral("sklearn"), report.sklearnVersions.isEmpty() ? none : report.sklearnVersions.join(QLatin1String(", "))}},
        [](qsizetype) { return false; });
    out << "\nglobals (" << report.globals.size() << "):\n";
    for (const QString &global : report.globals)
        out << "  " << global << '\n';
    QList<QStringList> rows{{QStringLiteral("opcode"), QStringLiteral("count")}};
    for (const auto &[name, count] : report.opcodes)
        rows.append({name, QString::number(count)});
    out << "\nopcodes:\n";
    printAlignedTable(out, rows, [](qsizetype column) { return column == 1; });
    if (!report.estimators.empty()) {
        out << "\nestimators:\n";
        printTree(out, report.estimators);
    }
}

} // namespace

int runScan(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Read a scikit-learn pickle or joblib file as data, without running it, "
                       "and say whether it can be imported. Exit 0 importable, 3 refused, 1 unreadable."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A .pkl, .pickle or .joblib file."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the report as JSON.")});
    if (const auto exit = parseArguments(parser, QStringLiteral("scan"), arguments, 1, io))
        return *exit;
    const QString path = parser.positionalArguments().front();
    const PickleScanReport report = scanPickleFile(path);
    if (parser.isSet(QStringLiteral("json")))
        io.out << QJsonDocument(reportJson(path, report)).toJson();
    else
        printReport(io.out, path, report);
    switch (report.verdict) {
    case PickleScanReport::Verdict::Importable:
        return kExitOk;
    case PickleScanReport::Verdict::Refused:
        return kExitVerification;
    case PickleScanReport::Verdict::Unreadable:
        break;
    }
    return kExitError;
}

} // namespace plumb::cli
