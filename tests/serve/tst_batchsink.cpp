// Batch scoring into a table (TableSink): the same rows, values and refusals as the CSV `plumb
// predict` writes (DeviceSink), without the text in between, whatever the chunk size.
#include "serve/batchscorer.h"
#include "serve/batchsink.h"

#include "data/csvreader.h"
#include "servetestutil.h"

#include <QBuffer>
#include <QTest>

using namespace plumb;

namespace {

// Rows to score, with columns the model does not read: an id (quoted, one in five holding a
// comma), a time and a count with gaps; and an unseen colour, a missing x2 and, on every 50th row,
// an x1 that is not a number.
QByteArray scoringCsv(int rows)
{
    QByteArray csv = "\"id, external\",x1,x2,colour,when,n\n";
    static const char *colours[] = {"red", "green", "blue", "purple"};
    for (int i = 0; i < rows; ++i)
        csv += (i % 5 == 0 ? "\"c" + QByteArray::number(i) + ", x\"" : "c" + QByteArray::number(i)) + ','
            + (i % 50 == 49 ? QByteArray("abc") : QByteArray::number(i * 0.37 - 3)) + ','
            + (i % 9 == 4 ? QByteArray("") : QByteArray::number(i % 23 * 0.61)) + ',' + colours[i % 4] + ",2026-01-"
            + QByteArray::number(1 + i % 28).rightJustified(2, '0') + "T10:00:00Z," + (i % 7 ? QByteArray::number(i) : "NA")
            + '\n';
    return csv;
}

struct Scored
{
    Result<BatchSummary> summary = Error::invalid(QString());
    Dataset table;
    std::vector<RefusedRow> refused;
    QByteArray csv;
    QByteArray rejects;
};

Scored score(const Pipeline &pipeline, const QByteArray &input, std::size_t chunkBytes)
{
    BatchOptions options;
    options.chunkBytes = chunkBytes;
    Scored scored;
    QBuffer in;
    in.setData(input);
    in.open(QIODevice::ReadOnly);
    TableSink table;
    scored.summary = BatchScorer(pipeline, options).run(in, QStringLiteral("input"), table);
    scored.table = table.takeTable();
    scored.refused = table.takeRefused();
    QBuffer again, out, rejects;
    again.setData(input);
    again.open(QIODevice::ReadOnly);
    out.open(QIODevice::WriteOnly);
    rejects.open(QIODevice::WriteOnly);
    (void)BatchScorer(pipeline, options).run(again, QStringLiteral("input"), out, &rejects);
    scored.csv = out.data();
    scored.rejects = rejects.data();
    return scored;
}

} // namespace

class TestBatchSink : public QObject
{
    Q_OBJECT

private slots:
    void tableHoldsWhatTheCsvSays_data();
    void tableHoldsWhatTheCsvSays();
    void noRowScoredKeepsTheColumns();
    void tableNeedsCsvInput();
};

void TestBatchSink::tableHoldsWhatTheCsvSays_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("chunkBytes");
    QTest::newRow("regression-one-chunk") << QStringLiteral("ridge") << (2 << 20);
    QTest::newRow("regression-small-chunks") << QStringLiteral("ridge") << 512;
    QTest::newRow("classification-small-chunks") << QStringLiteral("logistic_regression") << 700;
}

void TestBatchSink::tableHoldsWhatTheCsvSays()
{
    QFETCH(QString, model);
    QFETCH(int, chunkBytes);
    const Pipeline pipeline = test::fittedPipeline(model);
    const Scored scored = score(pipeline, scoringCsv(400), std::size_t(chunkBytes));
    QVERIFY2(scored.summary.ok(), scored.summary.ok() ? "" : qPrintable(scored.summary.error().message));
    // 400 rows, every 50th refused (by construction above).
    QCOMPARE(scored.summary.value().rowsScored, std::uint64_t(392));
    QCOMPARE(scored.table.rowCount(), std::size_t(392));
    // The text output read back is the table the Predict view used to show: same names, same cells.
    const Dataset written = CsvReader::readBytes(scored.csv, QStringLiteral("scored.csv")).value();
    QCOMPARE(scored.table.columnCount(), written.columnCount());
    for (std::size_t c = 0; c < written.columnCount(); ++c) {
        QCOMPARE(scored.table.column(c).name(), written.column(c).name());
        for (std::size_t r = 0; r < written.rowCount(); ++r)
            QVERIFY2(scored.table.column(c).displayText(r) == written.column(c).displayText(r),
                     qPrintable(QStringLiteral("%1, row %2: %3, the CSV says %4")
                                    .arg(written.column(c).name())
                                    .arg(r)
                                    .arg(scored.table.column(c).displayText(r), written.column(c).displayText(r))));
    }
    // Numbers are the doubles the CSV holds in shortest round-trip form: the same bits.
    const std::size_t probability = written.columnCount() - 1;
    if (written.column(probability).type() == ColumnType::Float)
        QVERIFY(scored.table.column(probability).numbers() == written.column(probability).numbers());
    // The refused rows, as the rejects CSV lists them.
    const Dataset rejects = CsvReader::readBytes(scored.rejects, QStringLiteral("rejects.csv")).value();
    QCOMPARE(scored.refused.size(), rejects.rowCount());
    for (std::size_t r = 0; r < rejects.rowCount(); ++r) {
        QCOMPARE(double(scored.refused[r].line), rejects.column(0).numbers()[r]);
        QCOMPARE(scored.refused[r].reason, rejects.column(1).displayText(r));
    }
    QCOMPARE(scored.refused.front().line, std::int64_t(51)); // row 49, after the header on line 1
}

void TestBatchSink::noRowScoredKeepsTheColumns()
{
    const Pipeline pipeline = test::fittedPipeline(QStringLiteral("logistic_regression"));
    const Scored scored = score(pipeline, "\"id, external\",x1,x2,colour\n\"a, 1\",abc,1,red\n", 2 << 20);
    QVERIFY(scored.summary.ok());
    QCOMPARE(scored.table.rowCount(), std::size_t(0));
    QStringList names;
    for (const Column &column : scored.table.columns())
        names.append(column.name());
    // The input's columns as its header names them, the prediction and one probability per class.
    QCOMPARE(names,
             (QStringList{QStringLiteral("id, external"), QStringLiteral("x1"), QStringLiteral("x2"), QStringLiteral("colour"),
                          QStringLiteral("prediction"), QStringLiteral("proba:no"), QStringLiteral("proba:yes")}));
    QCOMPARE(scored.refused.size(), std::size_t(1));
}

void TestBatchSink::tableNeedsCsvInput()
{
    const Pipeline pipeline = test::fittedPipeline(QStringLiteral("ridge"));
    BatchOptions options;
    options.input = RowFormat::JsonLines;
    QBuffer in;
    in.setData("{\"x1\":1,\"x2\":2,\"colour\":\"red\"}\n");
    in.open(QIODevice::ReadOnly);
    TableSink table;
    const Result<BatchSummary> summary = BatchScorer(pipeline, options).run(in, QStringLiteral("rows.jsonl"), table);
    QVERIFY(!summary.ok());
    QCOMPARE(summary.error().message, QStringLiteral("rows.jsonl: a table of scored rows needs CSV input and no explanations"));
}

QTEST_GUILESS_MAIN(TestBatchSink)
#include "tst_batchsink.moc"
