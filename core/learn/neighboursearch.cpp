#include "learn/neighboursearch.h"

#include "base/parallel.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>

namespace plumb {

namespace {

using Packet = Eigen::internal::packet_traits<float>::type;
constexpr int kLanes = Eigen::internal::packet_traits<float>::size;
// Training rows the kernel measures at once (each against every lane of a query tile).
constexpr Eigen::Index kRowGroup = 6;
// Bytes of float32 training rows per block: the block stays in the L2 cache while every query
// tile of a chunk is scanned against it.
constexpr Eigen::Index kBlockBytes = 128 * 1024;
// Most queries per chunk (one parallel work item): their packed tiles stay in the L2 cache too.
constexpr Eigen::Index kMaxChunkQueries = 1024;
// A query whose centred, scaled norm exceeds this goes to the exact scan: far outside the
// training range, the float32 error bound would pass almost every row anyway.
constexpr double kMaxFilteredNorm = 1u << 20;
constexpr double kUnitRoundoff = 1.0 / (1u << 24); // float32: 2^-24

// Bound on |computed - exact| of the filter's ||x||^2 - 2 q.x for a query of centred, scaled norm
// `queryNorm` against any training row (norm < 1 after scaling). With p features, float32
// inputs (relative error u each), a p-term float32 dot product (gamma_p <= 1.01 p u of
// sum |q_j x_j|), the float32 row norm (u) and the final addition (u):
//   |error| <= (2p + 6) u |q| |x| + 2u (1 + 2|q||x|) <= (2p + 16) u (1 + |q|)^2.
// The 1e-12 term covers the double-precision centring, scaling and threshold arithmetic (relative
// 2^-53 per operation on magnitudes below (1 + |q|)^2); the absolute term covers float32
// underflow of tiny components (at most 2^-149 per operation).
double filterMargin(Eigen::Index features, double queryNorm)
{
    const double spread = (1.0 + queryNorm) * (1.0 + queryNorm);
    return ((2.0 * double(features) + 16.0) * kUnitRoundoff + 1e-12) * spread + std::ldexp(1.0, -100);
}

// The smallest float at or above `value`.
float floatAtOrAbove(double value)
{
    if (value >= double(std::numeric_limits<float>::max()))
        return std::numeric_limits<float>::infinity();
    float rounded = float(value);
    if (double(rounded) < value)
        rounded = std::nextafter(rounded, std::numeric_limits<float>::infinity());
    return rounded;
}

// Keeps a loaded packet in a register. Without this GCC folds the load into every multiply-add
// that uses it, reloading the same query values once per training row: the kernel then waits on
// loads instead of multiply-adds.
inline void pinToRegister(Packet &value)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && defined(EIGEN_VECTORIZE_SSE)
    __asm__("" : "+x"(value));
#else
    (void)value;
#endif
}

// Packets of query lanes per tile: the batch kernel's (16 queries with AVX) and the one-query kernel's.
constexpr int kBatchWidth = 2;
constexpr int kSingleWidth = 1;

} // namespace

double pairwiseSum(const double *values, Eigen::Index count)
{
    // numpy/core/src/umath/loops_utils.h.src, pairwise_sum.
    if (count < 8) {
        double sum = 0.0;
        for (Eigen::Index i = 0; i < count; ++i)
            sum += values[i];
        return sum;
    }
    if (count <= 128) {
        double partial[8];
        for (int j = 0; j < 8; ++j)
            partial[j] = values[j];
        Eigen::Index i = 8;
        for (; i < count - count % 8; i += 8)
            for (int j = 0; j < 8; ++j)
                partial[j] += values[i + j];
        double sum = ((partial[0] + partial[1]) + (partial[2] + partial[3]))
            + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
        for (; i < count; ++i)
            sum += values[i];
        return sum;
    }
    Eigen::Index half = count / 2;
    half -= half % 8;
    return pairwiseSum(values, half) + pairwiseSum(values + half, count - half);
}

