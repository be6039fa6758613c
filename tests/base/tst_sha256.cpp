// SHA-256 against the standard's test vectors (FIPS 180-2 examples) and sha256sum's output for a
// file read in pieces.

#include "base/sha256.h"

#include <QTemporaryDir>

#include <QTest>
#include <algorithm>
#include <cstring>
#include <random>
#include <thread>

using namespace Qt::StringLiterals;

namespace plumb {

class TestSha256 : public QObject
{
    Q_OBJECT

private slots:
    void knownDigests_data();
    void knownDigests();
    void piecesGiveTheWholeDigest();
    void fileDigestIsHex();
    void missingFileIsAnError();
    void orderedPiecesFromThreads();
    void orderedDigestNeedsEveryPiece();
    void abandonWakesWaitingThreads();
    void digestFilesGivesEachAndCombined();
};

void TestSha256::knownDigests_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("digest");
    QTest::newRow("empty") << QByteArray() << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_ba;
    QTest::newRow("abc") << "abc"_ba
                         << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_ba;
    QTest::newRow("two blocks") << "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"_ba
                                << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"_ba;
    QTest::newRow("a million a") << QByteArray(1000000, 'a')
                                 << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"_ba;
}

void TestSha256::knownDigests()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, digest);
    QCOMPARE(sha256(input).toHex(), digest);
}

void TestSha256::piecesGiveTheWholeDigest()
{
    QByteArray data(3 * 1024 * 1024 + 17, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 131) % 251);
    Sha256 hash;
    for (qsizetype at = 0; at < data.size(); at += 100000)
        hash.add(QByteArrayView(data.constData() + at, std::min<qsizetype>(100000, data.size() - at)));
    QCOMPARE(hash.result(), sha256(data));
}

void TestSha256::fileDigestIsHex()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"a.bin"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(1000000, 'a'));
    file.close();
    const Result<QString> hex = fileSha256Hex(path);
    QVERIFY(hex.ok());
    QCOMPARE(hex.value(), u"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"_s);
}

void TestSha256::missingFileIsAnError()
{
    const Result<QString> hex = fileSha256Hex(u"/nonexistent/plumb/file"_s);
    QVERIFY(!hex.ok());
    QCOMPARE(hex.error().kind, Error::Kind::Io);
    QVERIFY(hex.error().message.contains(u"/nonexistent/plumb/file"_s));
}

namespace {

std::unique_ptr<char[]> copyOf(const QByteArray &bytes, qsizetype from, qsizetype length)
{
    std::unique_ptr<char[]> copy(new char[std::size_t(std::max<qsizetype>(length, 1))]);
    std::memcpy(copy.get(), bytes.constData() + from, std::size_t(length));
    return copy;
}

} // namespace

// Pieces handed out in ascending order to four threads that take random times over each (with a
// small pending limit, so threads wait for each other and finish out of order) give the digest of
// the whole in one call.
void TestSha256::orderedPiecesFromThreads()
{
    QByteArray data(2 * 1024 * 1024 + 5, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 7919) % 253);
    const qsizetype pieceBytes = 65536;
    const std::size_t pieces = std::size_t((data.size() + pieceBytes - 1) / pieceBytes);
    OrderedSha256 digest(2);
    std::atomic<std::size_t> nextPiece{0};
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            std::mt19937 random(t);
            for (std::size_t piece = nextPiece++; piece < pieces; piece = nextPiece++) {
                std::this_thread::sleep_for(std::chrono::microseconds(random() % 2000));
                const qsizetype from = qsizetype(piece) * pieceBytes;
                const qsizetype length = std::min(pieceBytes, data.size() - from);
                digest.add(piece, copyOf(data, from, length), std::size_t(length));
            }
        });
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(digest.result(pieces), sha256(data));
}

void TestSha256::orderedDigestNeedsEveryPiece()
{
    const QByteArray data = "abcdef"_ba;
    OrderedSha256 digest;
    digest.add(0, copyOf(data, 0, 3), 3);
    digest.add(2, copyOf(data, 3, 3), 3); // piece 1 never arrives
    QVERIFY(digest.result(3).isEmpty());
}

// A thread waiting for room (piece 0 never comes) is released by abandon() and the digest is gone.
void TestSha256::abandonWakesWaitingThreads()
{
    const QByteArray data(100, 'x');
    OrderedSha256 digest(1);
    digest.add(2, copyOf(data, 0, 10), 10);
    std::thread blocked([&] { digest.add(3, copyOf(data, 0, 10), 10); });
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        digest.abandon();
    });
    blocked.join();
    stopper.join();
    QVERIFY(digest.result(4).isEmpty());
}

void TestSha256::digestFilesGivesEachAndCombined()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray first = "id,x\n1,2\n"_ba, second = "3,4\n"_ba;
    QStringList paths;
    for (const QByteArray &bytes : {first, second}) {
        paths.append(dir.filePath(u"part%1.csv"_s.arg(paths.size())));
        QFile file(paths.back());
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }
    const Result<FilesDigest> digest = digestFiles(paths);
    QVERIFY(digest.ok());
    QCOMPARE(digest.value().combined, QString::fromLatin1(sha256(first + second).toHex())); // cat part0 part1 | sha256sum
    QCOMPARE(digest.value().each,
             QStringList({QString::fromLatin1(sha256(first).toHex()), QString::fromLatin1(sha256(second).toHex())}));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestSha256)
#include "tst_sha256.moc"
