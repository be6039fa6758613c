#pragma once

#include <Eigen/Core>

#include <vector>

namespace plumb {

// Training rows stored one after another, as the neighbour search reads them.
using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// One neighbour of a query: a training row and its squared Euclidean distance, computed as
// sum_j (q_j - x_j)^2 in feature order, in double precision, without fused multiply-adds (the
// arithmetic of scikit-learn's KD-tree, so the distances are the same doubles).
struct Neighbour
{
    double squaredDistance = 0;
    Eigen::Index row = 0;

    // Nearer first; equally near rows in training order.
    bool operator<(const Neighbour &other) const
    {
        return squaredDistance < other.squaredDistance || (squaredDistance == other.squaredDistance && row < other.row);
    }
};

// Exact k-nearest-neighbour search under the Euclidean metric over a fixed set of training rows.
//
// Brute force, arranged for speed: a float32 copy of the centred, scaled training rows is scanned
// with a register-blocked kernel (16 queries against 6 rows at a time, cache-sized blocks of rows,
// query chunks spread over workerCount() threads) that computes ||x||^2 - 2 q.x and keeps a row
// only when it could beat the query's current k-th nearest. The float32 value is never trusted:
// the threshold is widened by a rigorous bound on its rounding error, and every row that passes
// is measured again exactly (Neighbour's arithmetic). So the result is exactly the k rows with the
// smallest (distance, row) pairs, whatever the float32 arithmetic does. Queries the float32 copy
// cannot represent safely (non-finite or far outside the training range) fall back to an exact
// scan of every row.
class NeighbourSearch
{
public:
    NeighbourSearch() = default;
    // Takes the training rows (n x p, finite).
    explicit NeighbourSearch(RowMajorMatrix training);

    const RowMajorMatrix &training() const { return mTraining; }
    Eigen::Index rowCount() const { return mTraining.rows(); }
    Eigen::Index featureCount() const { return mTraining.cols(); }

    // The k nearest training rows of every row of `queries` (m x p), nearest first: out holds
    // m * k neighbours, query i's at [i * k, (i + 1) * k). k is clamped to 1..rowCount().
    void search(const Eigen::MatrixXd &queries, Eigen::Index k, std::vector<Neighbour> &out) const;
    // The k nearest rows of one query of p values into `out` (k entries), nearest first. Reuses
    // the calling thread's scratch space, so repeated calls do not allocate.
    void searchOne(const double *query, Eigen::Index k, Neighbour *out) const;

    // The effective k for a requested one.
    Eigen::Index clampedK(Eigen::Index k) const;

private:
    struct QueryChunk;
    void buildFilter();
    bool prepareQuery(const double *query, float *lane, Eigen::Index stride, double &normSquared, double &margin) const;
    void loadChunk(QueryChunk &chunk, const double *queries, Eigen::Index count, Eigen::Index k, Eigen::Index tileLanes) const;
    template<int Width> void finishChunk(QueryChunk &chunk, Neighbour *out) const;
    template<int Width> void scanChunk(QueryChunk &chunk) const;
    template<int Width> void scanTile(QueryChunk &chunk, Eigen::Index tile, Eigen::Index first, Eigen::Index count) const;
    void offer(QueryChunk &chunk, Eigen::Index query, Eigen::Index row) const;
    void updateThreshold(QueryChunk &chunk, Eigen::Index query) const;
    double exactSquaredDistance(const double *query, Eigen::Index row) const;

    RowMajorMatrix mTraining;
    // The filter's copy: (x - centre) * scale in float32, rows padded to a multiple of 4.
    Eigen::VectorXd mCentre;
    double mScale = 1;
    bool mFilterUsable = false;
    Eigen::Index mPaddedRows = 0;
    std::vector<float> mPackedRows; // mPaddedRows x p, row-major
    std::vector<float> mPackedNorms; // ||packed row||^2, NaN for padding rows
};

// numpy's pairwise summation (the order of np.sum and np.mean over a contiguous axis): blocks of
// eight partial sums below 128 values, halves above. Used where predictions must be the same
// doubles as scikit-learn's.
double pairwiseSum(const double *values, Eigen::Index count);

} // namespace plumb
