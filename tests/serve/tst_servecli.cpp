// plumb serve as a user starts it: loopback by default on a port it reports, and no address beyond
// loopback without a bearer token.
#include "servetestutil.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

class TestServeCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void servesOnReportedPort();
    void refusesRemoteWithoutToken();

private:
    QTemporaryDir mDir;
    QString mModel;
};

void TestServeCli::initTestCase()
{
    QVERIFY(mDir.isValid());
    QFile training(mDir.filePath(QStringLiteral("training.csv")));
    QVERIFY(training.open(QIODevice::WriteOnly));
    training.write(plumb::test::trainingTable(300));
    training.close();
    mModel = mDir.filePath(QStringLiteral("model.plumb"));
    QProcess train;
    train.start(QStringLiteral(PLUMB_CLI_PATH), {QStringLiteral("train"), training.fileName(), QStringLiteral("--target"),
                                                 QStringLiteral("y"), QStringLiteral("--features"), QStringLiteral("x1,x2,colour"),
                                                 QStringLiteral("--model"), QStringLiteral("ridge"), QStringLiteral("-o"), mModel,
                                                 QStringLiteral("--no-importance")});
    QVERIFY(train.waitForFinished(120000));
    QCOMPARE(train.exitCode(), 0);
}

void TestServeCli::servesOnReportedPort()
{
    QProcess serve;
    serve.start(QStringLiteral(PLUMB_CLI_PATH), {QStringLiteral("serve"), mModel, QStringLiteral("--port"), QStringLiteral("0")});
    QByteArray err;
    const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)\n"));
    QRegularExpressionMatch match;
    for (int waited = 0; waited < 30000 && !match.hasMatch(); waited += 50) {
        serve.waitForReadyRead(50);
        err += serve.readAllStandardError();
        match = listening.match(QString::fromUtf8(err));
    }
    QVERIFY2(match.hasMatch(), err.constData());
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, match.captured(1).toUShort());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QByteArray answer;
    for (int waited = 0; waited < 10000 && !answer.contains("\"ok\""); waited += 50) {
        socket.waitForReadyRead(50);
        answer += socket.readAll();
    }
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    serve.terminate();
    QVERIFY(serve.waitForFinished(10000));
}

void TestServeCli::refusesRemoteWithoutToken()
{
    QProcess serve;
    serve.start(QStringLiteral(PLUMB_CLI_PATH), {QStringLiteral("serve"), mModel, QStringLiteral("--host"), QStringLiteral("0.0.0.0")});
    QVERIFY(serve.waitForFinished(30000));
    QCOMPARE(serve.exitCode(), 2);
    QVERIFY(serve.readAllStandardError().contains("listening on 0.0.0.0, beyond loopback, needs --token-file"));
}

QTEST_GUILESS_MAIN(TestServeCli)
#include "tst_servecli.moc"
