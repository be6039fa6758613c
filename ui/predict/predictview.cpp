#include "ui/predict/predictview.h"

#include "ui/charts/barchart.h"
#include "ui/charts/chartstyle.h"
#include "ui/common/buttons.h"
#include "ui/common/displayformat.h"
#include "ui/common/emptystateview.h"
#include "ui/predict/batchscoringpanel.h"
#include "ui/predict/scoringform.h"

#include "ui/common/scrollpane.h"
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace plumb::ui {

namespace {

constexpr int kShownContributions = 12;
QColor kPositive()
{
    return chart::accent();
}
QColor kNegative()
{
    return themeColors().alert;
}
QColor kOtherClass()
{
    return themeColors().borderStrong;
}

// Three significant digits: enough to compare bars, short enough to sit beside them.
QString shortNumber(double value)
{
    return QString::number(value, 'g', 3).replace(u'-', QStringLiteral("\u2212"));
}

QString signedNumber(double value)
{
    return (value >= 0 ? QStringLiteral("+") : QString()) + shortNumber(value);
}

// What the base value is, in words, for the sentence under the chart.
QString baseMeaning(ShapMethod method)
{
    return method == ShapMethod::LinearShap ? QStringLiteral("the output at the training means, from the model file's profile")
                                            : QStringLiteral("the average over the training rows");
}

QString modelSubtitle(const LoadedModel &model)
{
    const TargetSpec &target = model.pipeline().target();
    const QString name = model.metadata().name.isEmpty() ? QFileInfo(model.path).completeBaseName() : model.metadata().name;
    const QString task = target.task == Task::Classification
        ? QStringLiteral("classifies '%1' into %2 classes").arg(target.name).arg(target.classes.size())
        : QStringLiteral("predicts '%1'").arg(target.name);
    return QStringLiteral("%1 (%2) %3 from %4 features")
        .arg(name, model.pipeline().model().kind(), task)
        .arg(model.pipeline().features().size());
}

} // namespace

PredictView::PredictView(QWidget *parent)
    : ViewFrame(QStringLiteral("Predict"), QStringLiteral("Score rows with a saved model."), parent), mTabs(new QTabWidget),
      mForm(new ScoringForm), mBatch(new BatchScoringPanel), mPrediction(new QLabel), mPredictionDetail(new QLabel),
      mWarnings(new QLabel), mProbabilities(new BarChart(QStringLiteral("Class probabilities"))),
      mContributions(new BarChart(QStringLiteral("Contributions to this prediction"))), mExplanationText(new QLabel),
      mNoExplanationCard(new QLabel)
{
    QPushButton *open = createHeaderButton(QStringLiteral("Open Model\u2026"));
    addAction(open);
    connect(open, &QPushButton::clicked, this, &PredictView::openModelRequested);

    EmptyStateView *empty = setEmptyState(
        QStringLiteral(":/icons/predict.svg"), QStringLiteral("No model open"),
        QStringLiteral("Open a .plumb model in the Models view (or here) to score rows with it: "
                       "type one row into a form built from the model's features and see the "
                       "prediction and why, or score a whole CSV file in the background."));
    connect(empty->addButton(QStringLiteral("Open Model\u2026")), &QPushButton::clicked, this, &PredictView::openModelRequested);

    mTabs->setObjectName(QStringLiteral("ModelDetails"));
    mTabs->setDocumentMode(true);
    mTabs->addTab(createRowPage(), QStringLiteral("Score one row"));
    mTabs->addTab(mBatch, QStringLiteral("Score a file"));
    addPage(mTabs);
    connect(mForm, &ScoringForm::valuesChanged, this, &PredictView::rescore);
}

PredictView::~PredictView() = default;

QWidget *PredictView::createRowPage()
{
    auto *formPane = new QWidget;
    formPane->setObjectName(QStringLiteral("TrainSetup"));
    auto *formLayout = new QVBoxLayout(formPane);
    formLayout->setContentsMargins(16, 14, 16, 14);
    auto *top = new QHBoxLayout;
    auto *heading = new QLabel(QStringLiteral("FEATURE VALUES"));
    heading->setObjectName(QStringLiteral("SectionHeading"));
    QPushButton *typical = createHeaderButton(QStringLiteral("Typical values"));
    typical->setToolTip(QStringLiteral("Fill every field with the training median or most frequent category"));
    connect(typical, &QPushButton::clicked, mForm, &ScoringForm::fillTypicalValues);
    top->addWidget(heading, 1);
    top->addWidget(typical);
    formLayout->addLayout(top);
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *card = new QWidget;
    card->setObjectName(QStringLiteral("Card"));
    auto *cardLayout = new QVBoxLayout(card);
    cardLayout->setContentsMargins(12, 12, 12, 12);
    cardLayout->addWidget(mForm);
    scroll->setWidget(card);
    formLayout->addWidget(scroll, 1);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(formPane);
    splitter->addWidget(scrollPane(createResultPane(), QStringLiteral("ResultsScroll")));
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({520, 780});
    return splitter;
}

QWidget *PredictView::createResultPane()
{
    auto *pane = new QWidget;
    pane->setObjectName(QStringLiteral("ResultsPanel"));
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(16, 14, 16, 14);
    layout->setSpacing(10);
    auto *card = new QFrame;
    card->setObjectName(QStringLiteral("Card"));
    auto *cardLayout = new QVBoxLayout(card);
    cardLayout->setContentsMargins(16, 12, 16, 12);
    auto *caption = new QLabel(QStringLiteral("PREDICTION"));
    caption->setObjectName(QStringLiteral("SectionHeading"));
    mPrediction->setObjectName(QStringLiteral("MetricValue"));
    mPrediction->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mPredictionDetail->setObjectName(QStringLiteral("CardText"));
    mWarnings->setWordWrap(true);
    mWarnings->setObjectName(QStringLiteral("WarningText"));
    cardLayout->addWidget(caption);
    cardLayout->addWidget(mPrediction);
    cardLayout->addWidget(mPredictionDetail);
    cardLayout->addWidget(mWarnings);
    layout->addWidget(card);
    mProbabilities->setMinimumHeight(150);
    layout->addWidget(mProbabilities, 2);
    mContributions->setMinimumHeight(240);
    layout->addWidget(mContributions, 3);
    mExplanationText->setObjectName(QStringLiteral("CardText"));
    mExplanationText->setWordWrap(true);
    mExplanationText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(mExplanationText);
    mNoExplanationCard->setObjectName(QStringLiteral("Card"));
    mNoExplanationCard->setWordWrap(true);
    mNoExplanationCard->setTextFormat(Qt::RichText);
    mNoExplanationCard->setContentsMargins(16, 12, 16, 12);
    mNoExplanationCard->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    mNoExplanationCard->setVisible(false);
    layout->addWidget(mNoExplanationCard, 3);
    return pane;
}

void PredictView::followDocument(ModelDocument *document)
{
    connect(document, &ModelDocument::modelLoaded, this, [this, document] { setModel(document->model()); });
}

void PredictView::setModel(LoadedModelPtr model)
{
    mModel = std::move(model);
    mScorer.reset();
    mExplainer.reset();
    mBatch->setModel(mModel);
    if (!mModel) {
        setSubtitle(QStringLiteral("Score rows with a saved model."));
        mForm->setModel(nullptr);
        showEmptyState();
        return;
    }
    mScorer = std::make_unique<RowScorer>(mModel->pipeline());
    createExplainer();
    setSubtitle(modelSubtitle(*mModel));
    const bool classifier = mModel->pipeline().target().task == Task::Classification;
    mProbabilities->setVisible(classifier);
    mForm->setModel(mModel);
    showPage(mTabs);
    mForm->fillTypicalValues();
}

void PredictView::clearResult(const QString &reason)
{
    mPredictionText.clear();
    mOutputs.clear();
    mPrediction->setText(QStringLiteral("\u2014"));
    mPredictionDetail->setText(reason);
    mProbabilities->showMessage(QStringLiteral("No prediction"));
    mContributions->showMessage(QStringLiteral("No prediction"));
    mExplanation = {};
    mExplanationText->clear();
}

void PredictView::rescore()
{
    if (!mModel || !mScorer)
        return;
    const QStringList warnings = mForm->warnings();
    mWarnings->setText(warnings.isEmpty() ? QString() : QStringLiteral("\u26a0 ") + warnings.join(QStringLiteral("\n\u26a0 ")));
    mWarnings->setVisible(!warnings.isEmpty());
    if (!mForm->isComplete()) {
        clearResult(QStringLiteral("Fill in the fields marked in red to score the row."));
        return;
    }
    const Pipeline &pipeline = mModel->pipeline();
    const std::vector<RowValue> values = mForm->values();
    mOutputs.assign(std::size_t(pipeline.model().rowOutputs()), 0.0);
    TransformNotes notes;
    QElapsedTimer timer;
    timer.start();
    const std::optional<Error> error = mScorer->score(values, mOutputs.data(), notes);
    const qint64 nanoseconds = timer.nsecsElapsed();
    if (error) {
        clearResult(error->message);
        return;
    }
    const QString timing = QStringLiteral("scored in %1 \u00b5s").arg(QString::number(double(nanoseconds) / 1000.0, 'f', 1));
    if (pipeline.target().task == Task::Classification) {
        const auto predicted = int(std::max_element(mOutputs.begin(), mOutputs.end()) - mOutputs.begin());
        mPredictionText = pipeline.target().classes.value(predicted);
        // The probability belongs to the predicted class: "churned = no with probability 67.4%",
        // never "'churned' with probability 67.4%", which reads as a 67% chance of churning.
        mPredictionDetail->setText(
            QStringLiteral("%1 = %2 with probability %3 \u00b7 %4")
                .arg(pipeline.target().name, mPredictionText, formatPercent(mOutputs[std::size_t(predicted)]), timing));
        showClassification(predicted);
        showContributions(predicted);
    } else {
        mPredictionText = formatNumber(mOutputs[0]);
        mPredictionDetail->setText(QStringLiteral("'%1' \u00b7 %2").arg(pipeline.target().name, timing));
        showContributions(0);
    }
    mPrediction->setText(mPredictionText);
}

QString PredictView::predictionDetail() const
{
    return mPredictionDetail->text();
}

void PredictView::showClassification(int predicted)
{
    const QStringList &classes = mModel->pipeline().target().classes;
    std::vector<BarChart::Bar> bars;
    for (int c = 0; c < int(mOutputs.size()) && c < 12; ++c)
        bars.push_back({classes.value(c), mOutputs[std::size_t(c)], c == predicted ? chart::accent() : kOtherClass(),
                        formatPercent(mOutputs[std::size_t(c)])});
    mProbabilities->showBars(bars, QStringLiteral("probability"), 0, 1);
}

double ShownExplanation::total() const
{
    return std::accumulate(values.begin(), values.end(), base);
}

// One explainer per opened model, built here once: every keystroke then costs one explain() call.
// Linear models are explained against the training means the model file's profile gives.
void PredictView::createExplainer()
{
    mExplainer.reset();
    mNoExplanation.clear();
    const Pipeline &pipeline = mModel->pipeline();
    Eigen::VectorXd means;
    const ShapAvailability availability = ShapExplainer::availability(pipeline, false);
    if (availability == ShapAvailability::NotForModelKind) {
        mNoExplanation = QStringLiteral(
                             "No exact explanation for %1 models.\n\nPlumb computes exact SHAP values only for decision "
                             "trees, random forests, gradient boosting and linear models. For this model kind it shows "
                             "no per-feature contributions rather than an estimate it cannot vouch for.")
                             .arg(pipeline.model().kind());
    } else if (availability == ShapAvailability::NeedsNodeCovers) {
        mNoExplanation = QStringLiteral("No SHAP values from this model file.\n\n%1")
                             .arg(ShapExplainer::unavailableReason(pipeline, availability,
                                                                   !mModel->metadata().importance.features.empty()));
    } else if (availability == ShapAvailability::NeedsTrainingMeans) {
        Result<Eigen::VectorXd> fromProfile = inputMeansFromProfile(pipeline, mModel->profiles);
        if (fromProfile)
            means = std::move(fromProfile).value();
        else
            mNoExplanation = QStringLiteral(
                                 "No exact explanation for this model.\n\nLinear SHAP needs the training mean of every "
                                 "feature, and this model file's reference profile cannot give them: %1")
                                 .arg(fromProfile.error().message);
    }
    if (mNoExplanation.isEmpty()) {
        Result<ShapExplainer> explainer = ShapExplainer::create(pipeline, means);
        if (explainer)
            mExplainer.emplace(std::move(explainer).value());
        else
            mNoExplanation = QStringLiteral("No exact explanation for this model.\n\n%1").arg(explainer.error().message);
    }
    if (mExplainer)
        mExplainerMethod = mExplainer->method() == ShapMethod::TreeShap ? QStringLiteral("exact TreeSHAP")
                                                                        : QStringLiteral("exact linear SHAP");
    mContributions->setVisible(mExplainer.has_value());
    mExplanationText->setVisible(mExplainer.has_value());
    mNoExplanationCard->setVisible(!mExplainer);
    // The first line is the heading; the rest says why.
    const QString heading = mNoExplanation.section(u'\n', 0, 0), reason = mNoExplanation.section(u'\n', 1).trimmed();
    mNoExplanationCard->setText(
        QStringLiteral("<p style='font-weight:600'>%1</p><p>%2</p>").arg(heading.toHtmlEscaped(), reason.toHtmlEscaped()));
}

QString PredictView::explanationText() const
{
    return mExplanationText->text();
}

// The SHAP values of the predicted class's output (three or more classes), of the second class's
// (two: "log-odds of 'yes'", whichever class is predicted, so the bars do not flip sign), or of
// the prediction (regression).
void PredictView::showContributions(int classIndex)
{
    mExplanation = {};
    mExplanationText->clear();
    if (!mExplainer)
        return;
    TransformNotes notes;
    if (auto error = mScorer->transform(mForm->values(), mInputs, notes)) {
        mContributions->showMessage(error->message);
        return;
    }
    const ShapExplainer &explainer = *mExplainer;
    const int outputs = explainer.outputCount();
    const int output = outputs == 1 ? 0 : std::clamp(classIndex, 0, outputs - 1);
    std::vector<double> phi(std::size_t(explainer.featureCount()) * std::size_t(outputs));
    explainer.explain(mInputs.data(), phi.data());
    ShownExplanation &shown = mExplanation;
    shown.output = explainer.outputs()[output];
    shown.method = mExplainerMethod;
    shown.base = explainer.baseValues()[std::size_t(output)];
    for (int f = 0; f < explainer.featureCount(); ++f)
        shown.values.push_back(phi[std::size_t(f * outputs + output)]);

    const auto &features = mModel->pipeline().features();
    std::vector<std::size_t> order(shown.values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return std::abs(shown.values[a]) > std::abs(shown.values[b]); });
    std::vector<BarChart::Bar> bars;
    double rest = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const double value = shown.values[order[i]];
        // All features when they fit; otherwise the largest and one bar for the rest.
        if (order.size() <= std::size_t(kShownContributions) + 1 || int(i) < kShownContributions)
            bars.push_back({features[order[i]].name, value, value >= 0 ? kPositive() : kNegative(), signedNumber(value)});
        else
            rest += value;
    }
    if (order.size() > std::size_t(kShownContributions) + 1)
        bars.push_back({QStringLiteral("%1 other features").arg(order.size() - kShownContributions), rest, chart::reference(),
                        signedNumber(rest)});
    const double total = shown.total();
    mContributions->setTitle(QStringLiteral("Contributions to the %1 (%2)").arg(shown.output, shown.method));
    mContributions->showBars(
        bars,
        QStringLiteral("base %1 + contributions %2 = %3 (%4)")
            .arg(shortNumber(shown.base), signedNumber(total - shown.base), shortNumber(total), shown.output));
    QString outcome = QStringLiteral("the model's %1 for this row").arg(shown.output);
    if (explainer.space() == QLatin1String("log-odds"))
        outcome += QStringLiteral(" (probability %1)").arg(formatPercent(1.0 / (1.0 + std::exp(-total))));
    const TargetSpec &target = mModel->pipeline().target();
    const QString of = target.task == Task::Classification ? QStringLiteral(" for '%1'").arg(target.name) : QString();
    mExplanationText->setText(
        QStringLiteral("Explained: the %1%2 (%3). Base value %4 (%5) + contributions %6 = %7, %8.")
            .arg(shown.output, of, shown.method, formatNumber(shown.base), baseMeaning(explainer.method()),
                 (total - shown.base >= 0 ? QStringLiteral("+") : QString()) + formatNumber(total - shown.base),
                 formatNumber(total), outcome));
}

} // namespace plumb::ui
