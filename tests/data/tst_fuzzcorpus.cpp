// Runs every committed fuzz seed (tests/fuzz/corpus/csv) through CsvReader as the fuzz target does,
// so the seeds are regression tests in ordinary builds. A seed named ok-* must load and one named
// error-* must fail; every result must satisfy the invariants in tests/fuzz/csvfuzzcheck.h.

#include "../fuzz/csvfuzzcheck.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTest>

using namespace Qt::StringLiterals;

namespace plumb {

class TestFuzzCorpus : public QObject
{
    Q_OBJECT

private slots:
    void seedsReadAsExpected_data();
    void seedsReadAsExpected();
};

void TestFuzzCorpus::seedsReadAsExpected_data()
{
    QTest::addColumn<QString>("path");
    const QDir corpus(QStringLiteral(PLUMB_SOURCE_DIR "/tests/fuzz/corpus/csv"));
    const QStringList files = corpus.entryList(QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 12, qPrintable(u"%1 seeds in %2"_s.arg(files.size()).arg(corpus.path())));
    for (const QString &file : files)
        QTest::newRow(file.toUtf8().constData()) << corpus.filePath(file);
}

void TestFuzzCorpus::seedsReadAsExpected()
{
    QFETCH(QString, path);

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray input = file.readAll();
    QVERIFY2(!input.isEmpty(), "a seed needs at least its option byte");
    const unsigned char selector = static_cast<unsigned char>(input.front());
    const Result<Dataset> result = fuzz::readSelected(input.mid(1), selector);

    const QString problem = fuzz::invariantProblem(result, selector);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString base = QFileInfo(path).fileName();
    if (base.startsWith(u"ok-"_s))
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    else if (base.startsWith(u"error-"_s))
        QVERIFY2(!result.ok(), qPrintable(u"loaded %1 rows"_s.arg(result.ok() ? result.value().rowCount() : 0)));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestFuzzCorpus)
#include "tst_fuzzcorpus.moc"
