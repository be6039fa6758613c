// Streaming batch scoring: the predictions are Pipeline::predict's bit for bit, whatever the chunk
// size and format; refused rows are listed with their line numbers while the rest are scored;
// chunks stay bounded.
#include "serve/batchscorer.h"

#include "data/csvreader.h"
#include "data/valueparser.h"
#include "serve/jsonrow.h"
#include "servetestutil.h"

#include <QBuffer>
#include <QTest>

#include <cstring>

using namespace plumb;

namespace {

struct Run
{
    Result<BatchSummary> summary = Error::invalid(QString());
    QByteArray output;
    QByteArray rejects;
};

Run score(const Pipeline &pipeline, const QByteArray &input, BatchOptions options)
{
    QBuffer in;
    in.setData(input);
    in.open(QIODevice::ReadOnly);
    QBuffer out, rejects;
    out.open(QIODevice::WriteOnly);
    rejects.open(QIODevice::WriteOnly);
    Run run;
    run.summary = BatchScorer(pipeline, options).run(in, QStringLiteral("input"), out, &rejects);
    run.output = out.data();
    run.rejects = rejects.data();
    return run;
}

// Rows to score: the training table's formula with other values, an unseen colour and a missing x2.
QByteArray scoringCsv(int rows)
{
    QByteArray csv = "id,x1,x2,colour\n";
    static const char *colours[] = {"red", "green", "blue", "purple"};
    for (int i = 0; i < rows; ++i)
        csv += QByteArray::number(i) + ',' + QByteArray::number(i * 0.37 - 3) + ','
            + (i % 9 == 4 ? QByteArray("") : QByteArray::number(i % 23 * 0.61)) + ',' + colours[i % 4] + '\n';
    return csv;
}

QByteArray asJsonLines(int rows)
{
    QByteArray lines;
    static const char *colours[] = {"red", "green", "blue", "purple"};
    for (int i = 0; i < rows; ++i)
        lines += "{\"id\":" + QByteArray::number(i) + ",\"x1\":" + QByteArray::number(i * 0.37 - 3) + ",\"x2\":"
            + (i % 9 == 4 ? QByteArray("null") : QByteArray::number(i % 23 * 0.61)) + ",\"colour\":\"" + colours[i % 4] + "\"}\n";
    return lines;
}

// The prediction (regression) or probability columns of a CSV output, by column name.
std::vector<double> column(const QByteArray &csv, const QString &name)
{
    const Dataset data = CsvReader::readBytes(csv, QStringLiteral("output.csv")).value();
    const auto index = data.indexOf(name);
    return index ? data.column(*index).numbers() : std::vector<double>();
}

std::vector<double> jsonColumn(const QByteArray &lines, const std::string &key)
{
    std::vector<double> values;
    for (const QByteArray &line : lines.split('\n')) {
        if (line.isEmpty())
            continue;
        JsonRow row;
        if (readJsonRow(std::string_view(line.constData(), std::size_t(line.size())), row))
            return {};
        const JsonField *field = row.find(key);
        values.push_back(field ? field->number : std::nan(""));
    }
    return values;
}

bool sameBits(const std::vector<double> &a, const Eigen::VectorXd &b)
{
    return a.size() == std::size_t(b.size()) && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

} // namespace

class TestBatchScorer : public QObject
{
    Q_OBJECT

private slots:
    void matchesPipelinePredict_data();
    void matchesPipelinePredict();
    void rejectsWithLineNumbers_data();
    void rejectsWithLineNumbers();
    void chunksStayBounded();
    void missingFeatureColumnFails();
    void positionalFeatures_data();
    void positionalFeatures();
    void echoesInputRecords();
};

void TestBatchScorer::matchesPipelinePredict_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("json");
    QTest::addColumn<int>("chunkBytes");
    for (const QString &kind : {QStringLiteral("ridge"), QStringLiteral("logistic_regression")})
        for (const bool json : {false, true})
            for (const int chunk : {64, 1 << 20})
                QTest::newRow(qPrintable(
                    QStringLiteral("%1-%2-chunk%3").arg(kind, json ? QStringLiteral("jsonl") : QStringLiteral("csv")).arg(chunk)))
                    << kind << json << chunk;
}

