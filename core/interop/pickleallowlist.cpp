#include "interop/pickleallowlist.h"

#include <array>
#include <cstring>

namespace plumb {

namespace {

using R = GlobalRole;

// Exactly what the supported scikit-learn classes need when pickled by scikit-learn 1.0-1.5 with
// numpy 1.x or 2.x (numpy.core / numpy._core), and nothing else.
constexpr std::array kAllowed{
    // Estimators and the helper objects they hold.
    AllowedGlobal{"sklearn.pipeline", "Pipeline", R::PlainClass},
    AllowedGlobal{"sklearn.compose._column_transformer", "ColumnTransformer", R::PlainClass},
    AllowedGlobal{"sklearn.preprocessing._data", "StandardScaler", R::PlainClass},
    AllowedGlobal{"sklearn.preprocessing._data", "MinMaxScaler", R::PlainClass},
    AllowedGlobal{"sklearn.impute._base", "SimpleImputer", R::PlainClass},
    // A fitted ColumnTransformer's remainder='passthrough' branch (func None: the identity).
    AllowedGlobal{"sklearn.preprocessing._function_transformer", "FunctionTransformer", R::PlainClass},
    AllowedGlobal{"sklearn.preprocessing._encoders", "OneHotEncoder", R::PlainClass},
    AllowedGlobal{"sklearn.preprocessing._encoders", "OrdinalEncoder", R::PlainClass},
    AllowedGlobal{"sklearn.linear_model._base", "LinearRegression", R::PlainClass},
    AllowedGlobal{"sklearn.linear_model._ridge", "Ridge", R::PlainClass},
    AllowedGlobal{"sklearn.linear_model._coordinate_descent", "Lasso", R::PlainClass},
    AllowedGlobal{"sklearn.linear_model._coordinate_descent", "ElasticNet", R::PlainClass},
    AllowedGlobal{"sklearn.linear_model._logistic", "LogisticRegression", R::PlainClass},
    AllowedGlobal{"sklearn.tree._classes", "DecisionTreeClassifier", R::PlainClass},
    AllowedGlobal{"sklearn.tree._classes", "DecisionTreeRegressor", R::PlainClass},
    AllowedGlobal{"sklearn.tree._tree", "Tree", R::TreeClass},
    AllowedGlobal{"sklearn.ensemble._forest", "RandomForestClassifier", R::PlainClass},
    AllowedGlobal{"sklearn.ensemble._forest", "RandomForestRegressor", R::PlainClass},
    AllowedGlobal{"sklearn.ensemble._hist_gradient_boosting.gradient_boosting", "HistGradientBoostingClassifier", R::PlainClass},
    AllowedGlobal{"sklearn.ensemble._hist_gradient_boosting.gradient_boosting", "HistGradientBoostingRegressor", R::PlainClass},
    AllowedGlobal{"sklearn.ensemble._hist_gradient_boosting.binning", "_BinMapper", R::PlainClass},
    AllowedGlobal{"sklearn.ensemble._hist_gradient_boosting.predictor", "TreePredictor", R::PlainClass},
    AllowedGlobal{"sklearn.neighbors._classification", "KNeighborsClassifier", R::PlainClass},
    AllowedGlobal{"sklearn.neighbors._regression", "KNeighborsRegressor", R::PlainClass},
    AllowedGlobal{"sklearn.naive_bayes", "GaussianNB", R::PlainClass},
    // HistGradientBoosting losses and links (scikit-learn >= 1.1).
    AllowedGlobal{"sklearn._loss.loss", "HalfSquaredError", R::PlainClass},
    AllowedGlobal{"sklearn._loss.loss", "AbsoluteError", R::PlainClass},
    AllowedGlobal{"sklearn._loss.loss", "HalfPoissonLoss", R::PlainClass},
    AllowedGlobal{"sklearn._loss.loss", "HalfBinomialLoss", R::PlainClass},
    AllowedGlobal{"sklearn._loss.loss", "HalfMultinomialLoss", R::PlainClass},
    AllowedGlobal{"sklearn._loss.link", "IdentityLink", R::PlainClass},
    AllowedGlobal{"sklearn._loss.link", "LogLink", R::PlainClass},
    AllowedGlobal{"sklearn._loss.link", "LogitLink", R::PlainClass},
    AllowedGlobal{"sklearn._loss.link", "MultinomialLogit", R::PlainClass},
    AllowedGlobal{"sklearn._loss.link", "Interval", R::PlainClass},
    AllowedGlobal{"sklearn._loss._loss", "CyHalfSquaredError", R::TypeReference,
                  "sklearn._loss._loss.__pyx_unpickle_CyHalfSquaredError"},
    AllowedGlobal{"sklearn._loss._loss", "CyAbsoluteError", R::TypeReference,
                  "sklearn._loss._loss.__pyx_unpickle_CyAbsoluteError"},
    AllowedGlobal{"sklearn._loss._loss", "CyHalfPoissonLoss", R::TypeReference,
                  "sklearn._loss._loss.__pyx_unpickle_CyHalfPoissonLoss"},
    AllowedGlobal{"sklearn._loss._loss", "CyHalfBinomialLoss", R::TypeReference,
                  "sklearn._loss._loss.__pyx_unpickle_CyHalfBinomialLoss"},
    AllowedGlobal{"sklearn._loss._loss", "CyHalfMultinomialLoss", R::TypeReference,
                  "sklearn._loss._loss.__pyx_unpickle_CyHalfMultinomialLoss"},
    AllowedGlobal{"sklearn._loss._loss", "__pyx_unpickle_CyHalfSquaredError", R::CythonUnpickle},
    AllowedGlobal{"sklearn._loss._loss", "__pyx_unpickle_CyAbsoluteError", R::CythonUnpickle},
    AllowedGlobal{"sklearn._loss._loss", "__pyx_unpickle_CyHalfPoissonLoss", R::CythonUnpickle},
    AllowedGlobal{"sklearn._loss._loss", "__pyx_unpickle_CyHalfBinomialLoss", R::CythonUnpickle},
    AllowedGlobal{"sklearn._loss._loss", "__pyx_unpickle_CyHalfMultinomialLoss", R::CythonUnpickle},
    // KNeighbors with algorithm kd_tree / ball_tree, and their distance metrics.
    AllowedGlobal{"sklearn.neighbors._kd_tree", "newObj", R::NewObjFunction},
    AllowedGlobal{"sklearn.neighbors._kd_tree", "KDTree", R::TypeReference, "sklearn.neighbors._kd_tree.newObj"},
    AllowedGlobal{"sklearn.neighbors._ball_tree", "newObj", R::NewObjFunction},
    AllowedGlobal{"sklearn.neighbors._ball_tree", "BallTree", R::TypeReference, "sklearn.neighbors._ball_tree.newObj"},
    AllowedGlobal{"sklearn.metrics._dist_metrics", "newObj", R::NewObjFunction},
    AllowedGlobal{"sklearn.metrics._dist_metrics", "EuclideanDistance", R::TypeReference, "sklearn.metrics._dist_metrics.newObj"},
    AllowedGlobal{"sklearn.metrics._dist_metrics", "ManhattanDistance", R::TypeReference, "sklearn.metrics._dist_metrics.newObj"},
    AllowedGlobal{"sklearn.metrics._dist_metrics", "ChebyshevDistance", R::TypeReference, "sklearn.metrics._dist_metrics.newObj"},
    AllowedGlobal{"sklearn.metrics._dist_metrics", "MinkowskiDistance", R::TypeReference, "sklearn.metrics._dist_metrics.newObj"},
    AllowedGlobal{"sklearn.metrics._dist_metrics", "EuclideanDistance64", R::TypeReference,
                  "sklearn.metrics._dist_metrics.newObj"},
    AllowedGlobal{"sklearn.metrics._dist_metrics", "ManhattanDistance64", R::TypeReference,
                  "sklearn.metrics._dist_metrics.newObj"},
    AllowedGlobal{"sklearn.metrics._dist_metrics", "ChebyshevDistance64", R::TypeReference,
                  "sklearn.metrics._dist_metrics.newObj"},
    AllowedGlobal{"sklearn.metrics._dist_metrics", "MinkowskiDistance64", R::TypeReference,
                  "sklearn.metrics._dist_metrics.newObj"},
    // numpy arrays, dtypes and scalars, numpy 1.x and 2.x names.
    AllowedGlobal{"numpy", "ndarray", R::TypeReference},
    AllowedGlobal{"numpy", "dtype", R::NumpyDtype},
    AllowedGlobal{"numpy.core.multiarray", "_reconstruct", R::NumpyReconstruct},
    AllowedGlobal{"numpy._core.multiarray", "_reconstruct", R::NumpyReconstruct},
    AllowedGlobal{"numpy.core.multiarray", "scalar", R::NumpyScalar},
    AllowedGlobal{"numpy._core.multiarray", "scalar", R::NumpyScalar},
    AllowedGlobal{"numpy.core.numeric", "_frombuffer", R::NumpyFromBuffer},
    AllowedGlobal{"numpy._core.numeric", "_frombuffer", R::NumpyFromBuffer},
    AllowedGlobal{"numpy", "float64", R::TypeReference},
    AllowedGlobal{"numpy", "float32", R::TypeReference},
    AllowedGlobal{"numpy", "int64", R::TypeReference},
    AllowedGlobal{"numpy", "int32", R::TypeReference},
    AllowedGlobal{"numpy", "uint8", R::TypeReference},
    AllowedGlobal{"numpy", "bool_", R::TypeReference},
    AllowedGlobal{"numpy", "object_", R::TypeReference},
    // joblib's array record (joblib streams only; the machine checks that).
    AllowedGlobal{"joblib.numpy_pickle", "NumpyArrayWrapper", R::ArrayWrapper},
    // Python built-ins a protocol 2 stream needs for bytes, sets and slices.
    AllowedGlobal{"_codecs", "encode", R::CodecsEncode},
    AllowedGlobal{"builtins", "set", R::BuiltinSet},
    AllowedGlobal{"builtins", "frozenset", R::BuiltinFrozenSet},
    AllowedGlobal{"builtins", "bytes", R::BuiltinBytes},
    AllowedGlobal{"builtins", "slice", R::BuiltinSlice},
};

} // namespace

const AllowedGlobal *findAllowedGlobal(const QString &module, const QString &name)
{
    for (const AllowedGlobal &entry : kAllowed)
        if (module == QLatin1String(entry.module) && name == QLatin1String(entry.name))
            return &entry;
    return nullptr;
}

void mapPython2Name(QString &module, QString &name)
{
    // NAME_MAPPING is consulted before IMPORT_MAPPING. Its __builtin__ entries rename the object
    // (xrange -> range, unicode -> str ...), none of which is allowed: map them so they are refused
    // under their real Python 3 names.
    struct Renamed
    {
        const char *name;
        const char *module3;
        const char *name3;
    };
    static constexpr std::array kNameMapping{
        Renamed{"xrange", "builtins", "range"},   Renamed{"reduce", "functools", "reduce"}, Renamed{"intern", "sys", "intern"},
        Renamed{"unichr", "builtins", "chr"},     Renamed{"unicode", "builtins", "str"},    Renamed{"long", "builtins", "int"},
        Renamed{"basestring", "builtins", "str"},
    };
    if (module == QLatin1String("__builtin__")) {
        for (const Renamed &entry : kNameMapping) {
            if (name == QLatin1String(entry.name)) {
                module = QLatin1String(entry.module3);
                name = QLatin1String(entry.name3);
                return;
            }
        }
        module = QStringLiteral("builtins");
    } else if (module == QLatin1String("copy_reg")) {
        module = QStringLiteral("copyreg");
    }
}

} // namespace plumb