// The state of one group of queries while it is scanned: the queries, their packed tiles, and a
// bounded max-heap of the k best (distance, row) pairs per query with its float32 threshold.
struct NeighbourSearch::QueryChunk
{
    Eigen::Index k = 0;
    Eigen::Index count = 0;
    Eigen::Index tileLanes = 0;
    std::vector<double> queries; // count x p, the query values as given
    std::vector<float> tiles; // per tile: p x tileLanes of -2 (q - centre) * scale
    std::vector<float> thresholds; // per lane; -inf for padding lanes and unfiltered queries
    std::vector<double> norms; // per query: ||(q - centre) * scale||^2
    std::vector<double> margins; // per query: filterMargin
    std::vector<char> filtered; // per query: goes through the float32 filter
    std::vector<Neighbour> heaps; // count x k
    std::vector<Eigen::Index> heapSizes;

    Eigen::Index tileCount() const { return (count + tileLanes - 1) / tileLanes; }
};

NeighbourSearch::NeighbourSearch(RowMajorMatrix training) : mTraining(std::move(training))
{
    buildFilter();
}

Eigen::Index NeighbourSearch::clampedK(Eigen::Index k) const
{
    return std::clamp<Eigen::Index>(k, 1, std::max<Eigen::Index>(1, rowCount()));
}

void NeighbourSearch::buildFilter()
{
    const Eigen::Index n = mTraining.rows(), p = mTraining.cols();
    mFilterUsable = false;
    mPackedRows.clear();
    mPackedNorms.clear();
    if (n == 0 || p == 0)
        return;
    mCentre = mTraining.colwise().mean().transpose();
    double largest = 0;
    for (Eigen::Index i = 0; i < n; ++i)
        largest = std::max(largest, (mTraining.row(i) - mCentre.transpose()).norm());
    if (!std::isfinite(largest))
        return; // values near the double range: every query takes the exact scan
    // A power of two, so scaling is exact: every centred row then has norm below 1. Spreads
    // beyond 2^+-500 (where the scaled squares could leave the double range) take the exact scan.
    int exponent = 0;
    std::frexp(largest, &exponent);
    if (exponent < -500 || exponent > 500)
        return;
    mScale = largest > 0 ? std::ldexp(1.0, -exponent) : 1.0;
    mPaddedRows = (n + kRowGroup - 1) / kRowGroup * kRowGroup;
    mPackedRows.assign(std::size_t(mPaddedRows * p), 0.0f);
    mPackedNorms.assign(std::size_t(mPaddedRows), std::numeric_limits<float>::quiet_NaN());
    for (Eigen::Index i = 0; i < n; ++i) {
        double normSquared = 0;
        for (Eigen::Index j = 0; j < p; ++j) {
            const double value = (mTraining(i, j) - mCentre[j]) * mScale;
            mPackedRows[std::size_t(i * p + j)] = float(value);
            normSquared += value * value;
        }
        mPackedNorms[std::size_t(i)] = float(normSquared);
    }
    mFilterUsable = true;
}

double NeighbourSearch::exactSquaredDistance(const double *query, Eigen::Index row) const
{
    const double *x = mTraining.data() + row * mTraining.cols();
    double sum = 0;
    for (Eigen::Index j = 0; j < mTraining.cols(); ++j) {
        const double difference = query[j] - x[j];
        sum += difference * difference;
    }
    return sum;
}

bool NeighbourSearch::prepareQuery(const double *query, float *lane, Eigen::Index stride, double &normSquared,
                                   double &margin) const
{
    if (!mFilterUsable)
        return false;
    const Eigen::Index p = featureCount();
    normSquared = 0;
    for (Eigen::Index j = 0; j < p; ++j) {
        const double value = (query[j] - mCentre[j]) * mScale;
        normSquared += value * value;
    }
    const double norm = std::sqrt(normSquared);
    if (!(norm <= kMaxFilteredNorm))
        return false;
    // Scaling by -2 is exact, so the kernel accumulates ||x||^2 - 2 q.x directly.
    for (Eigen::Index j = 0; j < p; ++j)
        lane[j * stride] = float(-2.0 * (query[j] - mCentre[j]) * mScale);
    margin = filterMargin(p, norm);
    return true;
}

