// Preprocessing steps against scikit-learn 1.2.
//
// Every expected value is read from tests/reference/golden/*.json (imputer_*, standard_scaler*,
// minmax_scaler, onehot_encoder, ordinal_encoder), written by tests/reference/make_sklearn_goldens.py
// from golden/preprocessing_train.csv (fitting) and golden/preprocessing_test.csv (transforming
// only; it holds the unseen categories Lisbon and enterprise). Where sklearn's arithmetic is the
// same as Plumb's (a median, a most frequent value, a constant, an encoding) the values must be
// equal; where the order of floating-point sums may differ (a mean, a standard deviation, a
// scaled value) within 1e-12 relative, or 1e-12 absolute for values below 1.

#include "goldenreader.h"
#include "learn/encoders.h"
#include "learn/imputer.h"
#include "learn/scalers.h"

#include <QJsonArray>
#include <QTest>

#include <cmath>
#include <set>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

constexpr double kRounding = 1e-12;

// The golden tables read as a ColumnRouter would hand them to a branch.
struct Tables
{
    test::GoldenTable train = test::GoldenTable::load(test::goldenPath(u"preprocessing_train.csv"_s));
    test::GoldenTable test = test::GoldenTable::load(test::goldenPath(u"preprocessing_test.csv"_s));
    QStringList problems() const { return train.problems() + test.problems(); }
};

Block numericBlock(test::GoldenTable &table, const QStringList &columns)
{
    Block block;
    block.names = columns;
    block.numbers = table.numbers(columns);
    return block;
}

// A categorical block. Without `vocabularies`, each column's vocabulary is its own sorted values;
// with them, codes index the given (training) vocabularies and other values are kUnknownCode,
// as ColumnRouter reads rows it was not fitted on. An empty field is kMissingCode.
Block textBlock(test::GoldenTable &table, const QStringList &columns, const std::vector<QStringList> *vocabularies = nullptr)
{
    Block block;
    block.names = columns;
    for (qsizetype c = 0; c < columns.size(); ++c) {
        const QStringList values = table.text(columns[c]);
        QStringList vocabulary;
        if (vocabularies) {
            vocabulary = (*vocabularies)[std::size_t(c)];
        } else {
            std::set<QString> present;
            for (const QString &value : values)
                if (!value.isEmpty())
                    present.insert(value);
            vocabulary = QStringList(present.begin(), present.end());
        }
        std::vector<std::int32_t> codes;
        for (const QString &value : values) {
            const qsizetype position = vocabulary.indexOf(value);
            codes.push_back(value.isEmpty() ? kMissingCode : position < 0 ? kUnknownCode : std::int32_t(position));
        }
        block.codes.push_back(std::move(codes));
        block.vocabularies.push_back(vocabulary);
    }
    return block;
}

// A categorical block as rows of text, for comparing with an imputer's text output.
QList<QStringList> textRows(const Block &block)
{
    QList<QStringList> rows(block.rows());
    for (std::size_t c = 0; c < block.codes.size(); ++c)
        for (Eigen::Index r = 0; r < block.rows(); ++r) {
            const std::int32_t code = block.codes[c][std::size_t(r)];
            rows[r].append(code >= 0                  ? block.vocabularies[c].value(code)
                               : code == kMissingCode ? u"<missing>"_s
                                                      : u"<unknown>"_s);
        }
    return rows;
}

// Rows of text as one line for QCOMPARE: "a|b; c|d".
QString joined(const QList<QStringList> &rows)
{
    QStringList lines;
    for (const QStringList &row : rows)
        lines.append(row.join(u'|'));
    return lines.join(u"; "_s);
}

QString number(double value)
{
    return QString::number(value, 'g', 17);
}

// Empty when |actual - expected| <= tolerance * max(1, |expected|) for every element (NaN matches
// NaN); otherwise the shape mismatch or the first few elements that differ.
QString mismatches(const QString &what, const Eigen::MatrixXd &actual, const Eigen::MatrixXd &expected, double tolerance)
{
    if (actual.rows() != expected.rows() || actual.cols() != expected.cols())
        return u"%1: Plumb gives %2 x %3, sklearn %4 x %5"_s.arg(what)
            .arg(actual.rows())
            .arg(actual.cols())
            .arg(expected.rows())
            .arg(expected.cols());
    QStringList found;
    for (Eigen::Index r = 0; r < expected.rows(); ++r)
        for (Eigen::Index c = 0; c < expected.cols(); ++c) {
            const double a = actual(r, c), e = expected(r, c);
            const bool same = (std::isnan(a) && std::isnan(e)) || std::fabs(a - e) <= tolerance * std::max(1.0, std::fabs(e));
            if (!same && found.size() < 5)
                found.append(u"%1(%2, %3): Plumb %4, sklearn %5"_s.arg(what).arg(r).arg(c).arg(number(a), number(e)));
        }
    return found.join(u"; "_s);
}

