#include "goldenreader.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <charconv>
#include <cmath>
#include <limits>

namespace plumb::test {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// RFC 4180 records: fields split on commas, quoted fields may hold commas, doubled quotes and
// line breaks. The goldens end every record with "\n".
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> records;
    QStringList fields;
    QString field;
    bool quoted = false;
    bool recordStarted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        recordStarted = true;
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field.append(u'"');
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field.append(c);
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            fields.append(field);
            field.clear();
        } else if (c == u'\n') {
            fields.append(field);
            field.clear();
            records.append(fields);
            fields.clear();
            recordStarted = false;
        } else if (c != u'\r') {
            field.append(c);
        }
    }
    if (recordStarted) {
        fields.append(field);
        records.append(fields);
    }
    return records;
}

// Locale-free and correctly rounded, so the text repr() wrote gives back the same double.
std::optional<double> parseDouble(const QString &text)
{
    const QByteArray bytes = text.toLatin1();
    double value = 0;
    const char *end = bytes.constData() + bytes.size();
    const auto result = std::from_chars(bytes.constData(), end, value);
    if (bytes.isEmpty() || result.ec != std::errc() || result.ptr != end)
        return std::nullopt;
    return value;
}

} // namespace

GoldenTable GoldenTable::load(const QString &path)
{
    GoldenTable table;
    table.mName = QFileInfo(path).fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        table.mProblems.append(QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
        return table;
    }
    QList<QStringList> records = parseCsv(QString::fromUtf8(file.readAll()));
    if (records.isEmpty()) {
        table.mProblems.append(QStringLiteral("%1 is empty").arg(table.mName));
        return table;
    }
    table.mHeader = records.takeFirst();
    for (qsizetype r = 0; r < records.size(); ++r)
        if (records[r].size() != table.mHeader.size())
            table.mProblems.append(QStringLiteral("%1 line %2 has %3 fields; the header has %4")
                                       .arg(table.mName)
                                       .arg(r + 2)
                                       .arg(records[r].size())
                                       .arg(table.mHeader.size()));
    table.mRows = std::move(records);
    return table;
}

qsizetype GoldenTable::columnIndex(const QString &column)
{
    const qsizetype index = mHeader.indexOf(column);
    if (index < 0)
        mProblems.append(QStringLiteral("%1 has no column '%2'").arg(mName, column));
    return index;
}

QStringList GoldenTable::text(const QString &column)
{
    const qsizetype index = columnIndex(column);
    QStringList values;
    if (index < 0)
        return values;
    for (const QStringList &row : std::as_const(mRows))
        values.append(row.value(index));
    return values;
}

Eigen::VectorXd GoldenTable::numbers(const QString &column)
{
    const QStringList fields = text(column);
    Eigen::VectorXd values(fields.size());
    for (qsizetype r = 0; r < fields.size(); ++r) {
        if (fields[r].isEmpty()) {
            values[r] = kNaN;
            continue;
        }
        const std::optional<double> value = parseDouble(fields[r]);
        if (!value)
            mProblems.append(
                QStringLiteral("%1 line %2, column '%3': '%4' is not a number").arg(mName).arg(r + 2).arg(column, fields[r]));
        values[r] = value.value_or(kNaN);
    }
    return values;
}

Eigen::MatrixXd GoldenTable::numbers(const QStringList &columns)
{
    Eigen::MatrixXd values(mRows.size(), columns.size());
    for (qsizetype c = 0; c < columns.size(); ++c) {
        const Eigen::VectorXd column = numbers(columns[c]);
        if (column.size() == values.rows())
            values.col(c) = column;
        else
            values.col(c).setConstant(kNaN);
    }
    return values;
}

std::vector<int> GoldenTable::integers(const QString &column)
{
    const QStringList fields = text(column);
    std::vector<int> values;
    for (qsizetype r = 0; r < fields.size(); ++r) {
        bool ok = false;
        values.push_back(fields[r].toInt(&ok));
        if (!ok)
            mProblems.append(QStringLiteral("%1 line %2, column '%3': '%4' is not a whole number")
                                 .arg(mName)
                                 .arg(r + 2)
                                 .arg(column, fields[r]));
    }
    return values;
}

GoldenCase GoldenCase::load(const QString &path)
{
    GoldenCase golden;
    golden.mName = QFileInfo(path).fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        golden.mProblems.append(QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
        return golden;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        golden.mProblems.append(
            QStringLiteral("%1: not a JSON object (%2 at offset %3)").arg(golden.mName, error.errorString()).arg(error.offset));
        return golden;
    }
    golden.mJson = document.object();
    return golden;
}

void GoldenCase::problem(const QString &path, const QString &what)
{
    mProblems.append(QStringLiteral("%1, '%2': %3").arg(mName, path, what));
}

