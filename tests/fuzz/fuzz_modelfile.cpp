// libFuzzer target for decodeModelArtifact, the loader of .plumb model files. Each input is
// decoded as given and again with its trailer recomputed, so mutations get past the SHA-256 check
// into the manifest, the array index and every component's restore(); whatever loads is written
// back, read again and used to predict (see tests/artifact/modelfilecheck.h). A broken invariant
// aborts, so the fuzzer keeps it as a crash like any sanitizer report.

#include "../artifact/modelfilecheck.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString problem = plumb::fuzz::checkModelFileInput(input);
    if (!problem.isEmpty()) {
        std::fprintf(stderr, "invariant broken: %s\n", problem.toUtf8().constData());
        std::abort();
    }
    return 0;
}
