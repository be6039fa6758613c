#pragma once

#include "ui/models/modeldocument.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace plumb::ui {

// Whether a model file can be trusted: its integrity (the embedded digest matched), its file
// SHA-256 as sha256sum prints it with a Copy button, and its signature state with a coloured icon,
// the signer's key id and the keyring file, plus a Sign… button.
class ModelTrustCard : public QFrame
{
    Q_OBJECT

public:
    // How the signature state reads: a colour, an icon and a headline.
    struct SignatureLook
    {
        QString iconPath;
        QColor color;
        QString headline;
    };
    static SignatureLook signatureLook(const SignatureStatus &status);

    explicit ModelTrustCard(QWidget *parent = nullptr);

    void showModel(const LoadedModel &model);
    // The SHA-256 shown, and the signature headline as plain text.
    QString sha256() const;
    QString signatureHeadline() const;
    QPushButton *signButton() const { return mSign; }
    QPushButton *copyButton() const { return mCopy; }

signals:
    void signRequested();

private:
    QString mHeadline;
    QLabel *mSignatureIcon;
    QLabel *mSignatureHeadline;
    QLabel *mSignatureDetail;
    QLabel *mIntegrity;
    QLabel *mSha256;
    QLabel *mFileDetail;
    QPushButton *mCopy;
    QPushButton *mSign;
};

} // namespace plumb::ui
