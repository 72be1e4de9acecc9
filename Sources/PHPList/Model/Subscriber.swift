/// A row of PHPList's user table (`<user prefix>user`), with what sending and bouncing need.
public struct Subscriber: Sendable, Equatable, Identifiable {
    public let id: Int
    public let email: String
    public let confirmed: Bool
    public let blacklisted: Bool
    public let disabled: Bool
    public let htmlEmail: Bool
    public let bounceCount: Int
    /// PHPList's 32-hex `uniqid`: the `uid=` of unsubscribe and preference links.
    public let uniqid: String
    public let uuid: String

    public init(
        id: Int, email: String, confirmed: Bool, blacklisted: Bool, disabled: Bool, htmlEmail: Bool,
        bounceCount: Int, uniqid: String, uuid: String
    ) {
        self.id = id
        self.email = email
        self.confirmed = confirmed
        self.blacklisted = blacklisted
        self.disabled = disabled
        self.htmlEmail = htmlEmail
        self.bounceCount = bounceCount
        self.uniqid = uniqid
        self.uuid = uuid
    }
}
