#pragma once

// The real-data suite's manifest (manifest.json, written by make_realdata.py beside it) read into
// table rows, and the folder where the CLI suite leaves the models it trains for the Models view
// suite to open. Shared by tst_realdata and tst_realdata_modelsview.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <cmath>
#include <vector>

namespace plumb::test {

struct RealDataCase
{
    QString dataset;
    QString family;
    QJsonObject entry; // the dataset's manifest entry
    double sklearnScore = 0;
    double tolerance = 0;
    // The lowest and highest of scikit-learn's scores over its seeds (the families whose fit draws
    // random numbers) or its neighbour searches (knn, which break ties differently); NaN for the others.
    double sklearnMin = std::nan("");
    double sklearnMax = std::nan("");

    QString rowName() const { return dataset + QLatin1Char('/') + family; }
};

inline QString realDataDirectory()
{
    return QStringLiteral(PLUMB_TEST_DATA_DIR);
}

// Written by tst_realdata, read by tst_realdata_modelsview (CTest runs them in that order).
inline QString realDataModelsDirectory()
{
    return QStringLiteral(PLUMB_BINARY_DIR "/realdata-models");
}

// The model file of one (dataset, family) in realDataModelsDirectory().
inline QString realDataModelPath(const QString &dataset, const QString &family)
{
    return QDir(realDataModelsDirectory()).filePath(dataset + QLatin1String("__") + family + QLatin1String(".plumb"));
}

// Every (dataset, model family) of the manifest; empty with `error` set when it cannot be read.
inline std::vector<RealDataCase> readRealDataCases(QString &error)
{
    QFile file(QDir(realDataDirectory()).filePath(QStringLiteral("manifest.json")));
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot open %1").arg(file.fileName());
        return {};
    }
    QJsonParseError parseError;
    const QJsonObject manifest = QJsonDocument::fromJson(file.readAll(), &parseError).object();
    if (parseError.error != QJsonParseError::NoError) {
        error = QStringLiteral("%1: %2").arg(file.fileName(), parseError.errorString());
        return {};
    }
    const QJsonObject tolerances = manifest.value(QLatin1String("tolerance")).toObject();
    std::vector<RealDataCase> cases;
    for (const QJsonValue &value : manifest.value(QLatin1String("datasets")).toArray()) {
        const QJsonObject entry = value.toObject();
        const QJsonObject models = entry.value(QLatin1String("models")).toObject();
        for (auto it = models.begin(); it != models.end(); ++it) {
            const QJsonObject golden = it.value().toObject();
            RealDataCase c{entry.value(QLatin1String("name")).toString(), it.key(), entry,
                           golden.value(QLatin1String("sklearn")).toDouble()};
            c.sklearnMin = golden.value(QLatin1String("sklearn_min")).toDouble(std::nan(""));
            c.sklearnMax = golden.value(QLatin1String("sklearn_max")).toDouble(std::nan(""));
            c.tolerance = tolerances.value(c.family).toDouble(tolerances.value(QLatin1String("default")).toDouble());
            cases.push_back(c);
        }
    }
    if (cases.empty())
        error = QStringLiteral("%1 lists no (dataset, model) pairs").arg(file.fileName());
    return cases;
}

} // namespace plumb::test
