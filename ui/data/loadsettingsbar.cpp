#include "ui/data/loadsettingsbar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

#include <algorithm>

namespace plumb::ui {

namespace {

// The combo box's items, in order: automatic, then the two marks.
constexpr char kDecimalChoices[] = {0, '.', ','};

QString tokenList(const QStringList &tokens)
{
    QStringList shown;
    for (const QString &token : tokens)
        shown.append(token.isEmpty() ? QStringLiteral("(empty field)") : token);
    return shown.join(QStringLiteral("  "));
}

} // namespace

LoadSettingsBar::LoadSettingsBar(QWidget *parent)
    : QWidget(parent), mDecimal(new QComboBox), mDefaults(new QCheckBox(QStringLiteral("Default missing tokens"))),
      mExtra(new QLineEdit)
{
    setObjectName(QStringLiteral("LoadSettingsBar"));
    mDecimal->setObjectName(QStringLiteral("DecimalMark"));
    mDecimal->addItems({QStringLiteral("Automatic"), QStringLiteral("Point ( . )"), QStringLiteral("Comma ( , )")});
    mDecimal->setToolTip(QStringLiteral("The decimal mark of numbers. Automatic reads a decimal comma (2,62) when the "
                                        "file is not comma-separated and its numbers need one."));
    mDefaults->setObjectName(QStringLiteral("DefaultMissingTokens"));
    mDefaults->setChecked(true);
    mDefaults->setToolTip(QStringLiteral("Read these as missing values (pandas' defaults, and ?):\n")
                          + tokenList(MissingTokens::defaultTokens())
                          + QStringLiteral("\nUntick to keep a category such as None; the empty field stays missing."));
    mExtra->setObjectName(QStringLiteral("ExtraMissingTokens"));
    mExtra->setPlaceholderText(QStringLiteral("e.g. -999, n.a."));
    mExtra->setToolTip(QStringLiteral("More values to read as missing, separated by commas; matched exactly."));
    mExtra->setClearButtonEnabled(true);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 4, 12, 4);
    layout->addWidget(new QLabel(QStringLiteral("Decimal mark")));
    layout->addWidget(mDecimal);
    layout->addSpacing(16);
    layout->addWidget(mDefaults);
    layout->addSpacing(16);
    layout->addWidget(new QLabel(QStringLiteral("Also missing")));
    layout->addWidget(mExtra, 1);

    connect(mDecimal, &QComboBox::currentIndexChanged, this, [this] {
        if (!mShowing)
            emit settingsChanged();
    });
    connect(mDefaults, &QCheckBox::toggled, this, [this] {
        if (!mShowing)
            emit settingsChanged();
    });
    connect(mExtra, &QLineEdit::editingFinished, this, [this] {
        if (!mShowing && mExtra->isModified()) {
            mExtra->setModified(false);
            emit settingsChanged();
        }
    });
}

void LoadSettingsBar::showLoad(const CsvOptions &options, const CsvDialect &dialect)
{
    mShowing = true;
    const int index = options.decimal == '.' ? 1 : options.decimal == ',' ? 2 : 0;
    const QString found = dialect.decimal == ',' ? QStringLiteral("comma") : QStringLiteral("point");
    mDecimal->setItemText(0, QStringLiteral("Automatic (found: %1)").arg(found));
    mDecimal->setCurrentIndex(index);
    mDefaults->setChecked(options.keepDefaultNa);
    mExtra->setText(options.missingTokens().extraTokens().join(QStringLiteral(", ")));
    mExtra->setModified(false);
    mShowing = false;
}

CsvOptions LoadSettingsBar::options(CsvOptions base) const
{
    base.decimal = kDecimalChoices[std::clamp(mDecimal->currentIndex(), 0, 2)];
    base.keepDefaultNa = mDefaults->isChecked();
    base.naValues = mExtra->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    return base;
}

} // namespace plumb::ui
