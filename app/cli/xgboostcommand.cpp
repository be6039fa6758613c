#include "xgboostcommand.h"

#include "interop/xgboostimporter.h"

namespace plumb::cli {

int runImportXgboost(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Convert an XGBoost model saved as JSON or UBJSON (Booster.save_model) into a "
                       ".plumb file. The file is read as data; unsupported boosters, objectives "
                       "and malformed files are refused (exit 3)."));
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The XGBoost model file (.json or .ubj)."));
    parser.addOptions({
        {{QStringLiteral("o"), QStringLiteral("output")},
         QStringLiteral("Where to save the model."),
         QStringLiteral("MODEL.plumb")},
        {QStringLiteral("name"), QStringLiteral("The model's name (default: the output file's base name)."),
         QStringLiteral("NAME")},
        {QStringLiteral("force"), QStringLiteral("Overwrite an existing output file.")},
        {QStringLiteral("feature-names"),
         QStringLiteral("For a model whose file names no features: their names in column order, "
                        "comma-separated."),
         QStringLiteral("A,B,C")},
        {QStringLiteral("categories"),
         QStringLiteral("A categorical feature's levels in code order (pandas' Categorical.categories "
                        "when it was trained), so that its column holds the levels; repeat for each "
                        "feature. Without it the column holds XGBoost's category codes 0, 1, 2, ..."),
         QStringLiteral("COLUMN=a,b,c")},
    });
    if (auto exit = parseArguments(parser, QStringLiteral("import-xgboost"), arguments, 1, io))
        return *exit;
    const QString path = parser.positionalArguments().constFirst();
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty()) {
        io.err << "plumb import-xgboost: --output MODEL.plumb is required\n";
        return kExitUsage;
    }
    const QString names = parser.value(QStringLiteral("feature-names"));
    XgboostCategories categories;
    for (const QString &option : parser.values(QStringLiteral("categories"))) {
        const qsizetype equals = option.indexOf(QLatin1Char('='));
        if (equals <= 0 || categories.contains(option.left(equals))) {
            io.err << "plumb import-xgboost: --categories takes COLUMN=a,b,c once per column, got '" << option << "'\n";
            return kExitUsage;
        }
        categories.insert(option.left(equals), option.mid(equals + 1).split(QLatin1Char(',')));
    }
    Result<XgboostImport> imported = importXgboostToFile(
        path, output, parser.value(QStringLiteral("name")), parser.isSet(QStringLiteral("force")),
        names.isEmpty() ? QStringList() : names.split(QLatin1Char(',')), categories);
    if (!imported) {
        io.err << "plumb import-xgboost: " << imported.error().message << '\n';
        return exitCodeFor(imported.error().kind, ExitContext::Verify);
    }
    const XgboostImport &result = imported.value();
    const Pipeline &pipeline = *result.imported.pipeline;
    io.out << result.summary() << '\n';
    for (const QString &warning : result.imported.warnings)
        io.out << "warning: " << warning << '\n';
    for (const QString &categorical : result.categorical)
        io.out << "categorical: " << categorical << '\n';
    if (result.imported.positionalFeatures)
        io.out << "features: positional (x0..x" << pipeline.features().size() - 1 << "), as the file names none; "
               << "columns are scored by position, or give their names with --feature-names\n";
    io.out << "\nsaved " << output << '\n';
    return kExitOk;
}

} // namespace plumb::cli
