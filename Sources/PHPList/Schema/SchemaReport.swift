/// What `PHPListDatabase.inspectSchema()` found: a PHPList 3 schema Facteur can serve.
public struct SchemaReport: Sendable, Equatable {
    /// The `version` config value (what PHPList's UI shows), e.g. "3.6.15".
    public let version: String
    public let tables: TableNames
    public let database: String
}
