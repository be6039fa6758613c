#include "data/workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace plumb;

// Each case builds a workspace folder in a temporary directory:
//   TMP/outside.csv              a data file outside the workspace
//   TMP/ws/training.csv
//   TMP/ws/batches/a.csv, b.csv
//   TMP/ws/inner-link.csv        symbolic link to training.csv (stays inside)
//   TMP/ws/escape-link.csv       symbolic link to ../outside.csv (leaves the folder)
//   TMP/ws/plumb-workspace.json  the manifest under test
// Expected messages are written out in full; {manifest} and {root} stand for the manifest's and the
// folder's canonical paths, which depend on where the temporary directory lands.
class TestWorkspace : public QObject
{
    Q_OBJECT

private slots:
    void loadsGoodManifest_data();
    void loadsGoodManifest();
    void refusesBadManifest_data();
    void refusesBadManifest();
    void refusesWhatIsNotAWorkspace();
    void recognisesWorkspaceFolders();
    void loadsGeneratedDemo();

private:
    // Creates the layout above with `manifest` (none when null); returns the workspace folder.
    QString makeWorkspace(const QTemporaryDir &temp, const QByteArray &manifest);
};

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(file.errorString()));
    QCOMPARE(file.write(bytes), bytes.size());
}

QByteArray oversizedManifest()
{
    QByteArray bytes = R"({ "format": 1, "name": "big", "training": { "path": "training.csv" } })";
    bytes.append(QByteArray(1100 * 1024, ' ')); // whitespace is valid JSON, but over the 1 MiB cap
    return bytes;
}

} // namespace

QString TestWorkspace::makeWorkspace(const QTemporaryDir &temp, const QByteArray &manifest)
{
    const QString root = temp.path() + QStringLiteral("/ws");
    writeFile(temp.path() + QStringLiteral("/outside.csv"), "a,b\n1,2\n");
    writeFile(root + QStringLiteral("/training.csv"), "a,b\n1,2\n");
    writeFile(root + QStringLiteral("/batches/a.csv"), "a,b\n3,4\n");
    writeFile(root + QStringLiteral("/batches/b.csv"), "a,b\n5,6\n");
#ifdef Q_OS_UNIX
    QFile::link(QStringLiteral("training.csv"), root + QStringLiteral("/inner-link.csv"));
    QFile::link(QStringLiteral("../outside.csv"), root + QStringLiteral("/escape-link.csv"));
#endif
    if (!manifest.isNull())
        writeFile(root + QLatin1Char('/') + QLatin1String(Workspace::kManifestName), manifest);
    return root;
}

void TestWorkspace::loadsGoodManifest_data()
{
    QTest::addColumn<QByteArray>("manifest");
    QTest::addColumn<QString>("trainingPath"); // relative to the folder
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("roles"); // "column=role", sorted
    QTest::addColumn<QStringList>("batches"); // "label=relative path", in manifest order

    QTest::newRow("full") << QByteArray(R"({
        "format": 1, "name": "Churn", "description": "demo",
        "training": { "path": "training.csv", "target": "churned",
                      "roles": { "customer_id": "id", "snapshot_time": "timestamp", "note": "ignored" } },
        "batches": [ { "label": "2026-02", "path": "batches/b.csv" },
                     { "label": "2026-01", "path": "batches/a.csv" } ] })")
                          << QStringLiteral("training.csv") << QStringLiteral("churned")
                          << QStringList{QStringLiteral("customer_id=id"), QStringLiteral("note=ignored"),
                                         QStringLiteral("snapshot_time=timestamp")}
                          << QStringList{QStringLiteral("2026-02=batches/b.csv"), QStringLiteral("2026-01=batches/a.csv")};
    QTest::newRow("minimal") << QByteArray(R"({ "format": 1, "name": "n", "training": { "path": "training.csv" } })")
                             << QStringLiteral("training.csv") << QString() << QStringList() << QStringList();
    QTest::newRow("empty-batches-and-roles")
        << QByteArray(R"({ "format": 1, "name": "n", "training": { "path": "training.csv", "roles": {} },
                           "batches": [] })")
        << QStringLiteral("training.csv") << QString() << QStringList() << QStringList();
    QTest::newRow("role-names-any-case") << QByteArray(R"({ "format": 1, "name": "n",
                           "training": { "path": "training.csv", "roles": { "id": "ID", "t": "Timestamp" } } })")
                                         << QStringLiteral("training.csv") << QString()
                                         << QStringList{QStringLiteral("id=id"), QStringLiteral("t=timestamp")} << QStringList();
    QTest::newRow("format-written-1.0") << QByteArray(R"({ "format": 1.0, "name": "n", "training": { "path": "training.csv" } })")
                                        << QStringLiteral("training.csv") << QString() << QStringList() << QStringList();
    QTest::newRow("dot-segments-cleaned") << QByteArray(
        R"({ "format": 1, "name": "n", "training": { "path": "./batches/./a.csv" } })")
                                          << QStringLiteral("batches/a.csv") << QString() << QStringList() << QStringList();
