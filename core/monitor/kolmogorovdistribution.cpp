#include "monitor/kolmogorovdistribution.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <vector>

// Ports of scipy 1.10's scipy/stats/_ksstats.py (_kolmogn and the methods it chooses between),
// scipy/special/cephes/kolmogorov.c (smirnov, lower sum) and the exact two-sample paths of
// scipy/stats/_stats_py.py and _stats_pythran.py, step for step so that the rounding agrees.

namespace plumb {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kScaleUp = 0x1p128; // intermediate rescaling, as scipy's _EP128
constexpr double kScaleDown = 0x1p-128; // _EM128
constexpr int kScaleExponent = 128;
constexpr double kMinLog = -7.08396418532264106224e2; // cephes MINLOG: exp() below this is 0

double clipProbability(double p)
{
    return std::clamp(p, 0.0, 1.0);
}

// log(n! / n^n) by Stirling's series with n log n removed first (scipy's _log_nfactorial_div_n_pow_n).
double logFactorialOverPower(double n)
{
    static constexpr std::array<double, 8> kStirling{
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2};
    const double rn = 1.0 / n;
    const double x = rn / n;
    double poly = 0;
    for (double c : kStirling)
        poly = poly * x + c;
    return std::log(n) / 2 - n + std::log(2 * kPi) / 2 + rn * poly;
}

using Matrix = std::vector<double>; // square, row-major

Matrix multiply(const Matrix &a, const Matrix &b, std::size_t m)
{
    Matrix c(m * m, 0.0);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t k = 0; k < m; ++k) {
            const double aik = a[i * m + k];
            for (std::size_t j = 0; j < m; ++j)
                c[i * m + j] += aik * b[k * m + j];
        }
    return c;
}

// The Durbin matrix H for d = (k - h) / n (Marsaglia, Tsang & Wang 2003).
Matrix durbinMatrix(std::size_t k, double h)
{
    const std::size_t m = 2 * k - 1;
    std::vector<double> v(m), w(m);
    double factorial = 1.0; // 1 / j!
    for (std::size_t j = 1; j <= m; ++j) {
        w[j - 1] = factorial;
        factorial /= double(j);
        v[j - 1] = (1.0 - std::pow(h, double(j))) * factorial;
    }
    const double tail = std::pow(std::max(2 * h - 1.0, 0.0), double(m)) - 2 * std::pow(h, double(m));
    v[m - 1] = (1.0 + tail) * factorial;
    Matrix H(m * m, 0.0);
    for (std::size_t i = 1; i < m; ++i)
        for (std::size_t r = i - 1; r < m; ++r)
            H[r * m + i] = w[r - (i - 1)];
    for (std::size_t r = 0; r < m; ++r)
        H[r * m] = v[r];
    for (std::size_t c = 0; c < m; ++c)
        H[(m - 1) * m + c] = v[m - 1 - c];
    return H;
}

// P(D_n <= d) by the Durbin matrix: the k-th diagonal entry of n!/n^n H^n, rescaled as it grows.
double durbinCdf(std::int64_t n, double d)
{
    if (d >= 1.0)
        return 1.0;
    const double nd = double(n) * d;
    if (nd <= 0.5)
        return 0.0;
    const auto k = std::size_t(std::ceil(nd));
    const double h = double(k) - nd;
    const std::size_t m = 2 * k - 1;
    Matrix H = durbinMatrix(k, h);
    Matrix power(m * m, 0.0);
    for (std::size_t i = 0; i < m; ++i)
        power[i * m + i] = 1.0;
    int exponent = 0, hExponent = 0;
    for (std::int64_t remaining = n; remaining > 0; remaining /= 2) {
        if (remaining % 2) {
            power = multiply(power, H, m);
            exponent += hExponent;
        }
        H = multiply(H, H, m);
        hExponent *= 2;
        if (std::abs(H[(k - 1) * m + (k - 1)]) > kScaleUp) {
            for (double &value : H)
                value /= kScaleUp;
            hExponent += kScaleExponent;
        }
    }
    double p = power[(k - 1) * m + (k - 1)];
    for (std::int64_t i = 1; i <= n; ++i) {
        p = double(i) * p / double(n);
        if (std::abs(p) < kScaleDown) {
            p *= kScaleUp;
            exponent -= kScaleExponent;
        }
    }
    return clipProbability(exponent ? std::ldexp(p, exponent) : p);
}

struct PomeranzBounds
{
    std::int64_t first;
    std::int64_t last;
};

