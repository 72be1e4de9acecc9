/// A subscriber attribute as PHPList's `user_attribute` table defines it.
public struct AttributeDefinition: Sendable, Equatable, Identifiable {
    public enum Kind: String, Sendable {
        case textline, textarea, hidden, date, checkbox, select, radio, checkboxgroup
        case unknown
    }

    public let id: Int
    public let name: String
    public let kind: Kind
    public let tableName: String
    public let defaultValue: String

    /// Kinds whose stored value is an id into the attribute's `listattr_` value table
    /// (`checkboxgroup` stores a comma-separated list of ids).
    public var usesValueTable: Bool {
        switch kind {
        case .select, .radio, .checkboxgroup: return true
        default: return false
        }
    }

    public init(id: Int, name: String, kind: Kind, tableName: String, defaultValue: String) {
        self.id = id
        self.name = name
        self.kind = kind
        self.tableName = tableName
        self.defaultValue = defaultValue
    }
}
