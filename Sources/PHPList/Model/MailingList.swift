/// A row of PHPList's `list` table.
public struct MailingList: Sendable, Equatable, Identifiable {
    public let id: Int
    public let name: String
    public let description: String
    public let active: Bool
    public let category: String

    public init(id: Int, name: String, description: String, active: Bool, category: String) {
        self.id = id
        self.name = name
        self.description = description
        self.active = active
        self.category = category
    }
}
