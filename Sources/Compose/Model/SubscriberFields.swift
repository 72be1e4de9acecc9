/// One recipient as the composer needs it (phplist_user_user + attribute values + list names).
public struct SubscriberFields: Sendable {
    /// phplist_user_user.id
    public var id: Int
    public var email: String
    /// phplist_user_user.uniqid (32 hex): the `uid=` of every personal URL, [USERID]
    public var uniqid: String
    /// phplist_user_user.uuid: keys the click-tracking ids
    public var uuid: String
    /// phplist_user_user.htmlemail
    public var htmlEmail: Bool
    /// Attribute display values by attribute name (phplist_user_attribute.name), as PHPList's
    /// getUserAttributeValues returns them: select/radio → the option name, checkboxgroup → "a; b".
    /// An attribute without a phplist_user_user_attribute row is ABSENT (its placeholder stays literal, its
    /// [NAME%%default] falls back), an empty row is "".
    public var attributes: [String: String]
    /// Names of the lists the subscriber is on that PHPList shows in [LISTS] (active lists).
    public var listNames: [String]
    /// Other phplist_user_user columns usable as placeholders ([ENTERED], [FOREIGNKEY], …), by column name.
    public var otherColumns: [String: String]

    public init(id: Int, email: String, uniqid: String, uuid: String, htmlEmail: Bool = true,
                attributes: [String: String] = [:], listNames: [String] = [], otherColumns: [String: String] = [:]) {
        self.id = id
        self.email = email
        self.uniqid = uniqid
        self.uuid = uuid
        self.htmlEmail = htmlEmail
        self.attributes = attributes
        self.listNames = listNames
        self.otherColumns = otherColumns
    }
}
