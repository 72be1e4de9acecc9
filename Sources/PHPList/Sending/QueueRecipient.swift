/// One subscriber processqueue would send a campaign to, with what composing needs.
public struct QueueRecipient: Sendable, Equatable {
    public let id: Int
    public let email: String
    public let uniqid: String
    public let uuid: String
    public let htmlEmail: Bool
    /// Attribute values by attribute name (select/radio resolved to the option name).
    public var attributes: [String: String]
    /// Names of the active lists the subscriber is on.
    public var listNames: [String]

    public init(id: Int, email: String, uniqid: String, uuid: String, htmlEmail: Bool,
                attributes: [String: String] = [:], listNames: [String] = []) {
        self.id = id
        self.email = email
        self.uniqid = uniqid
        self.uuid = uuid
        self.htmlEmail = htmlEmail
        self.attributes = attributes
        self.listNames = listNames
    }
}
