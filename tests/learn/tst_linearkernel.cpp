// The linear scoring kernel: the batch form (blocks of rows on every thread, several features per
// pass) gives, bit for bit, the one-row form's value and the plain sum written out here in the
// documented order ((0 + x0 w0) + x1 w1 + ...) + b, for feature counts on every side of the
// kernel's pass width and row counts that end mid-block.

#include "learn/linearkernel.h"

#include <QTest>

#include <cstring>
#include <random>

namespace plumb {

namespace {

// Rows spanning two full scoring blocks and part of a third (the kernel's blocks are 16384 rows).
constexpr Eigen::Index kRows = 2 * 16384 + 37;

// Values of both signs and several magnitudes, with exact zeros and negative zeros mixed in, so
// that any change to the order of the additions shows in the last bits.
Eigen::MatrixXd randomMatrix(Eigen::Index rows, Eigen::Index cols, unsigned seed)
{
    std::mt19937_64 generator(seed);
    std::uniform_real_distribution<double> unit(-1.0, 1.0);
    std::uniform_int_distribution<int> exponent(-20, 20), pick(0, 19);
    Eigen::MatrixXd matrix(rows, cols);
    for (Eigen::Index c = 0; c < cols; ++c)
        for (Eigen::Index r = 0; r < rows; ++r) {
            const int kind = pick(generator);
            matrix(r, c) = kind == 0 ? 0.0 : kind == 1 ? -0.0 : std::ldexp(unit(generator), exponent(generator));
        }
    return matrix;
}

// The documented order, written out: ((0 + x0 w0) + x1 w1 + ...) + b.
double plainScore(const Eigen::MatrixXd &X, Eigen::Index row, const Eigen::MatrixXd &W, const Eigen::VectorXd &b,
                  Eigen::Index output)
{
    double sum = 0.0;
    for (Eigen::Index j = 0; j < W.rows(); ++j)
        sum = sum + X(row, j) * W(j, output);
    return sum + b[output];
}

bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof(double)) == 0;
}

} // namespace

class TestLinearKernel : public QObject
{
    Q_OBJECT

private slots:
    void batchMatchesRowAndPlainSum_data();
    void batchMatchesRowAndPlainSum();
};

void TestLinearKernel::batchMatchesRowAndPlainSum_data()
{
    QTest::addColumn<int>("features");
    QTest::addColumn<int>("outputs");
    // Counts below, at and around multiples of the five features added per pass.
    for (int features : {0, 1, 2, 4, 5, 6, 9, 10, 11, 14, 20, 23})
        for (int outputs : {1, 3})
            QTest::addRow("%d features, %d outputs", features, outputs) << features << outputs;
}

void TestLinearKernel::batchMatchesRowAndPlainSum()
{
    QFETCH(int, features);
    QFETCH(int, outputs);
    const Eigen::MatrixXd X = randomMatrix(kRows, features, 7u + unsigned(features));
    const Eigen::MatrixXd W = randomMatrix(features, outputs, 101u + unsigned(features));
    const Eigen::VectorXd b = randomMatrix(outputs, 1, 211u).col(0);

    Eigen::MatrixXd batch(kRows, outputs);
    linearScores(X, W, b, batch.data());
    std::vector<double> row(static_cast<std::size_t>(outputs));
    int mismatches = 0;
    QString first;
    for (Eigen::Index r = 0; r < kRows; ++r) {
        const Eigen::RowVectorXd x = X.row(r);
        linearScoresRow(x.data(), W, b, row.data());
        for (Eigen::Index c = 0; c < outputs; ++c) {
            const double plain = plainScore(X, r, W, b, c);
            if (sameBits(batch(r, c), plain) && sameBits(row[std::size_t(c)], plain))
                continue;
            if (mismatches++ == 0)
                first = QStringLiteral("row %1, output %2: batch %3, row %4, plain sum %5")
                            .arg(r)
                            .arg(c)
                            .arg(batch(r, c), 0, 'g', 17)
                            .arg(row[std::size_t(c)], 0, 'g', 17)
                            .arg(plain, 0, 'g', 17);
        }
    }
    QVERIFY2(mismatches == 0, qPrintable(QStringLiteral("%1 scores differ; first: %2").arg(mismatches).arg(first)));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestLinearKernel)
#include "tst_linearkernel.moc"