#ifdef Q_OS_UNIX
    QTest::newRow("link-inside-folder") << QByteArray(R"({ "format": 1, "name": "n", "training": { "path": "inner-link.csv" } })")
                                        << QStringLiteral("inner-link.csv") << QString() << QStringList() << QStringList();
#endif
}

void TestWorkspace::loadsGoodManifest()
{
    QFETCH(QByteArray, manifest);
    QFETCH(QString, trainingPath);
    QFETCH(QString, target);
    QFETCH(QStringList, roles);
    QFETCH(QStringList, batches);

    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString folder = makeWorkspace(temp, manifest);
    const QString root = QFileInfo(folder).canonicalFilePath();

    const Result<Workspace> result = Workspace::load(folder);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const Workspace &workspace = result.value();
    QCOMPARE(workspace.rootPath, root);
    QVERIFY(!workspace.name.isEmpty());
    QCOMPARE(workspace.trainingPath, root + QLatin1Char('/') + trainingPath);
    QCOMPARE(workspace.target, target);

    QStringList gotRoles;
    for (auto it = workspace.roles.begin(); it != workspace.roles.end(); ++it)
        gotRoles.append(it.key() + QLatin1Char('=') + columnRoleName(it.value()));
    gotRoles.sort();
    QCOMPARE(gotRoles, roles);

    QStringList gotBatches;
    for (const Workspace::Batch &batch : workspace.batches) {
        QVERIFY(QFileInfo(batch.path).isAbsolute());
        gotBatches.append(batch.label + QLatin1Char('=') + QDir(root).relativeFilePath(batch.path));
    }
    QCOMPARE(gotBatches, batches);
    QVERIFY(result.warnings().isEmpty());
}

