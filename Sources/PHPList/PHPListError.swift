import MariaDB

/// What can go wrong between Facteur and a PHPList database, worded for the operator who must fix it.
public enum PHPListError: Error, CustomStringConvertible, Sendable {
    /// No table of PHPList's under the configured prefixes.
    case notPHPList(database: String, prefix: String, userPrefix: String)
    /// A PHPList 2.x layout: Facteur serves PHPList 3 only; old data comes in through `facteur import`.
    case version2(database: String, version: String?, missing: [String])
    /// A 3.x-looking schema lacking tables or columns Facteur needs.
    case incompleteSchema(database: String, missing: [String])
    case campaignNotFound(id: Int)
    case malformedMessageData(campaign: Int, name: String, reason: String)
    case database(MariaDBError)

    public var description: String {
        switch self {
        case .notPHPList(let database, let prefix, let userPrefix):
            return "database \(database) has no PHPList tables with prefixes \(prefix)/\(userPrefix) "
                + "(no \(prefix)config, \(prefix)message or \(userPrefix)user): check database.table_prefix and database.user_table_prefix"
        case .version2(let database, let version, let missing):
            return "database \(database) is a PHPList 2.x database (version \(version ?? "unknown"); missing \(missing.joined(separator: ", "))): "
                + "Facteur serves PHPList 3 only; bring the data into a PHPList 3 database with `facteur import phplist`"
        case .incompleteSchema(let database, let missing):
            return "database \(database) lacks what Facteur needs from PHPList 3: missing \(missing.joined(separator: ", "))"
        case .campaignNotFound(let id):
            return "campaign \(id) does not exist"
        case .malformedMessageData(let campaign, let name, let reason):
            return "campaign \(campaign): messagedata '\(name)' cannot be read: \(reason)"
        case .database(let error):
            return error.description
        }
    }
}
