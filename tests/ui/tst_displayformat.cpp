// The workbench's one number format for reading (ui/displayformat.h): six significant digits, never
// fewer than the whole part has, scientific only for the very small and the very large.

#include "ui/common/displayformat.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace plumb::ui;
using namespace Qt::StringLiterals;

class TestDisplayFormat : public QObject
{
    Q_OBJECT

private slots:
    void formatNumber_data();
    void formatNumber();
    void formatNameList_data();
    void formatNameList();
};

void TestDisplayFormat::formatNumber_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("text");
    // Each expectation by hand from the rule in displayformat.h.
    QTest::newRow("whole") << 1234567.0 << QStringLiteral("1,234,567");
    QTest::newRow("negative-whole") << -42.0 << QStringLiteral("-42");
    QTest::newRow("probability") << 0.67432198765432101 << QStringLiteral("0.674322");
    QTest::newRow("half") << 0.5 << QStringLiteral("0.5");
    QTest::newRow("thousands") << 1234.5678 << QStringLiteral("1,234.57");
    QTest::newRow("large-not-exponent") << 1174370.25 << QStringLiteral("1,174,370");
    QTest::newRow("small-fixed") << 0.000123456789 << QStringLiteral("0.000123457");
    QTest::newRow("tiny-scientific") << 2.56e-06 << QStringLiteral("2.56e-06");
    QTest::newRow("tiny-negative") << -3.0e-12 << QStringLiteral("-3e-12");
    QTest::newRow("huge-fraction") << 1.5e15 + 0.5 << QStringLiteral("1.5e+15");
    QTest::newRow("huge-scientific") << 1.5e20 << QStringLiteral("1.5e+20");
    QTest::newRow("rounds-up") << 0.99999999 << QStringLiteral("1");
    QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << QStringLiteral("\u2014");
    QTest::newRow("infinity") << std::numeric_limits<double>::infinity() << QStringLiteral("\u221e");
}

void TestDisplayFormat::formatNumber()
{
    QFETCH(double, value);
    QFETCH(QString, text);
    QCOMPARE(plumb::ui::formatNumber(value), text);
}

void TestDisplayFormat::formatNameList_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QString>("text");
    // By hand, CSV's quoting: only names that could be misread are quoted.
    QTest::newRow("plain") << QStringList{u"no"_s, u"yes"_s} << u"no, yes"_s;
    QTest::newRow("comma") << QStringList{u"Smith, J"_s, u"Doe"_s} << u"\"Smith, J\", Doe"_s;
    QTest::newRow("quote") << QStringList{u"5\" screen"_s} << u"\"5\"\" screen\""_s;
    QTest::newRow("spaces-at-an-end") << QStringList{u" a"_s, u"b"_s} << u"\" a\", b"_s;
    QTest::newRow("empty-name") << QStringList{QString(), u"b"_s} << u"\"\", b"_s;
}

void TestDisplayFormat::formatNameList()
{
    QFETCH(QStringList, names);
    QFETCH(QString, text);
    QCOMPARE(plumb::ui::formatNameList(names), text);
}

QTEST_MAIN(TestDisplayFormat)
#include "tst_displayformat.moc"