// The non-zero span of row i of Pomeranz's recursion (scipy's _pomeranz_compute_j1j2).
PomeranzBounds pomeranzBounds(std::int64_t i, std::int64_t n, std::int64_t ll, int ceilf, int roundf)
{
    std::int64_t j1 = 0, j2 = 0;
    if (i == 0) {
        j1 = -ll - ceilf - 1;
        j2 = ll + ceilf - 1;
    } else {
        const std::int64_t half = (i + 1) / 2;
        if ((i + 1) % 2 == 0) {
            if (half == n + 1) {
                j1 = n - ll - ceilf - 1;
                j2 = n + ll + ceilf - 1;
            } else {
                j1 = half - 1 - ll - roundf - 1;
                j2 = half + ll - 1 + ceilf - 1;
            }
        } else {
            j1 = half - 1 - ll - 1;
            j2 = half + ll + roundf - 1;
        }
    }
    return {std::max<std::int64_t>(j1 + 2, 0), std::min(j2, n)};
}

// P(D_n <= d) by Pomeranz's recursion: each row is the previous one convolved with almost-Poisson
// weights; only two rows are kept.
double pomeranzCdf(std::int64_t n, double x)
{
    const double t = double(n) * x;
    const auto ll = std::int64_t(std::floor(t));
    const double f = t - double(ll);
    const double g = std::min(f, 1.0 - f);
    const int ceilf = f > 0 ? 1 : 0, roundf = f > 0.5 ? 1 : 0;
    const auto powers = std::size_t(2 * (ll + 1));
    std::vector<double> gPower(powers), twoGPower(powers), oneMinusTwoGPower(powers);
    gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1.0;
    const double nn = double(n);
    for (std::size_t m = 1; m < powers; ++m) {
        gPower[m] = gPower[m - 1] * (g / nn) / double(m);
        twoGPower[m] = twoGPower[m - 1] * (2 * g / nn) / double(m);
        oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * ((1 - 2 * g) / nn) / double(m);
    }
    std::vector<double> previous(powers, 0.0), row(powers, 0.0);
    row[0] = 1;
    std::int64_t previousStart = 0, rowStart = 0;
    int exponent = 0;
    PomeranzBounds bounds = pomeranzBounds(0, n, ll, ceilf, roundf);
    for (std::int64_t i = 1; i < 2 * n + 2; ++i) {
        const std::int64_t k1 = bounds.first;
        std::swap(previous, row);
        std::swap(previousStart, rowStart);
        std::fill(row.begin(), row.end(), 0.0);
        bounds = pomeranzBounds(i, n, ll, ceilf, roundf);
        const std::vector<double> &weights = (i == 1 || i == 2 * n + 1) ? gPower : (i % 2 ? twoGPower : oneMinusTwoGPower);
        const std::int64_t length = bounds.last - k1 + 1;
        if (length <= 0)
            continue;
        // row[c] = (previous[k1 - previousStart ...] * weights)[c + j1 - k1], a slice of the full convolution.
        const std::int64_t sourceStart = k1 - previousStart;
        const std::int64_t sourceLength = std::min<std::int64_t>(length, std::int64_t(powers) - sourceStart);
        const std::int64_t shift = bounds.first - k1;
        double largest = 0;
        for (std::int64_t c = 0; c <= bounds.last - bounds.first; ++c) {
            const std::int64_t at = c + shift;
            double sum = 0;
            for (std::int64_t a = std::max<std::int64_t>(0, at - length + 1); a <= std::min(at, sourceLength - 1); ++a)
                sum += previous[std::size_t(sourceStart + a)] * weights[std::size_t(at - a)];
            row[std::size_t(c)] = sum;
            largest = std::max(largest, sum);
        }
        if (largest > 0 && largest < kScaleDown) {
            for (double &value : row)
                value *= kScaleUp;
            exponent -= kScaleExponent;
        }
        rowStart = previousStart + bounds.first - k1;
    }
    double answer = row[std::size_t(n - rowStart)];
    for (std::int64_t m = 1; m <= n; ++m) {
        if (std::abs(answer) > kScaleUp) {
            answer *= kScaleDown;
            exponent += kScaleExponent;
        }
        answer *= double(m);
    }
    return clipProbability(exponent ? std::ldexp(answer, exponent) : answer);
}

