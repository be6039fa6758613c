// closeNames: the names suggested for a mistyped column name. Expected distances are counted by
// hand (one edit per inserted, deleted, replaced or swapped character, case ignored).

#include "base/closenames.h"

#include <QTest>

namespace plumb {

class TestCloseNames : public QObject
{
    Q_OBJECT

private slots:
    void distance_data();
    void distance();
    void suggestions_data();
    void suggestions();
    void hint();
};

void TestCloseNames::distance_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<qsizetype>("expected");
    QTest::newRow("same") << QStringLiteral("Ozone") << QStringLiteral("Ozone") << qsizetype(0);
    QTest::newRow("case-only") << QStringLiteral("ozone") << QStringLiteral("OZONE") << qsizetype(0);
    QTest::newRow("one-deleted") << QStringLiteral("Ozon") << QStringLiteral("Ozone") << qsizetype(1);
    QTest::newRow("one-inserted") << QStringLiteral("Ozonne") << QStringLiteral("Ozone") << qsizetype(1);
    QTest::newRow("one-replaced") << QStringLiteral("Solar_R") << QStringLiteral("Solar.R") << qsizetype(1);
    QTest::newRow("adjacent-swap") << QStringLiteral("Oznoe") << QStringLiteral("Ozone") << qsizetype(1);
    QTest::newRow("swap-and-case") << QStringLiteral("tmep") << QStringLiteral("Temp") << qsizetype(1);
    QTest::newRow("empty") << QString() << QStringLiteral("Wind") << qsizetype(4);
    QTest::newRow("unrelated") << QStringLiteral("abc") << QStringLiteral("xyz") << qsizetype(3);
    // kitten -> sitting: the textbook Levenshtein example, 3 edits.
    QTest::newRow("kitten-sitting") << QStringLiteral("kitten") << QStringLiteral("sitting") << qsizetype(3);
}

void TestCloseNames::distance()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(qsizetype, expected);
    QCOMPARE(nameDistance(a, b), expected);
    QCOMPARE(nameDistance(b, a), expected);
}

void TestCloseNames::suggestions_data()
{
    // R's airquality columns, and a few more to rank.
    const QStringList airquality{QStringLiteral("Ozone"), QStringLiteral("Solar.R"), QStringLiteral("Wind"),
                                 QStringLiteral("Temp"),  QStringLiteral("Month"),   QStringLiteral("Day")};
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QStringList>("candidates");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("missing-letter") << QStringLiteral("Ozon") << airquality << QStringList{QStringLiteral("Ozone")};
    QTest::newRow("case-only") << QStringLiteral("ozone") << airquality << QStringList{QStringLiteral("Ozone")};
    QTest::newRow("swapped-letters") << QStringLiteral("Tmep") << airquality << QStringList{QStringLiteral("Temp")};
    QTest::newRow("other-punctuation") << QStringLiteral("solar_r") << airquality << QStringList{QStringLiteral("Solar.R")};
    QTest::newRow("nothing-close") << QStringLiteral("humidity") << airquality << QStringList{};
    // 'Temperature' is 7 edits from 'Temp': far past a third of its length.
    QTest::newRow("prefix-is-not-close") << QStringLiteral("Temperature") << airquality << QStringList{};
    // One letter replaced in a one-letter name is a different name, not a slip.
    QTest::newRow("single-letter") << QStringLiteral("y") << QStringList{QStringLiteral("x"), QStringLiteral("Y")}
                                   << QStringList{QStringLiteral("Y")};
    QTest::newRow("exact-is-not-suggested") << QStringLiteral("Day") << airquality << QStringList{};
    // Closest first: case-only (0), then one edit, in the candidates' order; at most three.
    QTest::newRow("ranked-and-limited") << QStringLiteral("value1")
                                        << QStringList{QStringLiteral("value2"), QStringLiteral("Value1"),
                                                       QStringLiteral("value3"), QStringLiteral("value12"),
                                                       QStringLiteral("value4")}
                                        << QStringList{QStringLiteral("Value1"), QStringLiteral("value2"),
                                                       QStringLiteral("value3")};
    QTest::newRow("duplicates-once") << QStringLiteral("Wnd") << QStringList{QStringLiteral("Wind"), QStringLiteral("Wind")}
                                     << QStringList{QStringLiteral("Wind")};
}

void TestCloseNames::suggestions()
{
    QFETCH(QString, typed);
    QFETCH(QStringList, candidates);
    QFETCH(QStringList, expected);
    QCOMPARE(closeNames(typed, candidates), expected);
}

void TestCloseNames::hint()
{
    const QStringList names{QStringLiteral("Ozone"), QStringLiteral("Wind")};
    QCOMPARE(closeNamesHint(QStringLiteral("Ozon"), names), QStringLiteral("; close names: Ozone"));
    QCOMPARE(closeNamesHint(QStringLiteral("humidity"), names), QString());
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestCloseNames)
#include "tst_closenames.moc"
