#include "ui/common/inputpolicy.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QtTest>

#include <functional>
#include <memory>

using plumb::ui::InputPolicy;

namespace {

// A field at the top of a tall form in a 300x200 scroll area, and a line edit holding the focus.
struct Form
{
    QWidget window;
    QScrollArea *scroll = new QScrollArea;
    QLineEdit *focused = new QLineEdit;

    explicit Form(QWidget *field)
    {
        auto *content = new QWidget;
        auto *layout = new QVBoxLayout(content);
        layout->addWidget(field);
        layout->addSpacing(2000);
        scroll->setWidget(content);
        scroll->setWidgetResizable(true);
        auto *outer = new QVBoxLayout(&window);
        outer->addWidget(focused);
        outer->addWidget(scroll);
        window.resize(300, 260);
    }
};

// One notch of the wheel, turned towards the user (scrolls down, lowers a spin box).
void turnWheel(QWidget *widget)
{
    const QPointF centre = QRectF(widget->rect()).center();
    QWheelEvent wheel(centre, widget->mapToGlobal(centre), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(widget, &wheel);
}

} // namespace

// The application-wide wheel, Tab and Ctrl+PgUp/PgDn policy (ui/inputpolicy.h).
class TestInputPolicy : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void wheelScrollsPastUnfocusedFields_data();
    void wheelScrollsPastUnfocusedFields();
    void tabLeavesTables();
    void controlPageKeysSwitchTabs_data();
    void controlPageKeysSwitchTabs();
};

void TestInputPolicy::initTestCase()
{
    InputPolicy::install();
    InputPolicy::install(); // twice is once
    QCOMPARE(qApp->findChildren<InputPolicy *>().size(), 1);
}

using Field = std::function<QWidget *()>;
using Value = std::function<QString(QWidget *)>;
Q_DECLARE_METATYPE(Field)
Q_DECLARE_METATYPE(Value)

void TestInputPolicy::wheelScrollsPastUnfocusedFields_data()
{
    QTest::addColumn<Field>("make");
    QTest::addColumn<Value>("value");
    // Each field starts mid-range, so one notch of the wheel would change it if it got the event.
    QTest::newRow("spin-box") << Field([] {
        auto *box = new QSpinBox;
        box->setRange(0, 1000);
        box->setValue(100);
        return box;
    }) << Value([](QWidget *w) { return QString::number(static_cast<QSpinBox *>(w)->value()); });
    QTest::newRow("double-spin-box") << Field([] {
        auto *box = new QDoubleSpinBox;
        box->setRange(0, 10);
        box->setValue(0.5);
        return box;
    }) << Value([](QWidget *w) { return QString::number(static_cast<QDoubleSpinBox *>(w)->value()); });
    QTest::newRow("combo-box") << Field([] {
        auto *box = new QComboBox;
        box->addItems({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        box->setCurrentIndex(1);
        return box;
    }) << Value([](QWidget *w) { return static_cast<QComboBox *>(w)->currentText(); });
    QTest::newRow("slider") << Field([] {
        auto *slider = new QSlider(Qt::Horizontal);
        slider->setRange(0, 100);
        slider->setValue(50);
        return slider;
    }) << Value([](QWidget *w) { return QString::number(static_cast<QSlider *>(w)->value()); });
}

void TestInputPolicy::wheelScrollsPastUnfocusedFields()
{
    QFETCH(Field, make);
    QFETCH(Value, value);
    QWidget *field = make();
    Form form(field);
    form.window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&form.window));
    QCOMPARE(field->focusPolicy(), Qt::StrongFocus); // the wheel never hands it the focus
    form.focused->setFocus();
    const QString before = value(field);

    turnWheel(field);
    QCOMPARE(value(field), before);
    QVERIFY2(form.scroll->verticalScrollBar()->value() > 0, "the form did not scroll");

    // With the focus, the wheel is the field's again.
    const int scrolled = form.scroll->verticalScrollBar()->value();
    field->setFocus();
    QVERIFY(field->hasFocus());
    turnWheel(field);
    QVERIFY(value(field) != before);
    QCOMPARE(form.scroll->verticalScrollBar()->value(), scrolled);
}

void TestInputPolicy::tabLeavesTables()
{
    QWidget window;
    auto *before = new QLineEdit;
    auto *table = new QTableWidget(3, 3);
    auto *after = new QLineEdit;
    auto *layout = new QVBoxLayout(&window);
    layout->addWidget(before);
    layout->addWidget(table);
    layout->addWidget(after);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(!table->tabKeyNavigation());
    table->setFocus();
    table->setCurrentCell(0, 0);
    QTest::keyClick(table, Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), after);
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Backtab, Qt::ShiftModifier);
    QCOMPARE(QApplication::focusWidget(), before);
    // Cells are walked with the arrows.
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Right);
    QCOMPARE(table->currentColumn(), 1);
}

void TestInputPolicy::controlPageKeysSwitchTabs_data()
{
    QTest::addColumn<int>("start");
    QTest::addColumn<int>("key");
    QTest::addColumn<int>("expected");
    QTest::addColumn<bool>("fromTable");
    QTest::newRow("next") << 0 << int(Qt::Key_PageDown) << 1 << false;
    QTest::newRow("previous") << 1 << int(Qt::Key_PageUp) << 0 << false;
    QTest::newRow("next-wraps") << 2 << int(Qt::Key_PageDown) << 0 << false;
    QTest::newRow("previous-wraps") << 0 << int(Qt::Key_PageUp) << 2 << false;
    QTest::newRow("from-a-table") << 0 << int(Qt::Key_PageDown) << 1 << true;
}

void TestInputPolicy::controlPageKeysSwitchTabs()
{
    QFETCH(int, start);
    QFETCH(int, key);
    QFETCH(int, expected);
    QFETCH(bool, fromTable);
    QTabWidget tabs;
    QList<QWidget *> focusable;
    for (int i = 0; i < 3; ++i) {
        QWidget *page = fromTable ? static_cast<QWidget *>(new QTableWidget(2, 2)) : new QLineEdit;
        focusable.append(page);
        tabs.addTab(page, QStringLiteral("Tab %1").arg(i));
    }
    tabs.setCurrentIndex(start);
    tabs.show();
    QVERIFY(QTest::qWaitForWindowActive(&tabs));
    focusable[start]->setFocus();
    QTest::keyClick(focusable[start], Qt::Key(key), Qt::ControlModifier);
    QCOMPARE(tabs.currentIndex(), expected);
}

QTEST_MAIN(TestInputPolicy)
#include "tst_inputpolicy.moc"