std::unique_ptr<Transformer> imputer(const QString &strategy)
{
    auto step = std::make_unique<SimpleImputer>();
    step->setParam(u"strategy"_s, strategy);
    return step;
}

// A fitted scaler's attributes under sklearn's names.
QList<std::pair<QString, Eigen::VectorXd>> fittedAttributes(const Transformer &step)
{
    if (const auto *standard = dynamic_cast<const StandardScaler *>(&step))
        return {{u"mean_"_s, standard->means()}, {u"scale_"_s, standard->scales()}};
    if (const auto *minMax = dynamic_cast<const MinMaxScaler *>(&step))
        return {{u"data_min_"_s, minMax->minima()}, {u"scale_"_s, minMax->scales()}};
    return {};
}

const std::vector<QStringList> &encoderCategories(const Transformer &step)
{
    if (const auto *oneHot = dynamic_cast<const OneHotEncoder *>(&step))
        return oneHot->categories();
    return dynamic_cast<const OrdinalEncoder &>(step).categories();
}

// How many test values sklearn's output marks as unseen: a one-hot column block of all zeros
// (the input was imputed, so no value is missing), or an ordinal -1.
std::size_t unseenIn(const Eigen::MatrixXd &encoded, const QList<QStringList> &categories, bool oneHot)
{
    std::size_t unseen = 0;
    for (Eigen::Index r = 0; r < encoded.rows(); ++r) {
        Eigen::Index offset = 0;
        for (const QStringList &column : categories) {
            const Eigen::Index width = oneHot ? column.size() : 1;
            const auto block = encoded.row(r).segment(offset, width);
            unseen += oneHot ? (block.sum() == 0.0 ? 1 : 0) : (block[0] == -1.0 ? 1 : 0);
            offset += width;
        }
    }
    return unseen;
}

} // namespace

class TestPreprocessing : public QObject
{
    Q_OBJECT

private slots:
    void imputerMatchesSklearn_data();
    void imputerMatchesSklearn();
    void scalerMatchesSklearn_data();
    void scalerMatchesSklearn();
    void encoderMatchesSklearn_data();
    void encoderMatchesSklearn();
};

void TestPreprocessing::imputerMatchesSklearn_data()
{
    QTest::addColumn<QString>("golden");
    QTest::addColumn<QString>("call"); // the golden's "sklearn" field names it
    QTest::addColumn<bool>("text"); // the text columns (else the numeric ones)
    QTest::addColumn<QVariantMap>("params");
    QTest::addColumn<double>("tolerance");

    const auto strategy = [](const char *name) { return QVariantMap{{u"strategy"_s, QString::fromLatin1(name)}}; };
    // A mean is a sum in some order: numpy's pairwise sum and Eigen's may round differently.
    QTest::newRow("mean-numeric") << u"imputer_mean"_s << u"numeric: SimpleImputer(strategy='mean')"_s << false
                                  << strategy("mean") << kRounding;
    QTest::newRow("median-numeric") << u"imputer_median"_s << u"numeric: SimpleImputer(strategy='median')"_s << false
                                    << strategy("median") << 0.0;
    QTest::newRow("most-frequent-numeric") << u"imputer_most_frequent"_s << u"numeric: SimpleImputer(strategy='most_frequent')"_s
                                           << false << strategy("most_frequent") << 0.0;
    QTest::newRow("most-frequent-text") << u"imputer_most_frequent"_s << u"text: SimpleImputer(strategy='most_frequent')"_s
                                        << true << strategy("most_frequent") << 0.0;
    QTest::newRow("constant-numeric") << u"imputer_constant"_s << u"numeric: SimpleImputer(strategy='constant', fill_value=0)"_s
                                      << false << QVariantMap{{u"strategy"_s, u"constant"_s}, {u"fill_value"_s, 0.0}} << 0.0;
    QTest::newRow("constant-text") << u"imputer_constant"_s << u"text: SimpleImputer(strategy='constant', fill_value='missing')"_s
                                   << true << QVariantMap{{u"strategy"_s, u"constant"_s}, {u"fill_text"_s, u"missing"_s}} << 0.0;
}

