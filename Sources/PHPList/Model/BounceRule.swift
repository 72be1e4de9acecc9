/// A row of `bounceregex`: a pattern PHPList matches against bounces and the action it then takes.
public struct BounceRule: Sendable, Equatable, Identifiable {
    public enum Action: String, Sendable, CaseIterable {
        case deleteuser, unconfirmuser, deleteuserandbounce, unconfirmuseranddeletebounce
        case decreasecountconfirmuseranddeletebounce, blacklistuser, blacklistuseranddeletebounce
        case blacklistemail, blacklistemailanddeletebounce, deletebounce
    }

    public let id: Int
    public let regex: String
    /// nil when the stored action is not one PHPList knows; such a rule is reported and never applied.
    public let action: Action?
    public let rawAction: String
    public let listOrder: Int
    public let active: Bool
    public let count: Int

    public init(id: Int, regex: String, rawAction: String, listOrder: Int, active: Bool, count: Int) {
        self.id = id
        self.regex = regex
        self.rawAction = rawAction
        self.action = Action(rawValue: rawAction)
        self.listOrder = listOrder
        self.active = active
        self.count = count
    }
}