void NeighbourSearch::updateThreshold(QueryChunk &chunk, Eigen::Index query) const
{
    if (!chunk.filtered[std::size_t(query)] || chunk.heapSizes[std::size_t(query)] < chunk.k)
        return;
    // A row can only enter the heap when its exact distance is at most the k-th's; in the filter's
    // scaled units, that is when ||x||^2 - 2 q.x <= kth * scale^2 - ||q||^2, up to the margin.
    const double kth = chunk.heaps[std::size_t(query * chunk.k)].squaredDistance;
    const double limit = kth * mScale * mScale - chunk.norms[std::size_t(query)] + chunk.margins[std::size_t(query)];
    chunk.thresholds[std::size_t(query)] = floatAtOrAbove(limit);
}

void NeighbourSearch::offer(QueryChunk &chunk, Eigen::Index query, Eigen::Index row) const
{
    const Eigen::Index p = featureCount();
    const Neighbour candidate{exactSquaredDistance(chunk.queries.data() + query * p, row), row};
    Neighbour *heap = chunk.heaps.data() + query * chunk.k;
    Eigen::Index &size = chunk.heapSizes[std::size_t(query)];
    if (size < chunk.k) {
        heap[size++] = candidate;
        std::push_heap(heap, heap + size);
    } else if (candidate < heap[0]) {
        std::pop_heap(heap, heap + size);
        heap[size - 1] = candidate;
        std::push_heap(heap, heap + size);
    } else {
        return;
    }
    updateThreshold(chunk, query);
}

// The kernel: one tile of Width * kLanes queries (lanes) against `count` training rows from
// `first`, kRowGroup rows at a time. acc = sum_j (-2 q_j) x_j in float32 with fused multiply-adds,
// then ||x||^2 + acc is compared with each lane's threshold; the rare rows that pass go to offer().
template<int Width>
void NeighbourSearch::scanTile(QueryChunk &chunk, Eigen::Index tile, Eigen::Index first, Eigen::Index count) const
{
    using namespace Eigen::internal;
    const Eigen::Index p = featureCount();
    const Eigen::Index lanes = Width * kLanes;
    const float *queries = chunk.tiles.data() + tile * p * lanes;
    float *thresholds = chunk.thresholds.data() + tile * lanes;
    Packet limit[Width];
    for (int w = 0; w < Width; ++w)
        limit[w] = ploadu<Packet>(thresholds + w * kLanes);
    for (Eigen::Index row = first; row < first + count; row += kRowGroup) {
        const float *x = mPackedRows.data() + row * p;
        Packet acc[kRowGroup][Width];
        for (auto &group : acc)
            for (Packet &value : group)
                value = pset1<Packet>(0.0f);
        for (Eigen::Index j = 0; j < p; ++j) {
            Packet q[Width];
            for (int w = 0; w < Width; ++w) {
                q[w] = ploadu<Packet>(queries + j * lanes + w * kLanes);
                pinToRegister(q[w]);
            }
            for (Eigen::Index r = 0; r < kRowGroup; ++r) {
                const Packet value = pset1<Packet>(x[r * p + j]);
                for (int w = 0; w < Width; ++w)
                    acc[r][w] = pmadd(q[w], value, acc[r][w]);
            }
        }
        for (Eigen::Index r = 0; r < kRowGroup; ++r) {
            const Packet norm = pset1<Packet>(mPackedNorms[std::size_t(row + r)]);
            for (int w = 0; w < Width; ++w) {
                const Packet partial = padd(acc[r][w], norm);
                if (!predux_any(pcmp_le(partial, limit[w])))
                    continue;
                float values[kLanes];
                pstoreu(values, partial);
                for (int lane = 0; lane < kLanes; ++lane)
                    if (values[lane] <= thresholds[w * kLanes + lane])
                        offer(chunk, tile * lanes + w * kLanes + lane, row + r);
                limit[w] = ploadu<Packet>(thresholds + w * kLanes);
            }
        }
    }
}

template<int Width> void NeighbourSearch::scanChunk(QueryChunk &chunk) const
{
    const Eigen::Index p = featureCount();
    const Eigen::Index rowsPerBlock = kBlockBytes / Eigen::Index(sizeof(float)) / p / kRowGroup * kRowGroup;
    const Eigen::Index blockRows = std::max(kRowGroup, rowsPerBlock);
    for (Eigen::Index first = 0; first < mPaddedRows; first += blockRows) {
        const Eigen::Index count = std::min(blockRows, mPaddedRows - first);
        for (Eigen::Index tile = 0; tile < chunk.tileCount(); ++tile)
            scanTile<Width>(chunk, tile, first, count);
    }
}