// P(D_n <= x) by the Pelz–Good expansion of the Li-Chien/Korolyuk series in powers of n^-1/2.
double pelzGoodCdf(std::int64_t n, double x)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    const double z = std::sqrt(double(n)) * x;
    const double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
    const double qlog = -kPi * kPi / 8 / z2;
    if (qlog < -708)
        return 0.0;
    double q = std::exp(qlog);
    const double pi2 = kPi * kPi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
    const double k1a = -z2, k1b = pi2 / 4;
    const double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16;
    const double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
    const double k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * std::pow(z, 8);
    std::array<double, 4> K{};
    const auto maxk = std::int64_t(std::ceil(16 * z / kPi));
    for (std::int64_t k = maxk; k > 0; --k) { // Horner over the odd terms q^((2k-1)^2)
        const double m = double(2 * k - 1);
        const double m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
        const double qPower = std::pow(q, double(8 * k));
        const std::array<double, 4> coefficients{1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                                                 k3a + k3b * m2 + k3c * m4 + k3d * m6};
        for (std::size_t i = 0; i < 4; ++i)
            K[i] = K[i] * qPower + coefficients[i];
    }
    const double sqrt2pi = std::sqrt(2 * kPi);
    const std::array<double, 4> divisors{z, 6 * z4, 72 * std::pow(z, 7), 6480 * std::pow(z, 10)};
    for (std::size_t i = 0; i < 4; ++i)
        K[i] = K[i] * q * sqrt2pi / divisors[i];
    q = std::exp(-pi2 / 2 / z2);
    double k2extra = 0, k3extra = 0;
    const double sqrt3z = std::sqrt(3.0) * z;
    for (std::int64_t k = maxk; k > 0; --k) {
        const double kk = double(k) * double(k);
        const double qPower = std::pow(q, kk);
        const double kpi = kPi * double(k);
        k2extra += kk * qPower;
        k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * kk * qPower;
    }
    K[2] += k2extra * pi2 * sqrt2pi / (-36 * z3);
    K[3] += k3extra * pi2 * sqrt2pi / (216 * z6);
    double sum = 0;
    for (std::size_t i = 0; i < 4; ++i)
        sum += K[i] / std::pow(double(n), double(i) / 2.0);
    return sum;
}

// One term of the Birnbaum–Tingey sum, C(n, v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1), through logs.
double smirnovTerm(std::int64_t n, double x, std::int64_t v)
{
    const double nn = double(n);
    const double logBinomial = std::lgamma(nn + 1) - std::lgamma(double(v) + 1) - std::lgamma(double(n - v) + 1);
    const double below = double(n - v) / nn - x;
    const double above = double(v) / nn + x;
    return std::exp(logBinomial + double(n - v) * std::log(below) + double(v - 1) * std::log(above));
}

} // namespace

double smirnovSurvival(std::int64_t n, double x)
{
    if (n == 1)
        return clipProbability(1 - x);
    if (x <= 0.0)
        return 1.0;
    if (x >= 1.0)
        return 0.0;
    const double nn = double(n);
    const double nx = nn * x;
    auto floorNx = std::int64_t(std::floor(nx));
    double alpha = std::fma(nn, x, -double(floorNx)); // n x - floor(n x), exactly
    if (alpha >= 1) {
        ++floorNx;
        alpha = 0;
    }
    if (floorNx == 0 || (floorNx == 1 && alpha == 0))
        return clipProbability(1 - x * std::pow(1 + x, nn - 1));
    if (-2 * nn * x * x < kMinLog)
        return 0.0;
    if (floorNx >= n - 1)
        return clipProbability(std::pow(1 - x, nn));
    if (n > 1'000'000) { // cephes' approximation for very large n: p ~ exp(-(6nx+1)^2 / 18n)
        const double logp = -std::pow(6.0 * nx + 1, 2) / 18.0 / nn;
        return clipProbability(logp < -std::numbers::ln2 ? std::exp(logp) : 1 + std::expm1(logp));
    }
    // The lower sum over v = 0 .. n(1 - x), stopped once the remaining terms cannot matter.
    const std::int64_t lastTerm = n - floorNx - (alpha == 0 ? 2 : 1);
    const std::int64_t termCount = lastTerm + 1;
    double sum = std::pow(1 - x, nn) / x;
    for (std::int64_t v = 1; v < termCount; ++v) {
        const double term = smirnovTerm(n, x, v);
        sum += term;
        if (term != 0) {
            if (4 * double(termCount - v) * std::abs(term) < std::numeric_limits<double>::epsilon() * sum && v != termCount - 1)
                break;
        } else if (v > n / 2) {
            break;
        }
    }
    return clipProbability(x * sum);
}