void TestBatchScorer::matchesPipelinePredict()
{
    QFETCH(QString, kind);
    QFETCH(bool, json);
    QFETCH(int, chunkBytes);
    const Pipeline pipeline = test::fittedPipeline(kind);
    constexpr int kRows = 700;
    BatchOptions options;
    options.input = json ? RowFormat::JsonLines : RowFormat::Csv;
    options.output = options.input;
    options.chunkBytes = std::size_t(chunkBytes);
    options.threads = 2;
    const Run run = score(pipeline, json ? asJsonLines(kRows) : scoringCsv(kRows), options);
    QVERIFY2(run.summary, qPrintable(run.summary.ok() ? QString() : run.summary.error().message));
    QCOMPARE(run.summary.value().rowsScored, std::uint64_t(kRows));
    QCOMPARE(run.summary.value().rowsRejected, std::uint64_t(0));

    // The reference: the same rows loaded whole by CsvReader and scored by Pipeline::predict.
    const Dataset data = CsvReader::readBytes(scoringCsv(kRows), QStringLiteral("score.csv")).value();
    const Prediction expected = pipeline.predict(data).value();
    const bool classifies = kind != QLatin1String("ridge");
    const QString key = classifies ? QStringLiteral("proba:yes") : QStringLiteral("prediction");
    const std::vector<double> got = json ? jsonColumn(run.output, key.toStdString()) : column(run.output, key);
    QVERIFY(sameBits(got, classifies ? Eigen::VectorXd(expected.probabilities.col(1)) : expected.values));
    QVERIFY(expected.notes.unknownCategories > 0); // purple is unseen: the test covers that path
    QCOMPARE(run.summary.value().unknownCategories, std::uint64_t(expected.notes.unknownCategories));
}

void TestBatchScorer::rejectsWithLineNumbers_data()
{
    QTest::addColumn<bool>("json");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("rejects"); // line,reason as written; lines counted by hand, the header is line 1
    QTest::addColumn<int>("scored"); // the rows left, counted by hand

    const QByteArray header = "id,x1,x2,colour\n";
    QTest::newRow("csv-text-in-number") << false << header + "1,2,3,red\n2,abc,3,red\n3,1,1,blue\n"
                                        << QByteArray("line,reason\n3,column 'x1': 'abc' is not a number\n") << 2;
    QTest::newRow("csv-ragged-row") << false << header + "1,2,3,red\n2,3\n\n3,1,1,blue\n4,1,1,red,extra\n"
                                    << QByteArray("line,reason\n3,\"2 fields, but the header has 4\"\n"
                                                  "6,\"5 fields, but the header has 4\"\n")
                                    << 2;
    QTest::newRow("csv-infinite") << false << header + "1,inf,3,red\n2,1,-Infinity,red\n3,1,1,blue\n"
                                  << QByteArray("line,reason\n2,column 'x1': infinite values are not allowed\n"
                                                "3,column 'x2': infinite values are not allowed\n")
                                  << 1;
    // A quoted field with a line break: the record spans lines 2-3, so the next is line 4.
    QTest::newRow("csv-quoted-newline") << false << header + "1,2,3,\"re\nd\"\n2,x,3,red\n"
                                        << QByteArray("line,reason\n4,column 'x1': 'x' is not a number\n") << 1;
    // x2 is imputed (training has gaps): a row without its key has it missing, as with null.
    QTest::newRow("jsonl-imputed-key-omitted")
        << true << QByteArray("{\"x1\":1,\"x2\":2,\"colour\":\"red\"}\n{\"x1\":1,\"colour\":\"red\"}\n")
        << QByteArray("line,reason\n") << 2;
    // The second line is 29 bytes and lacks its closing brace: the reader stops at byte 30.
    QTest::newRow("jsonl-bad-json") << true
                                    << QByteArray(
                                           "\n{\"x1\":1,\"x2\":2,\"colour\":\"red\"\n{\"x1\":1,\"x2\":2,\"colour\":\"red\"}\n")
                                    << QByteArray("line,reason\n2,\"expected ',' or '}' at byte 30\"\n") << 1;
    QTest::newRow("jsonl-wrong-types")
        << true
        << QByteArray("{\"x1\":\"1\",\"x2\":2,\"colour\":\"red\"}\n{\"x1\":1,\"x2\":2,\"colour\":3}\n"
                      "{\"x1\":1,\"x2\":[2],\"colour\":\"red\"}\n{\"x1\":1,\"x2\":2,\"colour\":\"red\"}\n")
        << QByteArray("line,reason\n1,\"column 'x1' must be a number, not a string\"\n"
                      "2,\"column 'colour' must be a string, not a number\"\n"
                      "3,\"column 'x2' must be a number, not an object or array\"\n")
        << 1;
}