void TestWorkspace::refusesBadManifest_data()
{
    QTest::addColumn<QByteArray>("manifest");
    QTest::addColumn<QString>("message");

    const auto row = [](const char *name, const char *manifest, const char *message) {
        QTest::newRow(name) << QByteArray(manifest) << QString::fromUtf8(message);
    };

    // The file as a whole.
    row("not-json-trailing-comma", R"({ "format": 1,
  "name": "n",
  "training": { "path": "training.csv" }, })",
        "{manifest}: not valid JSON at line 3, column 44: object is missing after a comma");
    row("not-json-truncated", R"({ "format": 1,
  "name": )",
        "{manifest}: not valid JSON at line 2, column 11: unterminated object");
    row("not-an-object", "[1, 2]", "{manifest}: the manifest must be a JSON object");
    const QByteArray oversized = oversizedManifest();
    QTest::newRow("oversized")
        << oversized
        << QStringLiteral("{manifest}: the manifest is %1 bytes; a manifest is at most 1048576").arg(oversized.size());

    // format
    row("format-missing", R"({ "name": "n", "training": { "path": "training.csv" } })", R"({manifest}: "format" is missing)");
    row("format-string", R"({ "format": "1", "name": "n", "training": { "path": "training.csv" } })",
        R"({manifest}: "format" must be a whole number, not a string)");
    row("format-fraction", R"({ "format": 1.5, "name": "n", "training": { "path": "training.csv" } })",
        R"({manifest}: "format" must be a whole number of 1 or more, not 1.5)");
    row("format-zero", R"({ "format": 0, "name": "n", "training": { "path": "training.csv" } })",
        R"({manifest}: "format" must be a whole number of 1 or more, not 0)");
    // A newer manifest may have fields this version has never heard of: the version is what to report.
    row("future-format-version", R"({ "format": 2, "name": "n", "sources": [], "training": { "path": "x.parquet" } })",
        "{manifest}: the manifest has format 2, newer than format 1 that this version of Plumb reads; "
        "open it with a newer Plumb");

    // Top-level fields.
    row("unknown-field", R"({ "format": 1, "name": "n", "training": { "path": "training.csv" }, "batchs": [] })",
        R"({manifest}: "batchs" is not a known field; expected format, name, description, training, batches)");
    row("name-missing", R"({ "format": 1, "training": { "path": "training.csv" } })", R"({manifest}: "name" is missing)");
    row("name-number", R"({ "format": 1, "name": 42, "training": { "path": "training.csv" } })",
        R"({manifest}: "name" must be a string, not a number)");
    row("name-blank", R"({ "format": 1, "name": "  ", "training": { "path": "training.csv" } })",
        R"({manifest}: "name" must not be empty)");
    row("description-array", R"({ "format": 1, "name": "n", "description": [], "training": { "path": "training.csv" } })",
        R"({manifest}: "description" must be a string, not an array)");

    // training
    row("training-missing", R"({ "format": 1, "name": "n" })", R"({manifest}: "training" is missing)");
    row("training-string", R"({ "format": 1, "name": "n", "training": "training.csv" })",
        R"({manifest}: "training" must be an object, not a string)");
    row("training-unknown-field", R"({ "format": 1, "name": "n", "training": { "path": "training.csv", "taget": "y" } })",
        R"({manifest}: "training.taget" is not a known field; expected path, target, roles)");
    row("training-path-missing", R"({ "format": 1, "name": "n", "training": { "target": "y" } })",
        R"({manifest}: "training.path" is missing)");
    row("training-path-null", R"({ "format": 1, "name": "n", "training": { "path": null } })",
        R"({manifest}: "training.path" must be a string, not null)");
    row("training-path-empty", R"({ "format": 1, "name": "n", "training": { "path": "" } })",
        R"({manifest}: "training.path" must not be empty)");
    row("training-path-absolute", R"({ "format": 1, "name": "n", "training": { "path": "/etc/hostname" } })",
        R"({manifest}: "training.path" is "/etc/hostname"; paths must be relative to the workspace folder)");
    row("training-path-drive", R"({ "format": 1, "name": "n", "training": { "path": "C:/data/training.csv" } })",
        R"({manifest}: "training.path" is "C:/data/training.csv"; paths must be relative to the workspace folder)");
    row("training-path-dotdot", R"({ "format": 1, "name": "n", "training": { "path": "../outside.csv" } })",
        R"({manifest}: "training.path" is "../outside.csv"; paths must stay inside the workspace folder (no ".."))");
    row("training-path-inner-dotdot", R"({ "format": 1, "name": "n", "training": { "path": "batches/../training.csv" } })",
        R"({manifest}: "training.path" is "batches/../training.csv"; paths must stay inside the workspace folder (no ".."))");
    row("training-path-backslash", R"({ "format": 1, "name": "n", "training": { "path": "batches\\a.csv" } })",
        R"({manifest}: "training.path" is "batches\a.csv"; separate folders with "/")");
    row("training-file-missing", R"({ "format": 1, "name": "n", "training": { "path": "train.csv" } })",
        R"({manifest}: "training.path" names {root}/train.csv, which does not exist)");
    row("training-path-folder", R"({ "format": 1, "name": "n", "training": { "path": "batches" } })",
        R"({manifest}: "training.path" names {root}/batches, which is not a file)");
