// HugePageVector: large blocks are mapped on their own, 2 MiB aligned and advised for huge pages
// (the kernel's VmFlags say "hg"); small ones come from the heap; contents survive growth across
// the threshold, and every byte of a block of an awkward size can be written.

#include "base/hugepages.h"

#include <QFile>
#include <QTest>

#include <algorithm>
#include <cstdint>
#include <numeric>

namespace plumb {

namespace {

constexpr std::size_t kLarge = std::size_t(4) << 20; // the smallest block mapped on its own

// The VmFlags of the mapping that holds `address`, or empty when they cannot be read.
QByteArray vmFlagsAt(const void *address)
{
    QFile smaps(QStringLiteral("/proc/self/smaps"));
    if (!smaps.open(QIODevice::ReadOnly))
        return {};
    const auto wanted = reinterpret_cast<std::uintptr_t>(address);
    bool inside = false;
    for (QByteArray line = smaps.readLine(); !line.isEmpty(); line = smaps.readLine()) {
        const qsizetype dash = line.indexOf('-'), space = line.indexOf(' ');
        bool startOk = false, endOk = false;
        if (dash > 0 && space > dash) {
            const std::uintptr_t start = line.left(dash).toULongLong(&startOk, 16);
            const std::uintptr_t end = line.mid(dash + 1, space - dash - 1).toULongLong(&endOk, 16);
            if (startOk && endOk) {
                inside = start <= wanted && wanted < end;
                continue;
            }
        }
        if (inside && line.startsWith("VmFlags:"))
            return line.mid(8).trimmed();
    }
    return {};
}

} // namespace

class TestHugePages : public QObject
{
    Q_OBJECT

private slots:
    void smallBlocksHoldTheirValues();
    void largeBlocksAreAlignedAndAdvised();
    void growthAcrossTheThresholdKeepsTheContents();
    void everyByteOfAnAwkwardSizeIsWritable();
    void impossibleSizesAreRefused();
};

void TestHugePages::smallBlocksHoldTheirValues()
{
    HugePageVector<int> values;
    for (int i = 0; i < 1000; ++i)
        values.push_back(i * 3);
    QCOMPARE(values.size(), std::size_t(1000));
    QCOMPARE(std::accumulate(values.begin(), values.end(), 0LL), 3LL * 999 * 1000 / 2);
}

void TestHugePages::largeBlocksAreAlignedAndAdvised()
{
    HugePageVector<std::uint32_t> rows(kLarge / sizeof(std::uint32_t) * 3);
    QVERIFY(std::all_of(rows.begin(), rows.end(), [](std::uint32_t row) { return row == 0; }));
#if defined(__linux__)
    QCOMPARE(reinterpret_cast<std::uintptr_t>(rows.data()) % (std::uintptr_t(2) << 20), std::uintptr_t(0));
    if (!QFile::exists(QStringLiteral("/sys/kernel/mm/transparent_hugepage/enabled")))
        QSKIP("this kernel has no transparent huge pages (the advice is refused, as it may be)");
    const QByteArray flags = vmFlagsAt(rows.data());
    if (flags.isEmpty())
        QSKIP("/proc/self/smaps is not readable here");
    QVERIFY2(flags.split(' ').contains("hg"), flags.constData());
#endif
}

void TestHugePages::growthAcrossTheThresholdKeepsTheContents()
{
    HugePageVector<std::uint64_t> values;
    const std::size_t count = 2 * kLarge / sizeof(std::uint64_t) + 7;
    for (std::size_t i = 0; i < count; ++i)
        values.push_back(i * i);
    for (std::size_t i = 0; i < count; i += 4099)
        QCOMPARE(values[i], std::uint64_t(i * i));
    QCOMPARE(values.back(), std::uint64_t((count - 1) * (count - 1)));
    values.resize(10);
    values.shrink_to_fit(); // back below the threshold: from the heap again
    QCOMPARE(values[9], std::uint64_t(81));
}

void TestHugePages::everyByteOfAnAwkwardSizeIsWritable()
{
    for (const std::size_t bytes : {kLarge - 1, kLarge, kLarge + 1, 3 * kLarge + 12345}) {
        HugePageVector<std::uint8_t> block(bytes);
        std::fill(block.begin(), block.end(), std::uint8_t(0xA5));
        QCOMPARE(block.front(), std::uint8_t(0xA5));
        QCOMPARE(block.back(), std::uint8_t(0xA5));
    }
}

void TestHugePages::impossibleSizesAreRefused()
{
    HugePageAllocator<char> allocator;
    QVERIFY_THROWS_EXCEPTION(std::bad_alloc, allocator.allocate(std::size_t(-1) - 100));
    QVERIFY_THROWS_EXCEPTION(std::bad_array_new_length, HugePageAllocator<std::uint64_t>().allocate(std::size_t(-1) / 4));
    QVERIFY(HugePageAllocator<int>() == HugePageAllocator<long>()); // rebound allocators share memory
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestHugePages)
#include "tst_hugepages.moc"
