#include "ui/models/modeltrustcard.h"

#include "ui/common/buttons.h"
#include "ui/common/displayformat.h"
#include "ui/common/theme.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QTimer>
#include <QVBoxLayout>

namespace plumb::ui {

namespace {

constexpr int kIconSize = 36;

// A trusted comment names the digest in full; 64 hex digits do not wrap, so show their start.
QString shortenedDigests(QString text)
{
    static const QRegularExpression kHex(QStringLiteral("([0-9a-f]{16})[0-9a-f]{48}"));
    return text.replace(kHex, QStringLiteral("\\1\u2026"));
}

QString colored(const QColor &color, const QString &text)
{
    return QStringLiteral("<span style=\"color:%1; font-weight:600\">%2</span>").arg(color.name(), text.toHtmlEscaped());
}

} // namespace

ModelTrustCard::SignatureLook ModelTrustCard::signatureLook(const SignatureStatus &status)
{
    switch (status.state) {
    case SignatureStatus::State::Trusted:
        return {QStringLiteral(":/icons/shield-check.svg"), themeColors().good, QStringLiteral("Signed by a trusted key")};
    case SignatureStatus::State::UnknownKey:
        return {QStringLiteral(":/icons/shield-question.svg"), themeColors().warning,
                QStringLiteral("Signed by a key you do not trust yet")};
    case SignatureStatus::State::Invalid:
        return {QStringLiteral(":/icons/shield-alert.svg"), themeColors().bad, QStringLiteral("Signature is INVALID")};
    case SignatureStatus::State::Unsigned:
        break;
    }
    return {QStringLiteral(":/icons/shield-off.svg"), themeColors().secondaryText, QStringLiteral("Not signed")};
}

ModelTrustCard::ModelTrustCard(QWidget *parent)
    : QFrame(parent), mSignatureIcon(new QLabel), mSignatureHeadline(new QLabel), mSignatureDetail(new QLabel),
      mIntegrity(new QLabel), mSha256(new QLabel), mFileDetail(new QLabel),
      mCopy(createCopyButton([this] { return mSha256->text(); })),
      mSign(createHeaderButton(QStringLiteral("Sign\u2026"), QStringLiteral(":/icons/key.svg")))
{
    setObjectName(QStringLiteral("Card"));
    mSignatureHeadline->setObjectName(QStringLiteral("SignatureHeadline"));
    mSignatureDetail->setObjectName(QStringLiteral("CardText"));
    mFileDetail->setObjectName(QStringLiteral("CardText"));
    mSha256->setObjectName(QStringLiteral("Digest"));
    for (QLabel *label : {mSignatureDetail, mIntegrity, mFileDetail}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    mSignatureDetail->setTextFormat(Qt::PlainText);
    mFileDetail->setTextFormat(Qt::PlainText);
    mSha256->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mSha256->setWordWrap(true);
    mSha256->setToolTip(QStringLiteral("Compare with a published checksum: sha256sum FILE prints the same digest."));
    mSign->setToolTip(QStringLiteral("Sign this model with a minisign secret key (writes MODEL.plumb.minisig)."));
    connect(mSign, &QPushButton::clicked, this, &ModelTrustCard::signRequested);

    auto *signatureText = new QVBoxLayout;
    signatureText->setSpacing(2);
    signatureText->addWidget(mSignatureHeadline);
    signatureText->addWidget(mSignatureDetail);
    auto *signature = new QHBoxLayout;
    signature->setSpacing(12);
    signature->addWidget(mSignatureIcon, 0, Qt::AlignTop);
    signature->addLayout(signatureText, 1);
    signature->addWidget(mSign, 0, Qt::AlignTop);

    auto *digest = new QHBoxLayout;
    digest->setSpacing(10);
    digest->addWidget(mSha256, 1);
    digest->addWidget(mCopy, 0, Qt::AlignTop);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 16, 20, 18);
    layout->setSpacing(8);
    layout->addWidget(createSectionHeading(QStringLiteral("Signature")));
    layout->addLayout(signature);
    layout->addSpacing(6);
    layout->addWidget(createSectionHeading(QStringLiteral("Integrity")));
    layout->addWidget(mIntegrity);
    layout->addSpacing(6);
    layout->addWidget(createSectionHeading(QStringLiteral("File SHA-256")));
    layout->addLayout(digest);
    layout->addWidget(mFileDetail);
    layout->addStretch();
}

void ModelTrustCard::showModel(const LoadedModel &model)
{
    const SignatureStatus &status = model.signature;
    const SignatureLook look = signatureLook(status);
    mSignatureIcon->setPixmap(QIcon(look.iconPath).pixmap(kIconSize, kIconSize));
    mHeadline = look.headline;
    mSignatureHeadline->setText(colored(look.color, look.headline));
    QString detail;
    switch (status.state) {
    case SignatureStatus::State::Trusted:
        detail = QStringLiteral("Key %1 from the keyring (%2).\n%3")
                     .arg(status.keyId, QFileInfo(status.keyFile).fileName(), shortenedDigests(status.trustedComment));
        mSignatureDetail->setToolTip(status.trustedComment);
        break;
    case SignatureStatus::State::UnknownKey:
        detail = QStringLiteral("Key %1: %2.").arg(status.keyId, status.reason);
        break;
    case SignatureStatus::State::Invalid:
        detail = status.reason;
        break;
    case SignatureStatus::State::Unsigned:
        detail = QStringLiteral("No %1.minisig beside the file. Anyone could have made it; sign it to vouch for it.")
                     .arg(QFileInfo(model.path).fileName());
        break;
    }
    mSignatureDetail->setText(detail);
    mIntegrity->setText(colored(themeColors().good, QStringLiteral("\u2713 Intact"))
                        + QStringLiteral(" \u2014 the embedded SHA-256 digest matches every byte of the content "
                                         "(<span style=\"font-family:monospace\">%1\u2026</span>).")
                              .arg(model.artifact.digest.left(16)));
    mSha256->setText(model.fileSha256);
    mFileDetail->setText(
        QStringLiteral("%1 \u00b7 %2 bytes").arg(QDir::toNativeSeparators(model.path), formatCount(std::size_t(model.fileSize))));
}

QString ModelTrustCard::sha256() const
{
    return mSha256->text();
}

QString ModelTrustCard::signatureHeadline() const
{
    return mHeadline;
}

} // namespace plumb::ui
