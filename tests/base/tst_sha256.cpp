// SHA-256 against the standard's test vectors (FIPS 180-2 examples) and sha256sum's output for a
// file read in pieces.

#include "base/sha256.h"

#include <QTemporaryDir>
#include <QTest>

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
};

void TestSha256::knownDigests_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("digest");
    QTest::newRow("empty") << QByteArray() << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_ba;
    QTest::newRow("abc") << "abc"_ba << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_ba;
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

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestSha256)
#include "tst_sha256.moc"