#ifdef Q_OS_UNIX
    row("training-path-link-escapes", R"({ "format": 1, "name": "n", "training": { "path": "escape-link.csv" } })",
        R"({manifest}: "training.path" is "escape-link.csv", which leads to {temp}/outside.csv outside the workspace folder)");
#endif
    row("target-number", R"({ "format": 1, "name": "n", "training": { "path": "training.csv", "target": 3 } })",
        R"({manifest}: "training.target" must be a string, not a number)");
    row("target-empty", R"({ "format": 1, "name": "n", "training": { "path": "training.csv", "target": "" } })",
        R"({manifest}: "training.target" must not be empty)");

    // training.roles
    row("roles-array", R"({ "format": 1, "name": "n", "training": { "path": "training.csv", "roles": ["id"] } })",
        R"({manifest}: "training.roles" must be an object mapping column names to roles, not an array)");
    row("role-unknown", R"({ "format": 1, "name": "n", "training": { "path": "training.csv", "roles": { "t": "time" } } })",
        R"({manifest}: "training.roles.t" is "time", an unknown role; expected feature, timestamp, id, ignored)");
    row("role-not-string", R"({ "format": 1, "name": "n", "training": { "path": "training.csv", "roles": { "t": true } } })",
        R"({manifest}: "training.roles.t" must be a role name, not a boolean)");
    row("role-empty-column", R"({ "format": 1, "name": "n", "training": { "path": "training.csv", "roles": { "": "id" } } })",
        R"({manifest}: "training.roles." has an empty column name)");
    row("role-target", R"({ "format": 1, "name": "n", "training": { "path": "training.csv", "roles": { "y": "target" } } })",
        R"({manifest}: "training.roles.y" is "target"; name the target with "training.target" instead)");
    row("role-on-target-column",
        R"({ "format": 1, "name": "n", "training": { "path": "training.csv", "target": "y", "roles": { "y": "id" } } })",
        R"({manifest}: "training.roles.y" gives the target column the role "id")");
    row("two-timestamps",
        R"({ "format": 1, "name": "n", "training": { "path": "training.csv", "roles": { "a": "timestamp", "b": "timestamp" } } })",
        R"({manifest}: "training.roles" names two timestamp columns, "a" and "b"; a dataset has one)");

    // batches
    row("batches-object", R"({ "format": 1, "name": "n", "training": { "path": "training.csv" }, "batches": {} })",
        R"({manifest}: "batches" must be an array, not an object)");
    row("batch-string", R"({ "format": 1, "name": "n", "training": { "path": "training.csv" }, "batches": ["batches/a.csv"] })",
        R"({manifest}: "batches[0]" must be an object, not a string)");
    row("batch-label-missing",
        R"({ "format": 1, "name": "n", "training": { "path": "training.csv" }, "batches": [ { "path": "batches/a.csv" } ] })",
        R"({manifest}: "batches[0].label" is missing)");
    row("batch-path-missing",
        R"({ "format": 1, "name": "n", "training": { "path": "training.csv" }, "batches": [ { "label": "a" } ] })",
        R"({manifest}: "batches[0].path" is missing)");
    row("batch-unknown-field",
        R"({ "format": 1, "name": "n", "training": { "path": "training.csv" },
             "batches": [ { "label": "a", "path": "batches/a.csv", "when": "2026-01" } ] })",
        R"({manifest}: "batches[0].when" is not a known field; expected label, path)");
    row("batch-duplicate-label",
        R"({ "format": 1, "name": "n", "training": { "path": "training.csv" },
             "batches": [ { "label": "jan", "path": "batches/a.csv" }, { "label": "jan", "path": "batches/b.csv" } ] })",
        R"({manifest}: "batches[1].label" is "jan", the label of an earlier batch)");
    row("batch-path-escapes",
        R"({ "format": 1, "name": "n", "training": { "path": "training.csv" },
             "batches": [ { "label": "a", "path": "batches/a.csv" }, { "label": "b", "path": "../outside.csv" } ] })",
        R"({manifest}: "batches[1].path" is "../outside.csv"; paths must stay inside the workspace folder (no ".."))");
    row("batch-file-missing",
        R"({ "format": 1, "name": "n", "training": { "path": "training.csv" },
             "batches": [ { "label": "a", "path": "batches/2026-01.csv" } ] })",
        R"({manifest}: "batches[0].path" names {root}/batches/2026-01.csv, which does not exist)");
}