void TestBatchScorer::rejectsWithLineNumbers()
{
    QFETCH(bool, json);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, rejects);
    QFETCH(int, scored);
    const Pipeline pipeline = test::fittedPipeline(QStringLiteral("ridge"));
    BatchOptions options;
    options.input = options.output = json ? RowFormat::JsonLines : RowFormat::Csv;
    options.chunkBytes = 16; // several chunks: line numbers must carry across them
    const Run run = score(pipeline, input, options);
    QVERIFY2(run.summary, qPrintable(run.summary.ok() ? QString() : run.summary.error().message));
    QCOMPARE(run.rejects, rejects);
    const std::uint64_t refused = std::uint64_t(rejects.count('\n') - 1);
    QCOMPARE(run.summary.value().rowsRejected, refused);
    QCOMPARE(run.summary.value().rowsScored, std::uint64_t(scored));
}

void TestBatchScorer::chunksStayBounded()
{
    const Pipeline pipeline = test::fittedPipeline(QStringLiteral("ridge"));
    const QByteArray input = scoringCsv(5000);
    BatchOptions small;
    small.chunkBytes = 2048;
    small.threads = 2;
    const Run chunked = score(pipeline, input, small);
    QVERIFY(chunked.summary);
    BatchOptions whole;
    whole.chunkBytes = std::size_t(input.size()) * 2;
    const Run once = score(pipeline, input, whole);
    QVERIFY(once.summary);
    QCOMPARE(once.summary.value().chunks, std::size_t(1));
    // Records are at least 14 bytes here ("0,-3,0,red" + 4 more digits after the first rows), so a
    // 2 KiB chunk plus the record that crosses its end holds well under 200 rows.
    QVERIFY(chunked.summary.value().chunks >= std::size_t(input.size() / 2048));
    QVERIFY(chunked.summary.value().largestChunkRows < 200);
    QCOMPARE(chunked.summary.value().rowsScored, std::uint64_t(5000));
    // Chunks scored in parallel are written in input order: the output is the same bytes.
    QCOMPARE(chunked.output, once.output);
}

void TestBatchScorer::positionalFeatures_data()
{
    QTest::addColumn<bool>("positional");
    QTest::addColumn<bool>("jsonLines");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected"); // the notice, or the error when `named` is empty
    QTest::addColumn<QByteArray>("named"); // the same rows by the features' names; empty: the run fails
    QTest::newRow("csv-by-position") << true << false << QByteArray("a,b,c\n1,2,red\n7,,blue\n")
                                     << u"model features are positional (x1..colour); scoring columns a,b,c by position"_qs
                                     << QByteArray("x1,x2,colour\n1,2,red\n7,,blue\n");
    QTest::newRow("csv-by-name-wins") << true << false << QByteArray("colour,x1,x2\nred,1,2\n") << QString()
                                      << QByteArray("x1,x2,colour\n1,2,red\n");
    QTest::newRow("csv-one-column-too-many")
        << true << false << QByteArray("a,b,c,y\n1,2,red,4\n")
        << u"input: the input has no column 'x1', which the model needs; the model's features are "
           "positional (x1..colour): an input of exactly 3 columns, none named like a feature, is "
           "scored by position, and this one has 4"_qs
        << QByteArray();
    QTest::newRow("csv-not-positional") << false << false << QByteArray("a,b,c\n1,2,red\n")
                                        << u"input: the input has no column 'x1', which the model needs"_qs << QByteArray();
    QTest::newRow("jsonl-by-position")
        << true << true << QByteArray("{\"a\":1,\"b\":2,\"c\":\"red\"}\n{\"x1\":7,\"colour\":\"blue\"}\n")
        << u"model features are positional (x1..colour); scoring the keys of 1 row(s) in their order by position"_qs
        << QByteArray("x1,x2,colour\n1,2,red\n7,,blue\n");
}

