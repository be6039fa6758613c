#include "modelcommands.h"

#include <algorithm>

#include "artifact/keyring.h"
#include "artifact/modelartifact.h"
#include "artifact/modeldescription.h"
#include "artifact/modelfile.h"
#include "artifact/openedmodel.h"
#include "base/sha256.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace plumb::cli {

void printImportance(QTextStream &out, const PermutationImportance &importance)
{
    if (importance.features.empty())
        return;
    std::vector<const FeatureImportance *> order;
    for (const FeatureImportance &feature : importance.features)
        order.push_back(&feature);
    std::stable_sort(order.begin(), order.end(), [](const auto *a, const auto *b) { return a->mean > b->mean; });
    out << "\npermutation importance (drop in " << importance.metric << " from " << QString::number(importance.baseline, 'f', 6)
        << " when the feature is shuffled):\n";
    qsizetype width = 0;
    for (const FeatureImportance *feature : order)
        width = std::max(width, feature->feature.size());
    // Six decimals; a value that rounds to zero prints as 0, not -0.000000, and any other keeps its sign.
    const auto number = [](double value) {
        return std::abs(value) < 5e-7 ? QStringLiteral("0") : QString::number(value, 'f', 6);
    };
    for (const FeatureImportance *feature : order)
        out << "  " << feature->feature.leftJustified(width + 2) << number(feature->mean).rightJustified(10) << " +- "
            << number(feature->standardDeviation) << '\n';
}

void printShapSummary(QTextStream &out, const ShapSummary &shap, const QString &unavailable)
{
    if (shap.isEmpty()) {
        if (!unavailable.isEmpty())
            out << '\n' << unavailable << '\n';
        return;
    }
    out << '\n' << shap.description() << ":\n";
    const std::vector<std::size_t> order = shap.ranking();
    qsizetype width = 0;
    for (const ShapSummary::Feature &feature : shap.features)
        width = std::max(width, feature.feature.size());
    for (const std::size_t f : order)
        out << "  " << shap.features[f].feature.leftJustified(width + 2)
            << QString::number(shap.importance(f), 'f', 6).rightJustified(10) << '\n';
}

namespace {

// The text rendering of `d`; its JSON is d.toJson(), which holds every value printed here.
void printDescription(QTextStream &out, const ModelDescription &d)
{
    const ModelMetadata &m = d.metadata;
    out << "model        " << m.name << '\n'
        << "description  " << m.description << '\n'
        << "tags         " << m.tags.join(QLatin1String(", ")) << '\n'
        << "author       " << m.author << '\n'
        << "created      " << m.created.toUTC().toString(Qt::ISODateWithMs) << '\n'
        << "file sha256  " << d.fileSha256 << "  " << d.path << '\n'
        << "digest       " << d.digest << " (intact)\n"
        << "signature    " << d.signature.describe() << '\n'
        << "software     ";
    for (auto it = m.software.begin(); it != m.software.end(); ++it)
        out << it.key() << ' ' << it.value().toVariant().toString() << "; ";
    if (m.imported.isEmpty())
        out << "\n\ntraining data  " << m.sourceFile << " (sha256 " << m.sourceSha256 << "), " << m.rows << " rows, " << m.columns
            << " columns\n"
            << "validation     " << m.validation << ", seed " << m.seed << ", fit " << m.fitSeconds << " s\n";
    else // an imported model was not trained or validated by Plumb: say where it came from instead
        out << "\n\nimported from  " << m.imported.source << " (sha256 " << m.imported.sha256 << "), " << m.imported.library
            << ' ' << m.imported.libraryVersion << ", " << m.imported.container << ", " << m.imported.globals.size()
            << " globals, " << m.imported.conversion.size() << " objects converted\n";
    for (const auto &[name, value] : m.metrics)
        out << "  " << name.leftJustified(18)
            << (std::isfinite(value) ? QString::number(value, 'f', 6) : undefinedText(m.metricReason(name))) << '\n';
    printImportance(out, m.importance);
    printShapSummary(out, m.shap, d.shapNote);
    if (!m.parentDigest.isEmpty())
        out << "lineage        parent " << m.parentDigest << " (" << m.lineageReason << ")\n";
    out << "\nkind    " << d.model.kind << "\ntarget  " << d.target.name << " ("
        << (d.target.task == Task::Classification
                ? QStringLiteral("classification: ") + d.target.classes.join(QLatin1String(", "))
                : QStringLiteral("regression"))
        << ")\nfeatures\n";
    for (const FeatureSpec &feature : d.features)
        out << "  " << feature.name.leftJustified(20) << columnTypeName(feature.type).leftJustified(12)
            << (!feature.categories.isEmpty()     ? QStringLiteral("%1 categories").arg(feature.categories.size())
                    : std::isnan(feature.minimum) ? QStringLiteral("range unknown") // imported models carry no training range
                                                  : QStringLiteral("range %1 .. %2").arg(feature.minimum).arg(feature.maximum))
            << '\n';
    out << "pipeline\n";
    for (const BranchDescription &branch : d.branches) {
        out << "  " << branch.name << ": " << branch.columns.join(QLatin1String(", ")) << '\n';
        for (const ComponentDescription &step : branch.steps)
            out << "    " << step.kind << " (" << step.paramsText() << ")\n";
    }
    out << "  model: " << d.model.kind << " (" << d.model.paramsText() << ")\n";
}

} // namespace

