import PHPList

/// What `facteur import csv` was asked to do.
public struct CSVImportOptions: Sendable {
    public var path: String
    /// The list every imported subscriber joins.
    public var listID: Int
    /// Column (as written in line 1) → attribute name in the target; other columns match attributes by name.
    public var mappings: [String: String]
    /// New subscribers unconfirmed (PHPList's import confirms them by default).
    public var unconfirmed: Bool
    /// New subscribers receive text mail (PHPList's import makes them HTML by default).
    public var textOnly: Bool
    public var tables: TableNames
    public var batchSize: Int

    public init(path: String, listID: Int, mappings: [String: String] = [:], unconfirmed: Bool = false, textOnly: Bool = false,
                tables: TableNames = TableNames(), batchSize: Int = 1000) {
        self.path = path
        self.listID = listID
        self.mappings = mappings
        self.unconfirmed = unconfirmed
        self.textOnly = textOnly
        self.tables = tables
        self.batchSize = batchSize
    }
}

/// What a CSV import did: rows added, rows whose address the target already had (put on the list,
/// blank attributes filled), and every rejected row with its line and why.
public struct CSVImportReport: Sendable, Equatable {
    public struct Rejected: Sendable, Equatable {
        public let line: Int
        public let reason: String
    }

    public var rows = 0
    public var added = 0
    public var existing = 0
    public var subscribedToList = 0
    public var rejected: [Rejected] = []
    /// Columns of line 1 that feed nothing (neither a subscriber field nor an attribute).
    public var ignoredColumns: [String] = []

    public init() {}

    public var text: String {
        var lines = ["\(rows) rows: \(added) subscribers added, \(existing) already there, \(subscribedToList) newly on the list, "
            + "\(rejected.count) rows rejected"]
        if !ignoredColumns.isEmpty { lines.append("columns ignored (no attribute of that name; use --map): " + ignoredColumns.joined(separator: ", ")) }
        for row in rejected { lines.append("line \(row.line): \(row.reason)") }
        return lines.joined(separator: "\n")
    }
}
