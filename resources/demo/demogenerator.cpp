// plumb-demo-generator: writes the demo workspace that the workbench opens on first run.
//
//   plumb-demo-generator OUTPUT_DIR
//
// writes OUTPUT_DIR/plumb-workspace.json, OUTPUT_DIR/training.csv and
// OUTPUT_DIR/batches/2026-01.csv ... 2026-12.csv.
//
// The story
// ---------
// A subscription telecom company ("Northwind Mobile") wants to predict which customers will leave.
// Each row is a monthly snapshot of one customer, taken at `snapshot_time`, labelled with whether the
// customer cancelled within the following month (`churned`, yes/no).
//
//   customer_id        C + 6 digits, unique across all files (role: id)
//   snapshot_time      ISO 8601 UTC timestamp (role: timestamp); training spans 2025, batch N spans 2026-N
//   tenure_months      integer 0..72, months since sign-up; longer under one- and two-year contracts
//   contract           Month-to-month | One year | Two year
//   plan               Basic | Standard | Premium | Family
//   monthly_charges    float, currency units with 2 decimals; set by plan plus data usage
//   total_charges      float, billed so far (about tenure x monthly); empty for new customers (tenure 0)
//   data_usage_gb      float, last month's mobile data; missing ~2% (meter gaps), written as "NA" or empty
//   support_calls      integer, calls to support last month; Poisson, more when satisfaction is low
//   satisfaction       float 1.0..5.0, last survey score; missing when the survey went unanswered ("NA")
//   payment_method     Credit card, automatic | Bank transfer, automatic | Electronic check | Mailed check
//                      (the commas make the CSV quote these values)
//   paperless_billing  true | false
//   region             North | South | East | West; missing ~1.5% (empty)
//   churned            yes | no, the target
//
// The label comes from a logistic model of the features (coefficients in churnLogit()): churn is more
// likely on month-to-month contracts, short tenure, high charges, many support calls, low satisfaction,
// electronic checks and paperless billing. About 18% of training rows churn.
//
// The drift (production batches 2026-01 ... 2026-12)
// --------------------------------------------------
// January and February are drawn from the same distributions as the training year. From then on:
//   - monthly_charges creep up: a repricing rolled out as contracts renew, +1.1% per month from March
//     (about +11% by December); total_charges follow.
//   - region: the company expands in the West, whose share grows by 1.5 points a month from March
//     (22% in training, ~37% in December).
//   - satisfaction: a new survey vendor from April gets fewer answers; the missing rate rises from
//     4% to ~26% in December.
//   - payment_method: a new category, "Digital wallet", appears in June (4%) and reaches ~19% in
//     December, taken from the check-based methods.
//   - support_calls: a network outage in August (x1.7 calls) and September (x1.4), back to normal in
//     October — a transient drift, not a trend.
//   - churn: a competitor's offer from April raises the churn log-odds by 0.09 a month without changing
//     any feature (concept drift), on top of the effect of higher charges; the churn rate climbs from
//     ~18% to ~30% in December.
//
// Determinism
// -----------
// The generator owns its random numbers (xoshiro256** seeded with splitmix64, Box-Muller normals,
// inverse-CDF categorical and Knuth Poisson draws) because the std:: distributions differ between
// standard libraries. Each file has its own stream, so changing one batch leaves the others unchanged.
// Numbers are formatted with std::to_chars, which ignores the locale. The output is byte-identical from
// run to run; across C libraries, exp/log/cos may differ in the last bit, which in rare cases could move
// a rounded value by one in its last digit.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ---- random numbers --------------------------------------------------------------------------

