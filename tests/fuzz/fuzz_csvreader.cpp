// libFuzzer target for CsvReader::readBytes. The first input byte selects the options
// (see csvfuzzcheck.h); the rest is the file. A result that breaks an invariant aborts, so the
// fuzzer keeps it as a crash like any sanitizer report.

#include "csvfuzzcheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const unsigned char selector = data[0];
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const plumb::Result<plumb::Dataset> result = plumb::fuzz::readSelected(bytes, selector);
    const QString problem = plumb::fuzz::invariantProblem(result, selector);
    if (!problem.isEmpty()) {
        std::fprintf(stderr, "invariant broken: %s\n", problem.toUtf8().constData());
        std::abort();
    }
    return 0;
}
