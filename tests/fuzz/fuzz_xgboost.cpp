// libFuzzer target for the XGBoost model reader: each input is read as a model file
// (importXgboost, which tells JSON from UBJSON by its bytes and reads UBJSON with readUbjson).
// Every input must end in a model or a refusal without a crash, a sanitizer report or a hang. A
// refusal must name the file; an imported model must have a pipeline whose model takes as many
// features as it declares and scores a row of missing values and a row of zeros to finite numbers;
// a categorical feature (XGBoost's split_type 1 and categories* fields, seeded by
// tests/fuzz/corpus/xgboost) must declare its levels, at most 255 of them.

#include "interop/xgboostimporter.h"
#include "interop/xgboostubjson.h"

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace plumb;

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString name = QStringLiteral("fuzz.ubj");
    if (const Result<QJsonValue> value = readUbjson(bytes, name); !value && !value.error().message.startsWith(name))
        broken("a UBJSON refusal does not name the file");
    const Result<XgboostImport> imported = importXgboost(bytes, name);
    if (!imported) {
        if (!imported.error().message.startsWith(name + QLatin1String(": ")))
            broken("a refusal does not name the file");
        return 0;
    }
    if (!imported.value().imported.pipeline)
        broken("an import without a pipeline");
    const Model &model = imported.value().imported.pipeline->model();
    const Eigen::Index features = model.featureCount();
    if (features != Eigen::Index(imported.value().imported.pipeline->features().size()))
        broken("the model and the pipeline disagree on the features");
    for (const FeatureSpec &feature : imported.value().imported.pipeline->features())
        if (feature.type == ColumnType::Categorical && (feature.categories.isEmpty() || feature.categories.size() > 255))
            broken("a categorical feature without levels, or with more than 255");
    Eigen::MatrixXd rows(2, features);
    rows.row(0).setConstant(std::nan(""));
    rows.row(1).setZero();
    const Eigen::VectorXd predictions = model.predict(rows);
    if (!predictions.allFinite())
        broken("a prediction is not finite");
    return 0;
}