// Fills a chunk with `count` queries (rows of a row-major p-wide array) and packs their tiles.
void NeighbourSearch::loadChunk(QueryChunk &chunk, const double *queries, Eigen::Index count, Eigen::Index k,
                                Eigen::Index tileLanes) const
{
    const Eigen::Index p = featureCount();
    chunk.k = k;
    chunk.count = count;
    chunk.tileLanes = tileLanes;
    chunk.queries.assign(queries, queries + count * p);
    const Eigen::Index lanes = chunk.tileCount() * tileLanes;
    chunk.tiles.assign(std::size_t(lanes * p), 0.0f);
    chunk.thresholds.assign(std::size_t(lanes), -std::numeric_limits<float>::infinity());
    chunk.norms.assign(std::size_t(count), 0.0);
    chunk.margins.assign(std::size_t(count), 0.0);
    chunk.filtered.assign(std::size_t(count), 0);
    chunk.heaps.resize(std::size_t(count * k));
    chunk.heapSizes.assign(std::size_t(count), 0);
    for (Eigen::Index i = 0; i < count; ++i) {
        float *lane = chunk.tiles.data() + (i / tileLanes) * p * tileLanes + i % tileLanes;
        const bool filtered = prepareQuery(queries + i * p, lane, tileLanes, chunk.norms[std::size_t(i)],
                                           chunk.margins[std::size_t(i)]);
        chunk.filtered[std::size_t(i)] = filtered;
        if (filtered)
            chunk.thresholds[std::size_t(i)] = std::numeric_limits<float>::infinity(); // until k rows are held
    }
}

// Scans the chunk, measures the queries the filter cannot take against every row exactly, then
// writes each query's neighbours, nearest first, to out[query * k].
template<int Width> void NeighbourSearch::finishChunk(QueryChunk &chunk, Neighbour *out) const
{
    if (mFilterUsable)
        scanChunk<Width>(chunk);
    for (Eigen::Index i = 0; i < chunk.count; ++i) {
        if (!chunk.filtered[std::size_t(i)])
            for (Eigen::Index row = 0; row < rowCount(); ++row)
                offer(chunk, i, row);
        Neighbour *heap = chunk.heaps.data() + i * chunk.k;
        std::sort_heap(heap, heap + chunk.k);
        std::copy(heap, heap + chunk.k, out + i * chunk.k);
    }
}

void NeighbourSearch::search(const Eigen::MatrixXd &queries, Eigen::Index k, std::vector<Neighbour> &out) const
{
    const Eigen::Index m = queries.rows(), p = featureCount();
    k = clampedK(k);
    out.resize(std::size_t(m * k));
    if (m == 0 || rowCount() == 0)
        return;
    const RowMajorMatrix rows = queries;
    const Eigen::Index tileLanes = kBatchWidth * kLanes;
    // Enough chunks for every worker to get several (uneven chunks balance), each a whole number
    // of tiles and small enough to stay in cache.
    const Eigen::Index workers = workerCount();
    const Eigen::Index wanted = (m + 4 * workers - 1) / (4 * workers);
    const Eigen::Index chunkQueries = std::clamp((wanted + tileLanes - 1) / tileLanes * tileLanes, tileLanes, kMaxChunkQueries);
    const Eigen::Index chunks = (m + chunkQueries - 1) / chunkQueries;
    parallelFor(std::size_t(chunks), [&](std::size_t c) {
        const Eigen::Index first = Eigen::Index(c) * chunkQueries;
        QueryChunk chunk;
        loadChunk(chunk, rows.data() + first * p, std::min(chunkQueries, m - first), k, tileLanes);
        finishChunk<kBatchWidth>(chunk, out.data() + first * k);
    });
}

void NeighbourSearch::searchOne(const double *query, Eigen::Index k, Neighbour *out) const
{
    if (rowCount() == 0)
        return;
    thread_local QueryChunk chunk;
    loadChunk(chunk, query, 1, clampedK(k), kSingleWidth * kLanes);
    finishChunk<kSingleWidth>(chunk, out);
}

} // namespace plumb
