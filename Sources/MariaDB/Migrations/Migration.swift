import Foundation

/// One numbered SQL file of `migrations/`: `0001_worker_leases.sql` is version 1, named `worker_leases`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let file: String
    public let sql: String

    public init(version: Int, name: String, file: String, sql: String) {
        self.version = version
        self.name = name
        self.file = file
        self.sql = sql
    }

    /// Reads every `NNNN_name.sql` of a directory, in version order; other files are ignored.
    public static func load(from directory: URL) throws(MigrationError) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw .directoryUnreadable(path: directory.path, reason: "\(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            let stem = name.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else {
                continue
            }
            let url = directory.appendingPathComponent(name)
            guard let sql = try? String(contentsOf: url, encoding: .utf8) else {
                throw .directoryUnreadable(path: url.path, reason: "not readable as UTF-8")
            }
            if let clash = migrations.first(where: { $0.version == version }) {
                throw .duplicateVersion(version: version, files: [clash.file, name])
            }
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), file: name, sql: sql))
        }
        return migrations
    }
}

public enum MigrationError: Error, CustomStringConvertible, Sendable {
    case directoryUnreadable(path: String, reason: String)
    case duplicateVersion(version: Int, files: [String])
    case touchesForeignTable(file: String, line: Int, statement: String)
    case statementFailed(file: String, line: Int, statement: String, error: MariaDBError)
    case appliedButMissing(version: Int, name: String)
    case lockBusy

    public var description: String {
        switch self {
        case .directoryUnreadable(let path, let reason):
            return "migrations directory \(path) cannot be read: \(reason) (set --migrations or FACTEUR_MIGRATIONS_DIR)"
        case .duplicateVersion(let version, let files):
            return "two migrations share version \(version): \(files.joined(separator: ", "))"
        case .touchesForeignTable(let file, let line, let statement):
            return "\(file):\(line): refused: a migration may only create or change facteur_* tables: \(statement.prefix(120))"
        case .statementFailed(let file, let line, let statement, let error):
            return "\(file):\(line): migration failed and was rolled back: \(statement.prefix(120)): \(error)"
        case .appliedButMissing(let version, let name):
            return "the database records migration \(version) (\(name)) but no such file exists: is this binary older than the database?"
        case .lockBusy:
            return "another facteur migrate has held the migration lock for 60 s; try again when it has finished"
        }
    }
}
