// libFuzzer target for JSON row reading and validation (readJsonRow, readJsonRows, RowValidator)
// and the chunk scorer that applies them to every line. The input is read twice: as a JSON Lines
// chunk, each line checked against a small fitted ridge pipeline on x1, x2 (numbers) and colour
// (text) as the batch scorer does; and whole, as the scoring service reads a request body (one row
// object or an array of them), where a body the fast reader (OrderedRowReader) reads must be read
// bit for bit the same by the general path. A result that breaks an invariant aborts.

#include "../serve/servetestutil.h"
#include "serve/chunkscorer.h"
#include "serve/jsonrow.h"
#include "serve/orderedrowreader.h"
#include "serve/rowvalidator.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace plumb;

namespace {

[[noreturn]] void broken(const char *what)
{
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
}

const Pipeline &pipeline()
{
    static const Pipeline fitted = test::fittedPipeline(QStringLiteral("ridge"));
    return fitted;
}

// One line: a successful read has distinct keys, raw values inside the line, and strings that
// survive a write and a second read unchanged.
void checkLine(std::string_view line, const RowValidator &validator)
{
    JsonRow row;
    if (readJsonRow(line, row))
        return;
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
        const JsonField &field = row.fields[i];
        for (std::size_t j = 0; j < i; ++j)
            if (row.fields[j].key == field.key)
                broken("duplicate key accepted");
        if (field.raw.data() < line.data() || field.raw.data() + field.raw.size() > line.data() + line.size())
            broken("raw value outside the line");
        if (field.kind == JsonField::Kind::Number && !std::isfinite(field.number))
            broken("non-finite number accepted");
        if (field.kind == JsonField::Kind::String) {
            std::string again = "{\"k\":";
            appendJsonString(field.text, again);
            again += "}";
            JsonRow reread;
            if (readJsonRow(again, reread) || reread.fields.size() != 1 || reread.fields[0].text != field.text)
                broken("a string does not survive writing and reading");
        }
    }
    std::vector<FeatureValue> values;
    if (!validator.readJsonRow(row, values)) {
        if (values.size() != validator.featureCount())
            broken("wrong value count");
        for (std::size_t f = 0; f < values.size(); ++f) {
            if (std::isinf(values[f].number))
                broken("infinite value accepted");
            if (values[f].isMissing && !validator.acceptsMissing(f))
                broken("missing value accepted where the model cannot fill it in");
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const RowValidator validator(pipeline());
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    std::size_t lines = 0;
    for (std::string_view rest = text; !rest.empty();) {
        const std::size_t end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        checkLine(line, validator);
        lines += line.find_first_not_of(" \t\r") != std::string_view::npos;
    }
    // The whole input as a service request body: at most the row limit, each row validated.
    std::vector<JsonRow> rows;
    if (!readJsonRows(text, rows, 8)) {
        if (rows.size() > 8)
            broken("more rows than the limit");
        std::vector<FeatureValue> values;
        for (const JsonRow &row : rows)
            if (!validator.readJsonRow(row, values) && values.size() != validator.featureCount())
                broken("wrong value count");
    }
    // The fast reader takes a body only when the general path reads it to the same values.
    FeatureBatch batch(validator.features());
    if (OrderedRowReader(validator).read(text, 8, {}, QDeadlineTimer(QDeadlineTimer::Forever), batch)
        == OrderedRowReader::Outcome::Read) {
        const std::optional<Dataset> general = test::generalRead(validator, text, 8);
        if (!general || !test::sameData(batch.takeDataset(), *general))
            broken("the fast reader and the general path read a body differently");
    }
    // The whole input as one chunk: every non-blank line is scored or rejected, never both.
    ChunkLayout layout;
    layout.input = RowFormat::JsonLines;
    layout.output = size % 2 ? RowFormat::Csv : RowFormat::JsonLines;
    layout.columns = {QStringLiteral("x1"), QStringLiteral("x2"), QStringLiteral("colour")};
    const ChunkScorer scorer(pipeline(), validator, layout);
    InputChunk chunk{std::string(text), 0, 0};
    const ScoredChunk scored = scorer.score(chunk);
    if (scored.error)
        broken("a chunk failed as a whole");
    if (scored.scored + scored.rejected != lines)
        broken("rows lost or counted twice");
    return 0;
}