bool GoldenCase::contains(const QString &path) const
{
    QJsonValue current = mJson;
    for (const QString &key : path.split(u'.')) {
        if (!current.isObject() || !current.toObject().contains(key))
            return false;
        current = current.toObject().value(key);
    }
    return true;
}

QJsonValue GoldenCase::value(const QString &path)
{
    QJsonValue current = mJson;
    for (const QString &key : path.split(u'.')) {
        if (!current.isObject() || !current.toObject().contains(key)) {
            problem(path, QStringLiteral("missing"));
            return QJsonValue(QJsonValue::Undefined);
        }
        current = current.toObject().value(key);
    }
    return current;
}

QStringList GoldenCase::keys(const QString &path)
{
    const QJsonValue found = value(path);
    if (!found.isObject()) {
        if (!found.isUndefined())
            problem(path, QStringLiteral("not an object"));
        return {};
    }
    return found.toObject().keys();
}

double GoldenCase::number(const QString &path)
{
    const QJsonValue found = value(path);
    if (found.isNull())
        return kNaN;
    if (!found.isDouble()) {
        if (!found.isUndefined())
            problem(path, QStringLiteral("not a number"));
        return kNaN;
    }
    return found.toDouble();
}

QString GoldenCase::text(const QString &path)
{
    const QJsonValue found = value(path);
    if (!found.isString() && !found.isUndefined())
        problem(path, QStringLiteral("not a string"));
    return found.toString();
}

Eigen::VectorXd GoldenCase::vector(const QString &path)
{
    const QJsonValue found = value(path);
    if (!found.isArray()) {
        if (!found.isUndefined())
            problem(path, QStringLiteral("not an array"));
        return {};
    }
    const QJsonArray array = found.toArray();
    Eigen::VectorXd values(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array[i].isDouble() && !array[i].isNull())
            problem(path, QStringLiteral("element %1 is not a number").arg(i));
        values[i] = array[i].isDouble() ? array[i].toDouble() : kNaN;
    }
    return values;
}

Eigen::MatrixXd GoldenCase::matrix(const QString &path)
{
    const QJsonValue found = value(path);
    if (!found.isArray()) {
        if (!found.isUndefined())
            problem(path, QStringLiteral("not an array"));
        return {};
    }
    const QJsonArray rows = found.toArray();
    const qsizetype columns = rows.isEmpty() ? 0 : rows.first().toArray().size();
    Eigen::MatrixXd values(rows.size(), columns);
    for (qsizetype r = 0; r < rows.size(); ++r) {
        const QJsonArray row = rows[r].toArray();
        if (!rows[r].isArray() || row.size() != columns) {
            problem(path, QStringLiteral("row %1 is not an array of %2 numbers").arg(r).arg(columns));
            return {};
        }
        for (qsizetype c = 0; c < columns; ++c) {
            if (!row[c].isDouble() && !row[c].isNull())
                problem(path, QStringLiteral("row %1, element %2 is not a number").arg(r).arg(c));
            values(r, c) = row[c].isDouble() ? row[c].toDouble() : kNaN;
        }
    }
    return values;
}

std::vector<int> GoldenCase::integers(const QString &path)
{
    const Eigen::VectorXd numbers = vector(path);
    std::vector<int> values;
    for (Eigen::Index i = 0; i < numbers.size(); ++i) {
        if (!(std::floor(numbers[i]) == numbers[i] && std::fabs(numbers[i]) < 1e9))
            problem(path, QStringLiteral("element %1 is not a whole number").arg(i));
        values.push_back(std::isfinite(numbers[i]) ? int(numbers[i]) : 0);
    }
    return values;
}

QStringList GoldenCase::strings(const QString &path)
{
    const QJsonValue found = value(path);
    if (!found.isArray()) {
        if (!found.isUndefined())
            problem(path, QStringLiteral("not an array"));
        return {};
    }
    QStringList values;
    const QJsonArray array = found.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        if (!array[i].isString())
            problem(path, QStringLiteral("element %1 is not a string").arg(i));
        values.append(array[i].toString());
    }
    return values;
}

QList<QStringList> GoldenCase::stringRows(const QString &path)
{
    const QJsonValue found = value(path);
    if (!found.isArray()) {
        if (!found.isUndefined())
            problem(path, QStringLiteral("not an array"));
        return {};
    }
    QList<QStringList> rows;
    const QJsonArray array = found.toArray();
    for (qsizetype r = 0; r < array.size(); ++r) {
        QStringList row;
        const QJsonArray cells = array[r].toArray();
        if (!array[r].isArray())
            problem(path, QStringLiteral("row %1 is not an array").arg(r));
        for (qsizetype c = 0; c < cells.size(); ++c) {
            if (!cells[c].isString())
                problem(path, QStringLiteral("row %1, element %2 is not a string").arg(r).arg(c));
            row.append(cells[c].toString());
        }
        rows.append(row);
    }
    return rows;
}

} // namespace plumb::test
