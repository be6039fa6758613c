// Linear models: LinearRegression, Ridge, Lasso, ElasticNet and LogisticRegression.

#include "interop/sklearnconversion.h"

namespace plumb {

namespace {

// intercept_ as one number: a float, a numpy scalar, or a one-element array.
Result<double> scalarIntercept(const SklearnGraphReader &reader, const GraphRef &ref)
{
    if (Result<double> value = reader.real(ref))
        return value;
    Result<Eigen::VectorXd> vector = reader.vector(ref, 1);
    if (!vector)
        return reader.mismatch(ref, QStringLiteral("a float or a float64 array of shape (1,)"));
    return vector.value()[0];
}

// Copies the scikit-learn hyperparameters Plumb's model also has, so the model file shows them.
void copyParams(const ConversionContext &context, const GraphRef &ref, Model &model, const QStringList &names)
{
    for (const QString &name : names)
        if (const auto value = context.reader.optionalAttribute(ref, name))
            if (Result<double> number = context.reader.real(*value))
                model.setParam(name, number.value());
}

// Regressors: prediction = X coef_ + intercept_, as Plumb's linear models compute it.
Result<ConvertedModel> linearRegressor(ConversionContext &context, const GraphRef &ref, const QString &kind, Eigen::Index inputs)
{
    const SklearnGraphReader &reader = context.reader;
    Result<GraphRef> coefRef = reader.attribute(ref, QStringLiteral("coef_"));
    Result<GraphRef> interceptRef = reader.attribute(ref, QStringLiteral("intercept_"));
    if (!coefRef || !interceptRef)
        return !coefRef ? coefRef.error() : interceptRef.error();
    Result<Eigen::VectorXd> coef = reader.vector(coefRef.value(), inputs);
    if (!coef)
        return coef.error();
    Result<double> intercept = scalarIntercept(reader, interceptRef.value());
    if (!intercept)
        return intercept.error();
    ComponentState state;
    state.values.insert(QStringLiteral("intercept"), intercept.value());
    state.arrays[QStringLiteral("coefficients")] = Tensor::fromVector(coef.value());
    Result<ConvertedModel> converted = restoreModel(context, ref, kind, regressorTarget(), state, inputs);
    if (converted)
        copyParams(context, ref, *converted.value().model, {QStringLiteral("alpha"), QStringLiteral("l1_ratio")});
    return converted;
}

// How LogisticRegression turned scores into probabilities: "ovr" (a sigmoid per class) or
// "multinomial" (softmax), after resolving multi_class='auto' as scikit-learn 1.x does.
Result<QString> multiClassScheme(const SklearnGraphReader &reader, const GraphRef &ref, qsizetype classes)
{
    QString scheme = QStringLiteral("auto"), solver = QStringLiteral("lbfgs");
    if (const auto value = reader.optionalAttribute(ref, QStringLiteral("multi_class"))) {
        Result<QString> text = reader.text(*value);
        if (!text)
            return text.error();
        scheme = text.value();
    }
    if (const auto value = reader.optionalAttribute(ref, QStringLiteral("solver"))) {
        Result<QString> text = reader.text(*value);
        if (!text)
            return text.error();
        solver = text.value();
    }
    if (scheme == QLatin1String("auto"))
        scheme = classes == 2 || solver == QLatin1String("liblinear") ? QStringLiteral("ovr") : QStringLiteral("multinomial");
    if (scheme != QLatin1String("ovr") && scheme != QLatin1String("multinomial"))
        return SklearnGraphReader::at(ref, QStringLiteral("multi_class='%1' is not supported").arg(scheme));
    return scheme;
}

// LogisticRegression. Two classes, one-vs-rest: P(class 1) = sigmoid(x coef_[0] + intercept_[0]),
// Plumb's binary model exactly. Two classes, multinomial: scikit-learn takes the softmax of
// (-s, s), which is sigmoid(2 s): coefficients and intercept are doubled (exact in binary floating
// point). More classes, multinomial: softmax over the k scores, as Plumb's. One-vs-rest with more
// than two classes normalises k sigmoids, which Plumb's model cannot express: refused.
Result<ConvertedModel> logisticRegression(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs)
{
    const SklearnGraphReader &reader = context.reader;
    Result<TargetSpec> target = classifierTarget(context, ref);
    if (!target)
        return target.error();
    const qsizetype classes = target.value().classes.size();
    Result<QString> scheme = multiClassScheme(reader, ref, classes);
    if (!scheme)
        return scheme.error();
    if (classes > 2 && scheme.value() == QLatin1String("ovr"))
        return SklearnGraphReader::at(ref,
                                      QStringLiteral("one-vs-rest with %1 classes is not supported; Plumb's logistic regression "
                                                     "is multinomial")
                                          .arg(classes));
    const Eigen::Index rows = classes == 2 ? 1 : classes;
    Result<GraphRef> coefRef = reader.attribute(ref, QStringLiteral("coef_"));
    Result<GraphRef> interceptRef = reader.attribute(ref, QStringLiteral("intercept_"));
    if (!coefRef || !interceptRef)
        return !coefRef ? coefRef.error() : interceptRef.error();
    Result<Eigen::MatrixXd> coef = reader.matrix(coefRef.value(), rows, inputs);
    if (!coef)
        return coef.error();
    Result<Eigen::VectorXd> intercept = reader.vector(interceptRef.value(), rows);
    if (!intercept)
        return intercept.error();
    Eigen::MatrixXd coefficients = coef.value().transpose(); // Plumb's layout: features x scores
    Eigen::VectorXd intercepts = intercept.value();
    if (classes == 2 && scheme.value() == QLatin1String("multinomial")) {
        coefficients *= 2.0;
        intercepts *= 2.0;
    }
    ComponentState state;
    state.values.insert(QStringLiteral("classes"), int(classes));
    state.arrays[QStringLiteral("coefficients")] = Tensor::fromMatrix(coefficients);
    state.arrays[QStringLiteral("intercepts")] = Tensor::fromVector(intercepts);
    Result<ConvertedModel> converted = restoreModel(context, ref, QStringLiteral("logistic_regression"), target.value(), state,
                                                    inputs);
    if (converted)
        copyParams(context, ref, *converted.value().model, {QStringLiteral("C")});
    return converted;
}

} // namespace

Result<ConvertedModel> convertLinearModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs)
{
    const QString name = context.sklearnClass(ref);
    if (name == QLatin1String("LogisticRegression"))
        return logisticRegression(context, ref, inputs);
    const QString kind = name == QLatin1String("LinearRegression") ? QStringLiteral("linear_regression")
        : name == QLatin1String("Ridge")                           ? QStringLiteral("ridge")
        : name == QLatin1String("Lasso")                           ? QStringLiteral("lasso")
                                                                   : QStringLiteral("elastic_net");
    return linearRegressor(context, ref, kind, inputs);
}

} // namespace plumb