// Positional features (an array-fitted import) are fed by position when the columns are exactly
// as many and none is named like a feature, as RowValidator::bindColumns decides for every caller.
void TestBatchScorer::positionalFeatures()
{
    QFETCH(bool, positional);
    QFETCH(bool, jsonLines);
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QFETCH(QByteArray, named);
    const Pipeline pipeline = test::fittedPipeline(QStringLiteral("ridge"));
    BatchOptions options;
    options.positionalFeatures = positional;
    options.input = jsonLines ? RowFormat::JsonLines : RowFormat::Csv;
    options.output = RowFormat::Csv;
    const Run run = score(pipeline, input, options);
    if (named.isEmpty()) {
        QVERIFY(!run.summary);
        QCOMPARE(run.summary.error().message, expected);
        return;
    }
    QVERIFY2(run.summary, run.summary ? "" : qPrintable(run.summary.error().message));
    QCOMPARE(run.summary.value().notice, expected);
    QCOMPARE(run.rejects, QByteArray("line,reason\n"));
    // The predictions are those of the same values given by name.
    const Prediction want = pipeline.predict(CsvReader::readBytes(named, QStringLiteral("named.csv")).value()).value();
    const QList<QByteArray> lines = run.output.trimmed().split('\n');
    QCOMPARE(lines.size(), qsizetype(want.values.size()) + 1);
    for (qsizetype r = 1; r < lines.size(); ++r)
        QCOMPARE(*parseNumber(std::string_view(lines[r].mid(lines[r].lastIndexOf(',') + 1).toStdString())),
                 want.values[Eigen::Index(r - 1)]);
}

void TestBatchScorer::missingFeatureColumnFails()
{
    const Pipeline pipeline = test::fittedPipeline(QStringLiteral("ridge"));
    const Run run = score(pipeline, "x1,colour\n1,red\n", {});
    QVERIFY(!run.summary);
    QCOMPARE(run.summary.error().message, QStringLiteral("input: the input has no column 'x2', which the model needs"));
}

void TestBatchScorer::echoesInputRecords()
{
    const Pipeline pipeline = test::fittedPipeline(QStringLiteral("logistic_regression"));
    // Quoted fields are echoed as written; semicolons are kept as the delimiter.
    const Run run = score(pipeline, "id;x1;x2;colour\n\"a;1\";1;2;\"red\"\n", {});
    QVERIFY(run.summary);
    const QList<QByteArray> lines = run.output.split('\n');
    QCOMPARE(lines[0], QByteArray("id;x1;x2;colour;prediction;proba:no;proba:yes"));
    QVERIFY2(lines[1].startsWith("\"a;1\";1;2;\"red\";no;"), lines[1].constData()); // x1 + x2 = 3 < 10: "no"
    BatchOptions toJson;
    toJson.output = RowFormat::JsonLines;
    const Run json = score(pipeline, "id,x1,x2,colour\nA7,1,NA,red\n", toJson);
    QVERIFY(json.summary);
    QVERIFY2(json.output.startsWith(R"({"id":"A7","x1":1,"x2":null,"colour":"red","prediction":"no","proba:no":)"),
             json.output.constData());
    BatchOptions jsonToCsv;
    jsonToCsv.input = RowFormat::JsonLines;
    const Run csv = score(pipeline, "{\"id\":\"q,1\",\"x1\":1,\"x2\":2,\"colour\":\"red\"}\n", jsonToCsv);
    QVERIFY(csv.summary);
    QVERIFY2(csv.output.startsWith("id,x1,x2,colour,prediction,proba:no,proba:yes\n\"q,1\",1,2,red,no,"), csv.output.constData());
}

QTEST_GUILESS_MAIN(TestBatchScorer)
#include "tst_batchscorer.moc"
