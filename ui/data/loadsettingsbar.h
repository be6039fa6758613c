#pragma once

#include "data/csvreader.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace plumb::ui {

// How the Data view's file is read, beside the data: the decimal mark (automatic, showing what the
// sniffer found, or forced '.' or ','), whether the default missing-value tokens count, and extra
// tokens. Changing one asks for a reload with those options (settingsChanged); the bar shows the
// options and dialect of the load that is on screen (showLoad()).
class LoadSettingsBar : public QWidget
{
    Q_OBJECT

public:
    explicit LoadSettingsBar(QWidget *parent = nullptr);

    // Shows the options a load used and the dialect it found, without emitting settingsChanged.
    void showLoad(const CsvOptions &options, const CsvDialect &dialect);
    // The options on screen, applied over `base` (which keeps the delimiter, header and types).
    CsvOptions options(CsvOptions base) const;

    QComboBox *decimalBox() const { return mDecimal; }
    QCheckBox *defaultTokensBox() const { return mDefaults; }
    QLineEdit *extraTokensEdit() const { return mExtra; }

signals:
    void settingsChanged();

private:
    QComboBox *mDecimal;
    QCheckBox *mDefaults;
    QLineEdit *mExtra;
    bool mShowing = false;
};

} // namespace plumb::ui
