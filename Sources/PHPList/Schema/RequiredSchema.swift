/// What Facteur needs to find in a PHPList database before it touches it: each table (by its name
/// without prefix) with the columns Facteur reads or writes. A PHPList 3.x schema has them all; a
/// 2.x one lacks the `uuid` columns added in 3.0, which is how it is told apart.
enum RequiredSchema {
    struct Table {
        let name: KeyPath<TableNames, String>
        let label: String
        let columns: [String]
    }

    static var tables: [Table] {
        [
            Table(name: \.config, label: "config", columns: ["item", "value", "editable", "type"]),
            Table(name: \.list, label: "list", columns: ["id", "name", "active", "category"]),
            Table(name: \.listUser, label: "listuser", columns: ["userid", "listid", "entered"]),
            Table(name: \.message, label: "message", columns: [
                "id", "uuid", "subject", "fromfield", "replyto", "message", "textmessage", "footer", "entered",
                "embargo", "repeatinterval", "repeatuntil", "requeueinterval", "requeueuntil", "status", "sent",
                "htmlformatted", "sendformat", "template", "processed", "astext", "ashtml", "astextandhtml",
                "aspdf", "astextandpdf", "viewed", "bouncecount", "sendstart", "owner",
            ]),
            Table(name: \.messageData, label: "messagedata", columns: ["name", "id", "data"]),
            Table(name: \.listMessage, label: "listmessage", columns: ["id", "messageid", "listid", "entered"]),
            Table(name: \.template, label: "template", columns: ["id", "title", "template"]),
            Table(name: \.templateImage, label: "templateimage", columns: ["id", "template", "mimetype", "filename", "data"]),
            Table(name: \.attachment, label: "attachment", columns: ["id", "filename", "remotefile", "mimetype", "description", "size"]),
            Table(name: \.messageAttachment, label: "message_attachment", columns: ["id", "messageid", "attachmentid"]),
            Table(name: \.userMessage, label: "usermessage", columns: ["messageid", "userid", "entered", "viewed", "status"]),
            Table(name: \.bounce, label: "bounce", columns: ["id", "date", "header", "data", "status", "comment"]),
            Table(name: \.bounceRegex, label: "bounceregex", columns: ["id", "regex", "action", "listorder", "status", "count"]),
            Table(name: \.bounceRegexBounce, label: "bounceregex_bounce", columns: ["regex", "bounce"]),
            Table(name: \.sendProcess, label: "sendprocess", columns: ["id", "started", "modified", "alive", "ipaddress", "page"]),
            Table(name: \.eventLog, label: "eventlog", columns: ["id", "entered", "page", "entry"]),
            Table(name: \.linkTrackForward, label: "linktrack_forward", columns: ["id", "url", "uuid", "personalise"]),
            Table(name: \.linkTrackML, label: "linktrack_ml", columns: ["messageid", "forwardid", "total"]),
            Table(name: \.userStats, label: "userstats", columns: ["id", "unixdate", "item", "listid", "value"]),
            Table(name: \.user, label: "user_user", columns: [
                "id", "email", "confirmed", "blacklisted", "bouncecount", "entered", "uniqid", "uuid", "htmlemail", "disabled",
            ]),
            Table(name: \.attribute, label: "user_attribute", columns: ["id", "name", "type", "tablename", "default_value"]),
            Table(name: \.userAttribute, label: "user_user_attribute", columns: ["attributeid", "userid", "value"]),
            Table(name: \.userHistory, label: "user_user_history", columns: ["id", "userid", "ip", "date", "summary", "detail", "systeminfo"]),
            Table(name: \.userBlacklist, label: "user_blacklist", columns: ["email", "added"]),
            Table(name: \.userBlacklistData, label: "user_blacklist_data", columns: ["email", "name", "data"]),
            Table(name: \.userMessageBounce, label: "user_message_bounce", columns: ["id", "user", "message", "bounce", "time"]),
        ]
    }

    /// Columns PHPList 3.0 added; their absence marks a 2.x database.
    static var version3Markers: [(KeyPath<TableNames, String>, String)] {
        [(\.user, "uuid"), (\.message, "uuid"), (\.linkTrackForward, "uuid")]
    }
}
