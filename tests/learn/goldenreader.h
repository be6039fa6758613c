#pragma once

// Readers for the scikit-learn goldens in tests/reference/golden (written by
// tests/reference/make_sklearn_goldens.py; layout in tests/reference/README.md).
// QtCore and Eigen only, so any test can use them.
//
// The readers never stop a test: a missing file, key or column, or a value of the wrong kind,
// is recorded in problems() and an empty value (NaN for a number) is returned. Check
// problems().isEmpty() once the values you need are read, and show the list when it is not.

#include <Eigen/Core>

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace plumb::test {

#ifdef PLUMB_SOURCE_DIR
// A golden file's path from its name ("ridge_alpha1.json"). PLUMB_SOURCE_DIR is set by
// plumb_add_test for every test target.
inline QString goldenPath(const QString &fileName)
{
    return QStringLiteral(PLUMB_SOURCE_DIR "/tests/reference/golden/") + fileName;
}
#endif

// A golden CSV file: a header row, then rows of fields (RFC 4180 quoting). An empty field is
// a missing value: NaN when read as a number.
class GoldenTable
{
public:
    GoldenTable() = default;
    static GoldenTable load(const QString &path);

    const QStringList &header() const { return mHeader; }
    qsizetype rowCount() const { return mRows.size(); }
    const QStringList &row(qsizetype index) const { return mRows.at(index); }

    // One column's fields as text.
    QStringList text(const QString &column);
    // One column as numbers, exactly as written (repr round-trips); empty fields are NaN.
    Eigen::VectorXd numbers(const QString &column);
    // Columns as a rows x columns matrix, in the order given.
    Eigen::MatrixXd numbers(const QStringList &columns);
    // One column of whole numbers (class labels); a field that is not one is a problem.
    std::vector<int> integers(const QString &column);

    const QStringList &problems() const { return mProblems; }

private:
    qsizetype columnIndex(const QString &column);

    QString mName;
    QStringList mHeader;
    QList<QStringList> mRows;
    QStringList mProblems;
};

// A golden JSON case file. Values are reached by a dotted path from the top
// ("expected.roc_curve.fpr"); in numeric arrays null stands for NaN.
class GoldenCase
{
public:
    GoldenCase() = default;
    static GoldenCase load(const QString &path);

    // The "case" field: the file's name without ".json".
    QString name() const { return mJson.value(QStringLiteral("case")).toString(); }
    const QJsonObject &json() const { return mJson; }

    bool contains(const QString &path) const;
    QJsonValue value(const QString &path);
    // The keys of an object, sorted (QJsonObject does not keep the file's order).
    QStringList keys(const QString &path);

    double number(const QString &path);
    QString text(const QString &path);
    Eigen::VectorXd vector(const QString &path);
    // An array of equally long rows.
    Eigen::MatrixXd matrix(const QString &path);
    std::vector<int> integers(const QString &path);
    QStringList strings(const QString &path);
    // An array of rows of strings (an imputer's text output).
    QList<QStringList> stringRows(const QString &path);

    const QStringList &problems() const { return mProblems; }

private:
    void problem(const QString &path, const QString &what);

    QString mName;
    QJsonObject mJson;
    QStringList mProblems;
};

} // namespace plumb::test