double kolmogorovSurvival(std::int64_t n, double x)
{
    if (x >= 1.0)
        return 0.0;
    if (x <= 0.0)
        return 1.0;
    const double nn = double(n);
    const double t = nn * x;
    if (t <= 1.0) { // Ruben & Gambino: 1/2n <= x <= 1/n
        if (t <= 0.5)
            return 1.0;
        double cdf = 1.0;
        if (n <= 140) {
            for (std::int64_t i = 1; i <= n; ++i)
                cdf *= double(i) * (1.0 / nn) * (2 * t - 1);
        } else {
            cdf = std::exp(logFactorialOverPower(nn) + nn * std::log(2 * t - 1));
        }
        return clipProbability(1.0 - cdf);
    }
    if (t >= nn - 1) // Ruben & Gambino
        return clipProbability(2 * std::pow(1.0 - x, nn));
    if (x >= 0.5)
        return clipProbability(2 * smirnovSurvival(n, x));
    const double nxSquared = t * x;
    if (n <= 140) {
        if (nxSquared <= 0.754693)
            return clipProbability(1.0 - durbinCdf(n, x));
        if (nxSquared <= 4)
            return clipProbability(1.0 - pomeranzCdf(n, x));
        return clipProbability(2 * smirnovSurvival(n, x));
    }
    if (nxSquared >= 370.0)
        return 0.0;
    if (nxSquared >= 2.2)
        return clipProbability(2 * smirnovSurvival(n, x));
    const double cdf = (n <= 100000 && nn * std::pow(x, 1.5) <= 1.4) ? durbinCdf(n, x) : pelzGoodCdf(n, x);
    return clipProbability(1.0 - clipProbability(cdf));
}

namespace {

// P(D_{n,n} >= h/n) = 2 (C(2n, n-h) - C(2n, n-2h) + ...) / C(2n, n), by a Horner-like product.
double equalSizesOutside(std::int64_t n, std::int64_t h)
{
    double P = 0.0;
    for (auto k = std::int64_t(std::floor(double(n) / double(h))); k >= 0; --k) {
        double p1 = 1.0;
        for (std::int64_t j = 0; j < h; ++j)
            p1 = double(n - k * h - j) * p1 / double(n + k * h + j + 1);
        P = p1 * (1.0 - P);
    }
    return 2 * P;
}

// The share of lattice paths from (0,0) to (m,n) that leave the band |x/m - y/n| < h / lcm,
// computed directly as Viehmann (2021) does, in one sliding column.
double unequalSizesOutside(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h)
{
    if (m < n)
        std::swap(m, n);
    const std::int64_t mg = m / g, ng = n / g;
    std::int64_t minj = 0;
    std::int64_t maxj = std::min<std::int64_t>(std::int64_t(std::ceil(double(h) / double(mg))), n + 1);
    std::int64_t length = maxj - minj;
    std::vector<double> A(std::size_t(std::min(2 * maxj + 2, n + 1)), 1.0);
    std::fill(A.begin() + minj, A.begin() + maxj, 0.0);
    for (std::int64_t i = 1; i <= m; ++i) {
        const std::int64_t lastMinj = minj, lastLength = length;
        minj = std::min(std::max<std::int64_t>(std::int64_t(std::floor(double(ng * i - h) / double(mg))) + 1, 0), n);
        maxj = std::min<std::int64_t>(std::int64_t(std::ceil(double(ng * i + h) / double(mg))), n + 1);
        if (maxj <= minj)
            return 1.0;
        double value = minj == 0 ? 0.0 : 1.0;
        for (std::int64_t jj = 0; jj < maxj - minj; ++jj) {
            const std::int64_t j = jj + minj;
            value = (A[std::size_t(jj + minj - lastMinj)] * double(i) + value * double(j)) / double(i + j);
            A[std::size_t(jj)] = value;
        }
        length = maxj - minj;
        if (lastLength > length)
            std::fill(A.begin() + length, A.begin() + std::min<std::int64_t>(lastLength, std::int64_t(A.size())), 1.0);
    }
    return A[std::size_t(maxj - minj - 1)];
}

} // namespace

std::optional<ExactKsProbability> exactTwoSampleKs(std::int64_t m, std::int64_t n, double d)
{
    const std::int64_t g = std::gcd(m, n);
    const std::int64_t lcm = (m / g) * n;
    const auto h = std::int64_t(std::nearbyint(d * double(lcm))); // numpy's round: half to even
    const double statistic = double(h) / double(lcm);
    if (h == 0)
        return ExactKsProbability{statistic, 1.0};
    const double p = m == n ? equalSizesOutside(m, h) : unequalSizesOutside(m, n, g, h);
    if (!(p >= 0 && p <= 1))
        return std::nullopt;
    return ExactKsProbability{statistic, p};
}

} // namespace plumb
