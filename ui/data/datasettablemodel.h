#pragma once

#include <QAbstractTableModel>
#include <QFont>

#include <memory>

namespace plumb {
class Dataset;
}

namespace plumb::ui {

class DataDocument;

// A read-only, virtual view of the document's dataset: one model row per data row, one model
// column per dataset column. Cells are formatted on demand from the columnar storage, so a table
// of millions of rows costs nothing beyond the dataset itself.
// Missing values read "missing" in grey italics on a tinted background; numbers are right-aligned.
class DatasetTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    // True for a missing cell (Qt::UserRole), for views and tests that need to tell it from text.
    static constexpr int MissingRole = Qt::UserRole + 1;

    explicit DatasetTableModel(DataDocument *document, QObject *parent = nullptr);
    // A table of its own (scored results): shown until setDataset() replaces it; null shows nothing.
    explicit DatasetTableModel(std::shared_ptr<const Dataset> dataset, QObject *parent = nullptr);
    // Replaces the table of a model made with the constructor above (resets the model).
    void setDataset(std::shared_ptr<const Dataset> dataset);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const Dataset &dataset() const;
    QVariant missingData(int role) const;

    DataDocument *mDocument = nullptr;
    std::shared_ptr<const Dataset> mDataset;
    QFont mMissingFont;
};

} // namespace plumb::ui