int runInspect(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Show everything a .plumb file holds: metadata, training data summary, "
                                                    "validation, features, pipeline, digest and file SHA-256."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("A .plumb model file."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print the same description as JSON, with the reference profile.")});
    if (const auto exit = parseArguments(parser, QStringLiteral("inspect"), arguments, 1, io))
        return *exit;
    const QString path = parser.positionalArguments().front();
    Result<OpenedModel> model = openModelFile(path, Keyring::forModel(path));
    if (!model) {
        io.err << "plumb inspect: " << model.error().message << '\n';
        return exitCodeFor(model.error().kind);
    }
    const ModelDescription description = describeModel(model.value().artifact, path, model.value().fileSha256,
                                                       model.value().signature);
    if (parser.isSet(QStringLiteral("json")))
        io.out << QJsonDocument(description.toJson()).toJson();
    else
        printDescription(io.out, description);
    return kExitOk;
}

int runVerify(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Check a .plumb file: its embedded SHA-256 digest matches its content, "
                                                    "every part reads back, and MODEL.minisig (if any) is a valid signature. "
                                                    "Exit 0 when all holds, 3 with the reason when not."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("A .plumb model file."));
    parser.addOptions({
        {QStringLiteral("require-signature"), QStringLiteral("Fail unless a trusted key signed the file.")},
        {QStringLiteral("keyring"),
         QStringLiteral("Folder of trusted public keys (default: %1).").arg(Keyring::defaultDirectory()), QStringLiteral("DIR")},
        {QStringLiteral("pubkey"), QStringLiteral("Check the signature against this public key only."),
         QStringLiteral("KEY.pub")},
    });
    if (const auto exit = parseArguments(parser, QStringLiteral("verify"), arguments, 1, io))
        return *exit;
    const QString path = parser.positionalArguments().front();
    std::optional<PublicKey> explicitKey;
    if (parser.isSet(QStringLiteral("pubkey"))) {
        Result<QByteArray> keyText = readFileBytes(parser.value(QStringLiteral("pubkey")));
        Result<PublicKey> key = keyText ? PublicKey::fromText(keyText.value(), parser.value(QStringLiteral("pubkey")))
                                        : Result<PublicKey>(keyText.error());
        if (!key) {
            io.err << "plumb verify: " << key.error().message << '\n';
            return kExitError;
        }
        explicitKey = key.value();
    }
    const Keyring keyring = parser.isSet(QStringLiteral("keyring")) ? Keyring::load(parser.value(QStringLiteral("keyring")))
                                                                    : Keyring::forModel(path);
    Result<OpenedModel> model = openModelFile(path, keyring, SignatureRequirement::Report, explicitKey ? &*explicitKey : nullptr);
    if (!model) {
        io.err << "plumb verify: " << model.error().message << '\n';
        return exitCodeFor(model.error().kind, ExitContext::Verify);
    }
    const SignatureStatus &signature = model.value().signature;
    io.out << path << ": intact (digest " << model.value().artifact.digest << "); " << signature.describe() << '\n';
    if (signature.state == SignatureStatus::State::Invalid)
        return kExitVerification;
    if (parser.isSet(QStringLiteral("require-signature")) && signature.state != SignatureStatus::State::Trusted) {
        io.err << "plumb verify: a signature by a trusted key is required\n";
        return kExitVerification;
    }
    return kExitOk;
}

} // namespace plumb::cli
