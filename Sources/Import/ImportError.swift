/// Why an import cannot run; each says what to do about it.
public enum ImportError: Error, CustomStringConvertible, Sendable {
    case notPHPList(database: String, prefix: String, userPrefix: String)
    case targetNotPHPList3(database: String, detail: String)
    case facteurTablesMissing(database: String)
    case sameDatabase(String)
    case csvUnreadable(path: String, reason: String)
    case csvNoEmailColumn(path: String, header: [String])
    case unknownList(id: Int)
    case unknownAttribute(column: String, attribute: String)

    public var description: String {
        switch self {
        case .notPHPList(let database, let prefix, let userPrefix):
            return "source database \(database) has no PHPList tables under prefixes \(prefix) / \(userPrefix) "
                + "(give --prefix and --user-prefix as in its config.php: $table_prefix, $usertable_prefix)"
        case .targetNotPHPList3(let database, let detail):
            return "target database \(database) is not a PHPList 3 database: \(detail) (install PHPList 3 there first)"
        case .facteurTablesMissing(let database):
            return "Facteur's import tables are missing in \(database): run `facteur migrate` first"
        case .sameDatabase(let name):
            return "source and target are the same database (\(name)) under the same prefixes: nothing to import"
        case .csvUnreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .csvNoEmailColumn(let path, let header):
            return "\(path): line 1 has no email column (columns: \(header.joined(separator: ", "))); "
                + "name one `email` or map it with --map COLUMN=email"
        case .unknownList(let id):
            return "list \(id) does not exist in the target (see PHPList's Lists page for ids)"
        case .unknownAttribute(let column, let attribute):
            return "--map \(column)=\(attribute): no attribute named \(attribute) in the target"
        }
    }
}