void TestPreprocessing::imputerMatchesSklearn()
{
    QFETCH(QString, golden);
    QFETCH(QString, call);
    QFETCH(bool, text);
    QFETCH(QVariantMap, params);
    QFETCH(double, tolerance);

    test::GoldenCase expected = test::GoldenCase::load(test::goldenPath(golden + u".json"_s));
    QVERIFY2(expected.text(u"sklearn"_s).contains(call), qPrintable(expected.text(u"sklearn"_s)));
    const QString part = text ? u"expected.text."_s : u"expected.numeric."_s;
    const QStringList columns = expected.strings(part + u"columns"_s);
    Tables tables;
    const Block train = text ? textBlock(tables.train, columns) : numericBlock(tables.train, columns);
    const Block test = text ? textBlock(tables.test, columns) : numericBlock(tables.test, columns);
    QVERIFY2(tables.problems().isEmpty(), qPrintable(tables.problems().join(u"\n"_s)));

    SimpleImputer step;
    for (auto it = params.cbegin(); it != params.cend(); ++it)
        QVERIFY(!step.setParam(it.key(), it.value()));
    const Result<Block> fitted = step.fitTransform(train);
    QVERIFY2(fitted.ok(), qPrintable(fitted.ok() ? QString() : fitted.error().message));
    TransformNotes notes;
    const Block transformed = step.transform(test, notes);

    if (text) {
        const QStringList statistics = expected.strings(part + u"statistics_"_s);
        const QList<QStringList> trainRows = expected.stringRows(part + u"transform_train"_s);
        const QList<QStringList> testRows = expected.stringRows(part + u"transform_test"_s);
        QVERIFY2(expected.problems().isEmpty(), qPrintable(expected.problems().join(u"\n"_s)));
        QCOMPARE(step.categoricalFills(), statistics);
        QCOMPARE(joined(textRows(fitted.value())), joined(trainRows));
        QCOMPARE(joined(textRows(transformed)), joined(testRows));
        return;
    }
    const Eigen::VectorXd statistics = expected.vector(part + u"statistics_"_s);
    const Eigen::MatrixXd trainValues = expected.matrix(part + u"transform_train"_s);
    const Eigen::MatrixXd testValues = expected.matrix(part + u"transform_test"_s);
    QVERIFY2(expected.problems().isEmpty(), qPrintable(expected.problems().join(u"\n"_s)));
    QString differences = mismatches(u"statistics_"_s, step.numericFills(), statistics, tolerance);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    differences = mismatches(u"transform_train"_s, fitted.value().numbers, trainValues, tolerance);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    differences = mismatches(u"transform_test"_s, transformed.numbers, testValues, tolerance);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
}

void TestPreprocessing::scalerMatchesSklearn_data()
{
    QTest::addColumn<QString>("golden");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("imputeFirst"); // SimpleImputer(strategy='median') fitted on the training table, as the golden's input

    QTest::newRow("standard-after-median-imputer") << u"standard_scaler"_s << u"standard_scaler"_s << true;
    // NaN is left out of mean_ and scale_ and passes through as NaN (null in the golden).
    QTest::newRow("standard-missing-values-kept") << u"standard_scaler_missing"_s << u"standard_scaler"_s << false;
    QTest::newRow("min-max-after-median-imputer") << u"minmax_scaler"_s << u"min_max_scaler"_s << true;
}

void TestPreprocessing::scalerMatchesSklearn()
{
    QFETCH(QString, golden);
    QFETCH(QString, kind);
    QFETCH(bool, imputeFirst);

    test::GoldenCase expected = test::GoldenCase::load(test::goldenPath(golden + u".json"_s));
    const QStringList columns = expected.strings(u"expected.numeric.columns"_s);
    Tables tables;
    Block train = numericBlock(tables.train, columns);
    Block test = numericBlock(tables.test, columns);
    QVERIFY2(tables.problems().isEmpty(), qPrintable(tables.problems().join(u"\n"_s)));
    TransformNotes notes;
    if (imputeFirst) {
        const std::unique_ptr<Transformer> median = imputer(u"median"_s);
        Result<Block> imputed = median->fitTransform(train);
        QVERIFY(imputed.ok());
        train = std::move(imputed).value();
        test = median->transform(test, notes);
    }

    const std::unique_ptr<Transformer> scaler = createTransformer(kind);
    QVERIFY(scaler);
    const Result<Block> fitted = scaler->fitTransform(train);
    QVERIFY2(fitted.ok(), qPrintable(fitted.ok() ? QString() : fitted.error().message));
    const Block transformed = scaler->transform(test, notes);

    const auto attributes = fittedAttributes(*scaler);
    QVERIFY(!attributes.isEmpty());
    for (const auto &[name, values] : attributes) {
        const QString differences = mismatches(name, values, expected.vector(u"expected.numeric."_s + name), kRounding);
        QVERIFY2(differences.isEmpty(), qPrintable(differences));
    }
    QString differences = mismatches(u"transform_train"_s, fitted.value().numbers,
                                     expected.matrix(u"expected.numeric.transform_train"_s), kRounding);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    differences = mismatches(u"transform_test"_s, transformed.numbers, expected.matrix(u"expected.numeric.transform_test"_s),
                             kRounding);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    QVERIFY2(expected.problems().isEmpty(), qPrintable(expected.problems().join(u"\n"_s)));
}