// splitmix64 (Steele, Lea & Flood 2014), used only to expand a seed into xoshiro's state.
std::uint64_t splitmix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// xoshiro256** 1.0 (Blackman & Vigna 2018, https://prng.di.unimi.it/xoshiro256starstar.c).
class Rng
{
public:
    explicit Rng(std::uint64_t seed)
    {
        for (auto &word : mState)
            word = splitmix64(seed);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(mState[1] * 5, 7) * 9;
        const std::uint64_t t = mState[1] << 17;
        mState[2] ^= mState[0];
        mState[3] ^= mState[1];
        mState[1] ^= mState[2];
        mState[0] ^= mState[3];
        mState[2] ^= t;
        mState[3] = rotl(mState[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    bool bernoulli(double p) { return uniform() < p; }

    // Uniform integer in [0, n); the bias of the multiply-shift reduction is below 2^-32 for n < 2^32.
    std::uint64_t below(std::uint64_t n) { return static_cast<std::uint64_t>((next() >> 32) * n >> 32); }

    // Standard normal by the Box-Muller transform; the second value of each pair is kept for the next call.
    double normal()
    {
        if (mHasSpare) {
            mHasSpare = false;
            return mSpare;
        }
        const double u1 = 1.0 - uniform(); // (0, 1]: log() stays finite
        const double u2 = uniform();
        const double radius = std::sqrt(-2.0 * std::log(u1));
        const double angle = 2.0 * std::numbers::pi * u2;
        mSpare = radius * std::sin(angle);
        mHasSpare = true;
        return radius * std::cos(angle);
    }
    double normal(double mean, double sd) { return mean + sd * normal(); }

    // Poisson by Knuth's multiplication method (TAOCP vol. 2, 3.4.1); fine for the small means used here.
    int poisson(double mean)
    {
        const double limit = std::exp(-mean);
        int count = -1;
        double product = 1.0;
        do {
            ++count;
            product *= uniform();
        } while (product > limit);
        return count;
    }

    // Index drawn with probability proportional to `weights` (inverse CDF).
    std::size_t categorical(std::span<const double> weights)
    {
        double total = 0.0;
        for (double w : weights)
            total += w;
        double u = uniform() * total;
        for (std::size_t i = 0; i + 1 < weights.size(); ++i) {
            if (u < weights[i])
                return i;
            u -= weights[i];
        }
        return weights.size() - 1;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    std::array<std::uint64_t, 4> mState{};
    double mSpare = 0.0;
    bool mHasSpare = false;
};

// A seed per file from a short name, so each file draws from its own stream (FNV-1a 64).
std::uint64_t seedFor(std::string_view name)
{
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char c : name) {
        hash ^= c;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

// ---- calendar ---------------------------------------------------------------------------------

// Days since 1970-01-01 for a proleptic Gregorian date, and back (Howard Hinnant,
// "chrono-Compatible Low-Level Date Algorithms", days_from_civil / civil_from_days).
std::int64_t daysFromCivil(int year, int month, int day)
{
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const int yoe = static_cast<int>(year - era * 400);
    const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::string formatTimestamp(std::int64_t seconds)
{
    const std::int64_t days = seconds / 86400;
    const int secondOfDay = static_cast<int>(seconds % 86400);
    const std::int64_t z = days + 719468;
    const std::int64_t era = z / 146097;
    const int doe = static_cast<int>(z - era * 146097);
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int day = doy - (153 * mp + 2) / 5 + 1;
    const int month = mp < 10 ? mp + 3 : mp - 9;
    const int year = static_cast<int>(yoe + era * 400) + (month <= 2);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, secondOfDay / 3600,
                  secondOfDay / 60 % 60, secondOfDay % 60);
    return text;
}

// ---- the world at a point in time ----------------------------------------------------------------

// What differs between the training year and each production month (see the top of this file).
struct Conditions
{
    double priceMultiplier = 1.0;
    double westBoost = 0.0; // added to the West region's share
    double walletShare = 0.0; // share of "Digital wallet" among payment methods
    double satisfactionMissing = 0.04;
    double supportCallFactor = 1.0;
    double churnShift = 0.0; // unobserved, on the log-odds scale
};

// month 0 is the training year 2025; 1..12 are the production months of 2026.
Conditions conditionsFor(int month)
{
    Conditions c;
    if (month == 0)
        return c;
    c.priceMultiplier = 1.0 + 0.011 * std::max(0, month - 2);
    c.westBoost = 0.015 * std::max(0, month - 2);
    c.satisfactionMissing = 0.04 + 0.025 * std::max(0, month - 3);
    c.walletShare = month >= 6 ? 0.04 + 0.025 * (month - 6) : 0.0;
    c.supportCallFactor = month == 8 ? 1.7 : month == 9 ? 1.4 : 1.0;
    c.churnShift = 0.09 * std::max(0, month - 3);
    return c;
}

// ---- one customer snapshot -----------------------------------------------------------------------

constexpr std::array kContracts{"Month-to-month", "One year", "Two year"};
constexpr std::array kPlans{"Basic", "Standard", "Premium", "Family"};
constexpr std::array kPayments{"Credit card, automatic", "Bank transfer, automatic", "Electronic check", "Mailed check",
                               "Digital wallet"};
constexpr std::array kRegions{"North", "South", "East", "West"};

struct Row
{
    std::int64_t customerId = 0;
    std::int64_t time = 0; // seconds since the epoch, UTC
    int tenure = 0;
    std::size_t contract = 0;
    std::size_t plan = 0;
    double monthlyCharges = 0.0;
    double totalCharges = 0.0; // NaN = missing
    double dataUsage = 0.0; // NaN = missing
    bool dataUsageAsNa = false;
    int supportCalls = 0;
    double satisfaction = 0.0; // NaN = missing
    std::size_t payment = 0;
    bool paperless = false;
    int region = 0; // -1 = missing
    bool churned = false;
};

double roundTo(double value, double step)
{
    return std::round(value / step) * step;
}

// Log-odds of churn given the observed features and the true (possibly unreported) satisfaction.
double churnLogit(const Row &row, double trueSatisfaction, const Conditions &c)
{
    constexpr std::array contractEffect{0.0, -1.2, -2.4};
    constexpr std::array paymentEffect{-0.2, -0.2, 0.45, 0.0, 0.1};
    double z = -1.05;
    z += contractEffect[row.contract];
    z -= 0.03 * row.tenure;
    z += 0.025 * (row.monthlyCharges - 60.0);
    z += 0.28 * row.supportCalls;
    z -= 0.6 * (trueSatisfaction - 3.7);
    z += paymentEffect[row.payment];
    z += row.paperless ? 0.2 : 0.0;
    z += row.plan == 3 ? -0.3 : 0.0; // Family plans bind several people to the account
    return z + c.churnShift;
}

Row drawRow(Rng &rng, const Conditions &c)
{
    Row row;
    row.contract = rng.categorical(std::array{0.52, 0.24, 0.24});

    // Tenure: exponential with a contract-dependent mean; 1.5% are new customers (tenure 0).
    constexpr std::array meanTenure{14.0, 30.0, 45.0};
    if (!rng.bernoulli(0.015))
        row.tenure = std::min(72, 1 + static_cast<int>(-std::log(1.0 - rng.uniform()) * meanTenure[row.contract]));

    row.plan = rng.categorical(std::array{0.30, 0.38, 0.22, 0.10});
    constexpr std::array medianUsage{4.0, 12.0, 30.0, 45.0};
    constexpr std::array basePrice{25.0, 50.0, 80.0, 95.0};
    const double usage = medianUsage[row.plan] * std::exp(rng.normal(0.0, 0.6)); // log-normal
    const double price = basePrice[row.plan] + 0.25 * std::min(usage, 60.0) + rng.normal(0.0, 4.0);
    row.monthlyCharges = roundTo(std::max(15.0, price) * c.priceMultiplier, 0.01);
    // Past bills were a little lower or higher than today's (promotions, usage), hence the factor.
    const double billed = row.monthlyCharges * row.tenure * rng.uniform(0.9, 1.02);
    row.totalCharges = row.tenure == 0 ? NAN : roundTo(billed, 0.01);
    row.dataUsage = roundTo(usage, 0.1);
    if (rng.bernoulli(0.02)) {
        row.dataUsage = NAN;
        row.dataUsageAsNa = rng.bernoulli(0.5);
    }

    constexpr std::array contractSatisfaction{-0.1, 0.1, 0.25};
    const double satisfaction = std::clamp(rng.normal(3.7 + contractSatisfaction[row.contract], 0.8), 1.0, 5.0);
    row.satisfaction = rng.bernoulli(c.satisfactionMissing) ? NAN : roundTo(satisfaction, 0.1);
    row.supportCalls = rng.poisson((0.3 + 0.4 * (5.0 - satisfaction)) * c.supportCallFactor);

    // Longer contracts pay automatically more often; the wallet takes its share from the checks.
    const double automatic = row.contract == 0 ? 0.18 : 0.30;
    const double checks = 1.0 - 2.0 * automatic - c.walletShare;
    row.payment = rng.categorical(std::array{automatic, automatic, checks * 0.6, checks * 0.4, c.walletShare});
    row.paperless = rng.bernoulli(row.payment == 2 || row.payment == 4 ? 0.75 : 0.5);

    if (rng.bernoulli(0.015)) {
        row.region = -1;
    } else {
        const double keep = 1.0 - c.westBoost / 0.78; // the other regions shrink in proportion
        row.region = static_cast<int>(rng.categorical(std::array{0.28 * keep, 0.26 * keep, 0.24 * keep, 0.22 + c.westBoost}));
    }

    const double z = churnLogit(row, satisfaction, c);
    row.churned = rng.bernoulli(1.0 / (1.0 + std::exp(-z)));
    return row;
}

// ---- writing -----------------------------------------------------------------------------------

void appendNumber(std::string &out, double value, int decimals)
{
    char text[64];
    const auto result = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed, decimals);
    out.append(text, result.ptr);
}

// RFC 4180: a field holding the delimiter, a quote or a line break is quoted, quotes doubled.
void appendField(std::string &out, std::string_view field)
{
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += field;
        return;
    }
    out += '"';
    for (char ch : field) {
        if (ch == '"')
            out += '"';
        out += ch;
    }
    out += '"';
}

void appendRow(std::string &out, const Row &row)
{
    char id[16];
    std::snprintf(id, sizeof id, "C%06lld", static_cast<long long>(row.customerId));
    out += id;
    out += ',';
    out += formatTimestamp(row.time);
    out += ',';
    out += std::to_string(row.tenure);
    out += ',';
    appendField(out, kContracts[row.contract]);
    out += ',';
    appendField(out, kPlans[row.plan]);
    out += ',';
    appendNumber(out, row.monthlyCharges, 2);
    out += ',';
    if (!std::isnan(row.totalCharges))
        appendNumber(out, row.totalCharges, 2);
    out += ',';
    if (!std::isnan(row.dataUsage))
        appendNumber(out, row.dataUsage, 1);
    else if (row.dataUsageAsNa)
        out += "NA";
    out += ',';
    out += std::to_string(row.supportCalls);
    out += ',';
    if (!std::isnan(row.satisfaction))
        appendNumber(out, row.satisfaction, 1);
    else
        out += "NA";
    out += ',';
    appendField(out, kPayments[row.payment]);
    out += ',';
    out += row.paperless ? "true" : "false";
    out += ',';
    if (row.region >= 0)
        appendField(out, kRegions[static_cast<std::size_t>(row.region)]);
    out += ',';
    out += row.churned ? "yes" : "no";
    out += '\n';
}

// `count` snapshots taken uniformly in [begin, end), in time order, with customer ids from
// `firstId` upwards (gaps of 1-4, shuffled so that ids do not follow time).
std::string generateTable(std::string_view streamName, int count, std::int64_t begin, std::int64_t end, std::int64_t firstId,
                          const Conditions &conditions)
{
    Rng rng(seedFor(streamName));
    std::vector<std::int64_t> times(static_cast<std::size_t>(count));
    for (auto &t : times)
        t = begin + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(end - begin)));
    std::sort(times.begin(), times.end());

    std::vector<std::int64_t> ids(times.size());
    std::int64_t id = firstId;
    for (auto &value : ids) {
        value = id;
        id += 1 + static_cast<std::int64_t>(rng.below(4));
    }
    for (std::size_t i = ids.size(); i > 1; --i) // Fisher-Yates
        std::swap(ids[i - 1], ids[rng.below(i)]);

    std::string csv = "customer_id,snapshot_time,tenure_months,contract,plan,monthly_charges,total_charges,"
                      "data_usage_gb,support_calls,satisfaction,payment_method,paperless_billing,region,churned\n";
    csv.reserve(static_cast<std::size_t>(count) * 140);
    for (std::size_t i = 0; i < times.size(); ++i) {
        Row row = drawRow(rng, conditions);
        row.customerId = ids[i];
        row.time = times[i];
        appendRow(csv, row);
    }
    return csv;
}

bool writeFile(const std::filesystem::path &path, const std::string &contents)
{
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    file.close();
    if (!file) {
        std::fprintf(stderr, "plumb-demo-generator: cannot write %s\n", path.string().c_str());
        return false;
    }
    return true;
}

std::string monthLabel(int month)
{
    char label[8];
    std::snprintf(label, sizeof label, "2026-%02d", month);
    return label;
}

std::string manifest()
{
    std::string json = R"json({
  "format": 1,
  "name": "Customer churn (demo)",
  "description": "Monthly snapshots of a telecom's subscribers labelled with whether they cancelled the next month. Trained on 2025; the 2026 batches drift: prices rise, the West grows, a Digital wallet payment method appears in June, survey answers dwindle, an outage in August and September brings more support calls, and churn climbs.",
  "training": {
    "path": "training.csv",
    "target": "churned",
    "roles": { "customer_id": "id", "snapshot_time": "timestamp" }
  },
  "batches": [
)json";
    for (int month = 1; month <= 12; ++month) {
        const std::string label = monthLabel(month);
        json += "    { \"label\": \"" + label + "\", \"path\": \"batches/" + label + ".csv\" }";
        json += month < 12 ? ",\n" : "\n";
    }
    json += "  ]\n}\n";
    return json;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2 || std::string_view(argv[1]).starts_with('-')) {
        std::fprintf(stderr,
                     "usage: plumb-demo-generator OUTPUT_DIR\n"
                     "Writes the demo churn workspace (manifest, training.csv, batches/2026-MM.csv).\n");
        return 2;
    }
    const std::filesystem::path root(argv[1]);
    std::error_code error;
    std::filesystem::create_directories(root / "batches", error);
    if (error) {
        std::fprintf(stderr, "plumb-demo-generator: cannot create %s: %s\n", (root / "batches").string().c_str(),
                     error.message().c_str());
        return 1;
    }

    constexpr std::int64_t kDay = 86400;
    const std::int64_t trainingBegin = daysFromCivil(2025, 1, 1) * kDay;
    const std::int64_t trainingEnd = daysFromCivil(2026, 1, 1) * kDay;
    bool ok = writeFile(root / "training.csv",
                        generateTable("training", 20000, trainingBegin, trainingEnd, 100000, conditionsFor(0)));

    for (int month = 1; month <= 12 && ok; ++month) {
        const std::string label = monthLabel(month);
        Rng sizeRng(seedFor("rows " + label));
        const int rows = 2000 + static_cast<int>(sizeRng.below(1001));
        const std::int64_t begin = daysFromCivil(2026, month, 1) * kDay;
        const std::int64_t end = daysFromCivil(2026 + month / 12, month % 12 + 1, 1) * kDay;
        ok = writeFile(root / "batches" / (label + ".csv"),
                       generateTable(label, rows, begin, end, 200000 + 15000 * month, conditionsFor(month)));
    }
    ok = ok && writeFile(root / "plumb-workspace.json", manifest());
    return ok ? 0 : 1;
}