void TestWorkspace::refusesBadManifest()
{
    QFETCH(QByteArray, manifest);
    QFETCH(QString, message);

    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString folder = makeWorkspace(temp, manifest);
    const QString root = QFileInfo(folder).canonicalFilePath();
    message.replace(QStringLiteral("{manifest}"), root + QStringLiteral("/plumb-workspace.json"));
    message.replace(QStringLiteral("{root}"), root);
    message.replace(QStringLiteral("{temp}"), QFileInfo(temp.path()).canonicalFilePath());

    const Result<Workspace> result = Workspace::load(folder);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().message, message);
}

void TestWorkspace::refusesWhatIsNotAWorkspace()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString folder = makeWorkspace(temp, QByteArray());
    const QString root = QFileInfo(folder).canonicalFilePath();

    Result<Workspace> result = Workspace::load(folder);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().message, root + QStringLiteral(" is not a workspace: it has no plumb-workspace.json"));
    QCOMPARE(result.error().kind, Error::Kind::Io);

    const QString missing = temp.path() + QStringLiteral("/nowhere");
    result = Workspace::load(missing);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().message, QStringLiteral("workspace folder %1 does not exist").arg(missing));

    const QString file = folder + QStringLiteral("/training.csv");
    result = Workspace::load(file);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().message,
             QStringLiteral("%1 is not a folder; a workspace is a folder holding plumb-workspace.json").arg(file));

    // A folder where the manifest should be.
    QVERIFY(QDir(folder).mkdir(QStringLiteral("plumb-workspace.json")));
    result = Workspace::load(folder);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.startsWith(QStringLiteral("cannot read %1/plumb-workspace.json: ").arg(root)),
             qPrintable(result.error().message));
}

void TestWorkspace::recognisesWorkspaceFolders()
{
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    const QString folder = makeWorkspace(temp, QByteArray("{}"));
    QVERIFY(Workspace::isWorkspace(folder)); // a manifest is present; whether it is valid is load()'s question
    QVERIFY(!Workspace::isWorkspace(folder + QStringLiteral("/batches")));
    QVERIFY(!Workspace::isWorkspace(folder + QStringLiteral("/plumb-workspace.json")));
    QVERIFY(!Workspace::isWorkspace(temp.path() + QStringLiteral("/nowhere")));
    QVERIFY(!Workspace::isWorkspace(QString()));
}

// The workspace written by resources/demo/demogenerator.cpp at build time must load as described there.
void TestWorkspace::loadsGeneratedDemo()
{
    const QString folder = QStringLiteral(PLUMB_BINARY_DIR "/demo-workspace");
    if (!Workspace::isWorkspace(folder))
        QSKIP("the demo workspace has not been generated (build the plumb-demo-workspace target)");

    const Result<Workspace> result = Workspace::load(folder);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const Workspace &workspace = result.value();
    QCOMPARE(workspace.target, QStringLiteral("churned"));
    QCOMPARE(workspace.roles.size(), 2);
    QCOMPARE(workspace.roles.value(QStringLiteral("customer_id")), ColumnRole::Id);
    QCOMPARE(workspace.roles.value(QStringLiteral("snapshot_time")), ColumnRole::Timestamp);
    QCOMPARE(workspace.trainingPath, workspace.rootPath + QStringLiteral("/training.csv"));
    QCOMPARE(workspace.batches.size(), std::size_t(12));
    for (int month = 1; month <= 12; ++month) {
        const Workspace::Batch &batch = workspace.batches.at(std::size_t(month - 1));
        const QString label = QStringLiteral("2026-%1").arg(month, 2, 10, QLatin1Char('0'));
        QCOMPARE(batch.label, label);
        QCOMPARE(batch.path, workspace.rootPath + QStringLiteral("/batches/") + label + QStringLiteral(".csv"));
    }
}

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