void TestPreprocessing::encoderMatchesSklearn_data()
{
    QTest::addColumn<QString>("golden");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("trainingVocabulary"); // test values coded as ColumnRouter codes them

    QTest::newRow("one-hot") << u"onehot_encoder"_s << u"one_hot_encoder"_s << false;
    QTest::newRow("one-hot-unknown-codes") << u"onehot_encoder"_s << u"one_hot_encoder"_s << true;
    QTest::newRow("ordinal") << u"ordinal_encoder"_s << u"ordinal_encoder"_s << false;
    QTest::newRow("ordinal-unknown-codes") << u"ordinal_encoder"_s << u"ordinal_encoder"_s << true;
}

// The goldens encode the text columns after SimpleImputer(strategy='most_frequent') fitted on the
// training table; unseen test categories become zeros (one-hot) or -1 (ordinal), and Plumb counts
// them in TransformNotes.
void TestPreprocessing::encoderMatchesSklearn()
{
    QFETCH(QString, golden);
    QFETCH(QString, kind);
    QFETCH(bool, trainingVocabulary);

    test::GoldenCase expected = test::GoldenCase::load(test::goldenPath(golden + u".json"_s));
    const QStringList columns = expected.strings(u"expected.text.columns"_s);
    Tables tables;
    const Block rawTrain = textBlock(tables.train, columns);
    const Block rawTest = textBlock(tables.test, columns, trainingVocabulary ? &rawTrain.vocabularies : nullptr);
    QVERIFY2(tables.problems().isEmpty(), qPrintable(tables.problems().join(u"\n"_s)));
    const std::unique_ptr<Transformer> mostFrequent = imputer(u"most_frequent"_s);
    Result<Block> train = mostFrequent->fitTransform(rawTrain);
    QVERIFY(train.ok());
    TransformNotes imputerNotes;
    const Block test = mostFrequent->transform(rawTest, imputerNotes);

    const std::unique_ptr<Transformer> encoder = createTransformer(kind);
    QVERIFY(encoder);
    const Result<Block> fitted = encoder->fitTransform(train.value());
    QVERIFY2(fitted.ok(), qPrintable(fitted.ok() ? QString() : fitted.error().message));
    TransformNotes trainNotes, testNotes;
    const Block encodedTrain = encoder->transform(train.value(), trainNotes);
    const Block encodedTest = encoder->transform(test, testNotes);

    const QJsonArray categoriesJson = expected.value(u"expected.text.categories_"_s).toArray();
    QList<QStringList> categories;
    for (const QJsonValue &column : categoriesJson) {
        QStringList names;
        for (const QJsonValue &name : column.toArray())
            names.append(name.toString());
        categories.push_back(names);
    }
    const Eigen::MatrixXd expectedTrain = expected.matrix(u"expected.text.transform_train"_s);
    const Eigen::MatrixXd expectedTest = expected.matrix(u"expected.text.transform_test"_s);
    const bool oneHot = kind == u"one_hot_encoder"_s;
    const QStringList names = oneHot ? expected.strings(u"expected.text.feature_names_out"_s) : columns;
    QVERIFY2(expected.problems().isEmpty(), qPrintable(expected.problems().join(u"\n"_s)));

    const std::vector<QStringList> &fittedCategories = encoderCategories(*encoder);
    QCOMPARE(joined(QList<QStringList>(fittedCategories.begin(), fittedCategories.end())), joined(categories));
    QCOMPARE(fitted.value().names, names);
    QString differences = mismatches(u"transform_train"_s, fitted.value().numbers, expectedTrain, 0.0);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    differences = mismatches(u"transform_train (again)"_s, encodedTrain.numbers, expectedTrain, 0.0);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));
    differences = mismatches(u"transform_test"_s, encodedTest.numbers, expectedTest, 0.0);
    QVERIFY2(differences.isEmpty(), qPrintable(differences));

    QCOMPARE(trainNotes.unknownCategories, std::size_t(0));
    const std::size_t unseen = unseenIn(expectedTest, categories, oneHot);
    QCOMPARE(unseen, std::size_t(2)); // Lisbon and enterprise, by the note in the golden
    QCOMPARE(testNotes.unknownCategories, unseen);
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestPreprocessing)
#include "tst_preprocessing.moc"
