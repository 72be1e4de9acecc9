/// PHPList's table names under the installation's two prefixes (`$table_prefix`, `$usertable_prefix`).
///
/// PHPList builds every name as prefix + base name. Only the four tables of `$DBstructuser` in its
/// structure.php (user, user_attribute, attribute, user_history) take the user prefix; the blacklist
/// and `user_message_bounce` tables take the table prefix despite their names. The value tables of
/// select/radio/checkbox attributes are `<table prefix>listattr_<tablename>`.
public struct TableNames: Sendable, Equatable {
    public let prefix: String
    public let userPrefix: String

    public init(prefix: String = "phplist_", userPrefix: String = "phplist_user_") {
        self.prefix = prefix
        self.userPrefix = userPrefix
    }

    public var config: String { prefix + "config" }
    public var list: String { prefix + "list" }
    public var listUser: String { prefix + "listuser" }
    public var message: String { prefix + "message" }
    public var messageData: String { prefix + "messagedata" }
    public var listMessage: String { prefix + "listmessage" }
    public var template: String { prefix + "template" }
    public var templateImage: String { prefix + "templateimage" }
    public var attachment: String { prefix + "attachment" }
    public var messageAttachment: String { prefix + "message_attachment" }
    public var userMessage: String { prefix + "usermessage" }
    public var bounce: String { prefix + "bounce" }
    public var bounceRegex: String { prefix + "bounceregex" }
    public var bounceRegexBounce: String { prefix + "bounceregex_bounce" }
    public var sendProcess: String { prefix + "sendprocess" }
    public var eventLog: String { prefix + "eventlog" }
    public var linkTrackForward: String { prefix + "linktrack_forward" }
    public var linkTrackML: String { prefix + "linktrack_ml" }
    public var userStats: String { prefix + "userstats" }

    public var user: String { userPrefix + "user" }
    public var attribute: String { userPrefix + "attribute" }
    public var userAttribute: String { userPrefix + "user_attribute" }
    public var userHistory: String { userPrefix + "user_history" }
    public var userBlacklist: String { prefix + "user_blacklist" }
    public var userBlacklistData: String { prefix + "user_blacklist_data" }
    public var userMessageBounce: String { prefix + "user_message_bounce" }

    /// The value table of a select, radio or checkbox attribute (`tablename` column of the attribute).
    public func attributeValues(_ tablename: String) -> String { prefix + "listattr_" + tablename }
}
