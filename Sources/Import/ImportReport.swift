/// What an import did (or, with `--dry-run`, would do): per kind of row, how many were added,
/// merged into rows the target already had, and skipped with the reason.
public struct ImportReport: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        public var added = 0
        public var merged = 0
        /// reason → rows
        public var skipped: [String: Int] = [:]

        public var skippedTotal: Int { skipped.values.reduce(0, +) }
    }

    /// A PHPList config value of the source that differs from the target's (config is not imported).
    public struct ConfigDifference: Sendable, Equatable {
        public let item: String
        public let source: String
        public let target: String?
    }

    public var source: String = ""
    public var sourceVersion: String = ""
    public var sourceGeneration: String = ""
    public var dryRun = false
    /// Kinds in the order they were first touched, so the report reads in import order.
    public private(set) var kinds: [String] = []
    public private(set) var counts: [String: Counts] = [:]
    public var configDifferences: [ConfigDifference] = []
    public var encoding = EncodingStats()
    public var notes: [String] = []

    public init() {}

    public subscript(_ kind: String) -> Counts {
        get { counts[kind] ?? Counts() }
        set {
            if counts[kind] == nil { kinds.append(kind) }
            counts[kind] = newValue
        }
    }

    mutating func added(_ kind: String, _ count: Int = 1) { self[kind].added += count }
    mutating func merged(_ kind: String, _ count: Int = 1) { self[kind].merged += count }
    mutating func skipped(_ kind: String, _ reason: String, _ count: Int = 1) {
        guard count > 0 else { return }
        self[kind].skipped[reason, default: 0] += count
    }

    /// The text printed at the end of a run.
    public var text: String {
        var lines: [String] = []
        lines.append((dryRun ? "DRY RUN (nothing written): " : "") + "import from \(source)"
            + (sourceVersion.isEmpty ? "" : " (PHPList \(sourceVersion), \(sourceGeneration) layout)"))
        for kind in kinds {
            let c = self[kind]
            var line = "  \(kind): \(c.added) added, \(c.merged) merged, \(c.skippedTotal) skipped"
            if !c.skipped.isEmpty {
                line += " (" + c.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: "; ") + ")"
            }
            lines.append(line)
        }
        if encoding.latin1Values + encoding.utf8InLatin1Values > 0 {
            lines.append("  text in latin1 columns: \(encoding.latin1Values) values latin1 (cp1252), "
                + "\(encoding.utf8InLatin1Values) values UTF-8 bytes; all converted to UTF-8")
        }
        if !configDifferences.isEmpty {
            lines.append("  config not imported; \(configDifferences.count) source values differ from the target:")
            for difference in configDifferences {
                lines.append("    \(difference.item): source \(Self.short(difference.source)) / target "
                    + (difference.target.map(Self.short) ?? "(not set)"))
            }
        }
        for note in notes { lines.append("  note: \(note)") }
        return lines.joined(separator: "\n")
    }

    private static func short(_ value: String) -> String {
        let flat = value.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 60 ? "\"\(flat.prefix(60))…\"" : "\"\(flat)\""
    }
}
