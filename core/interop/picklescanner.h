#pragma once

#include "interop/picklevalue.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <map>
#include <vector>

namespace plumb {

// A node of the estimator tree a scan finds: a scikit-learn object, the name it has in its
// parent (a Pipeline step, a ColumnTransformer branch, "estimators_[3]"), and its children.
struct EstimatorNode
{
    QString className; // "sklearn.pipeline.Pipeline"
    QString label; // its name in the parent; empty for the root
    QStringList columns; // ColumnTransformer branches: the columns the branch reads
    // How many estimators of this class the node stands for: ensembles are summarised as one
    // node ("estimators_", 100 x DecisionTreeClassifier) rather than 100 children.
    int count = 1;
    std::vector<EstimatorNode> children;
};

// What a static scan of a pickle or joblib file found. The stream is read as data: nothing is
// imported or called. Under the policy, only exact (module, name) pairs on the allow-list may
// appear, and each allowed class or function is modelled with a fixed argument schema.
struct PickleScanReport
{
    enum class Verdict {
        Importable, // the whole stream follows the policy; `graph` holds its objects
        Refused, // the stream is readable but breaks the policy (see `reason`)
        Unreadable, // not a pickle or joblib file, truncated, corrupt, or over a limit
    };

    Verdict verdict = Verdict::Unreadable;
    // Why the file was refused or is unreadable, naming the byte offset and opcode or global:
    // "offset 1834: GLOBAL posix.system is not on the allow-list".
    QString reason;
    QString container; // "pickle", "joblib", "joblib (zlib)", "joblib (xz)" ...
    int protocol = -1; // the PROTO opcode's protocol, -1 when absent
    QStringList globals; // every module.name the stream references, first seen first
    std::map<QString, int> opcodes; // opcode name -> how many times it occurs
    QStringList sklearnVersions; // distinct _sklearn_version values of the objects
    std::vector<EstimatorNode> estimators; // the root estimator (one node) when Importable
    PickleGraph graph; // the reconstructed objects when Importable
    QString fileSha256; // scanPickleFile: the digest of the bytes scanned (hex), else empty

    bool isImportable() const { return verdict == Verdict::Importable; }
};

// Scans `data` (the whole file's bytes: a pickle stream, or a joblib file in any of its
// compressions, detected by magic bytes). Never fails: the report carries the verdict.
PickleScanReport scanPickle(QByteArrayView data);
// Reads and scans a file; an unreadable file or one over the size limit is Unreadable.
PickleScanReport scanPickleFile(const QString &path);

// The verdict as a word for reports: "importable", "refused", "unreadable".
QString verdictName(PickleScanReport::Verdict verdict);

} // namespace plumb
