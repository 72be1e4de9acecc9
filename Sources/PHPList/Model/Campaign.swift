import MariaDB

/// A campaign: PHPList's `message` row. What the admin pages saved besides the columns lives in
/// `messagedata` (see ``MessageData``).
public struct Campaign: Sendable, Equatable, Identifiable {
    public enum Status: Equatable, Sendable {
        case draft, submitted, inprocess, sent, suspended, prepared
        case other(String)

        public init(_ raw: String) {
            switch raw.lowercased() {
            case "draft": self = .draft
            case "submitted": self = .submitted
            case "inprocess": self = .inprocess
            case "sent": self = .sent
            case "suspended": self = .suspended
            case "prepared": self = .prepared
            default: self = .other(raw)
            }
        }

        public var raw: String {
            switch self {
            case .draft: return "draft"
            case .submitted: return "submitted"
            case .inprocess: return "inprocess"
            case .sent: return "sent"
            case .suspended: return "suspended"
            case .prepared: return "prepared"
            case .other(let raw): return raw
            }
        }
    }

    public let id: Int
    public let uuid: String
    public let subject: String
    public let fromField: String
    public let replyTo: String
    public let message: String
    public let textMessage: String
    public let footer: String
    public let status: Status
    public let sendFormat: String
    public let htmlFormatted: Bool
    public let templateID: Int?
    public let entered: MariaDBDateTime?
    public let embargo: MariaDBDateTime?
    public let sendStart: MariaDBDateTime?
    public let sent: MariaDBDateTime?
    public let repeatInterval: Int
    public let repeatUntil: MariaDBDateTime?
    public let requeueInterval: Int
    public let requeueUntil: MariaDBDateTime?
    public let processed: Int
    public let bounceCount: Int
    public let owner: Int?

    public init(
        id: Int, uuid: String, subject: String, fromField: String, replyTo: String, message: String,
        textMessage: String, footer: String, status: Status, sendFormat: String, htmlFormatted: Bool,
        templateID: Int?, entered: MariaDBDateTime?, embargo: MariaDBDateTime?, sendStart: MariaDBDateTime?,
        sent: MariaDBDateTime?, repeatInterval: Int, repeatUntil: MariaDBDateTime?, requeueInterval: Int,
        requeueUntil: MariaDBDateTime?, processed: Int, bounceCount: Int, owner: Int?
    ) {
        self.id = id
        self.uuid = uuid
        self.subject = subject
        self.fromField = fromField
        self.replyTo = replyTo
        self.message = message
        self.textMessage = textMessage
        self.footer = footer
        self.status = status
        self.sendFormat = sendFormat
        self.htmlFormatted = htmlFormatted
        self.templateID = templateID
        self.entered = entered
        self.embargo = embargo
        self.sendStart = sendStart
        self.sent = sent
        self.repeatInterval = repeatInterval
        self.repeatUntil = repeatUntil
        self.requeueInterval = requeueInterval
        self.requeueUntil = requeueUntil
        self.processed = processed
        self.bounceCount = bounceCount
        self.owner = owner
    }
}
