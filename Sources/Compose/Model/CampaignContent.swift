import Foundation

/// A campaign as PHPList stores it (phplist_message + phplist_messagedata + template + attachments), in the
/// shape the composer needs. The lead's loader fills it from PHPList rows; values are the stored ones with
/// `addslashes` already undone.
public struct CampaignContent: Sendable {
    /// phplist_message.id
    public var id: Int
    /// phplist_message.uuid
    public var uuid: String
    /// message.subject (placeholders left in; PHPList does not personalise the Subject header)
    public var subject: String
    /// message.fromfield, e.g. "Example News news@example.org" (parsed as PHPList's loadMessageData does)
    public var fromField: String
    /// message.replyto ("" when none)
    public var replyTo: String
    /// message.message: HTML or plain text ("htmlformatted" is derived from it as PHPList does)
    public var message: String
    /// message.textmessage: the hand-written text part; used only when `ComposeSettings.useManualTextPart`
    public var textMessage: String
    /// message.footer (falls back to config `messagefooter` in PHPList's loader)
    public var footer: String
    /// message.sendformat: "HTML", "text", "both", "text and HTML", "PDF", "text and PDF"
    public var sendFormat: SendFormat
    /// Overrides PHPList's own detection (`strip_tags(message) != message`); nil = detect like PHPList.
    public var htmlFormatted: Bool?
    /// phplist_template.template and its images (message.template); nil when the campaign has no template.
    public var template: CampaignTemplate?
    /// phplist_attachment rows linked through phplist_message_attachment, with the file bytes read once.
    public var attachments: [CampaignAttachment]
    /// [OWNER.x] / [LISTOWNER.x] values PHPList caches from admin attributes (key without brackets).
    public var adminAttributes: [(key: String, value: String)]
    /// message.embargo (not used for composing; carried for the caller's convenience)
    public var embargo: Date?

    public init(id: Int, uuid: String, subject: String, fromField: String, replyTo: String = "",
                message: String, textMessage: String = "", footer: String, sendFormat: SendFormat = .html,
                htmlFormatted: Bool? = nil, template: CampaignTemplate? = nil,
                attachments: [CampaignAttachment] = [], adminAttributes: [(key: String, value: String)] = [],
                embargo: Date? = nil) {
        self.id = id
        self.uuid = uuid
        self.subject = subject
        self.fromField = fromField
        self.replyTo = replyTo
        self.message = message
        self.textMessage = textMessage
        self.footer = footer
        self.sendFormat = sendFormat
        self.htmlFormatted = htmlFormatted
        self.template = template
        self.attachments = attachments
        self.adminAttributes = adminAttributes
        self.embargo = embargo
    }
}

/// message.sendformat values PHPList 3.6.15 knows.
public enum SendFormat: String, Sendable, Equatable {
    case html = "HTML"
    case text = "text"
    case both = "both"
    case textAndHTML = "text and HTML"
    case pdf = "PDF"
    case textAndPDF = "text and PDF"

    /// Unknown values fall into PHPList's `default:` branch, which is the HTML one.
    public init(phpList value: String) {
        self = SendFormat(rawValue: value) ?? .html
    }
}

/// A template (phplist_template) with its images (phplist_templateimage rows of that template).
public struct CampaignTemplate: Sendable {
    /// phplist_template.id
    public var id: Int
    /// phplist_template.template, containing [CONTENT] (and optionally [FOOTER], [SIGNATURE])
    public var html: String
    public var images: [TemplateImage]

    public init(id: Int, html: String, images: [TemplateImage] = []) {
        self.id = id
        self.html = html
        self.images = images
    }
}

/// One phplist_templateimage row: `filename` as referenced in the template, `data` decoded from base64.
public struct TemplateImage: Sendable {
    public var filename: String
    public var mimeType: String
    public var data: [UInt8]

    public init(filename: String, mimeType: String, data: [UInt8]) {
        self.filename = filename
        self.mimeType = mimeType
        self.data = data
    }
}

/// One attachment: phplist_attachment.{id, remotefile, mimetype, description} and the bytes of
/// `$attachment_repository/filename`.
public struct CampaignAttachment: Sendable {
    public var id: Int
    /// remotefile: PHPList names the MIME part with basename(remotefile)
    public var fileName: String
    public var mimeType: String
    public var description: String
    public var data: [UInt8]

    public init(id: Int, fileName: String, mimeType: String, description: String = "", data: [UInt8]) {
        self.id = id
        self.fileName = fileName
        self.mimeType = mimeType
        self.description = description
        self.data = data
    }

    /// Reads the attachment file once (compile time), naming the file in the error an operator sees.
    public static func load(id: Int, fileName: String, mimeType: String, description: String = "",
                            path: String) throws -> CampaignAttachment {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ComposeError.attachmentUnreadable(path: path)
        }
        return CampaignAttachment(id: id, fileName: fileName, mimeType: mimeType, description: description,
                                  data: [UInt8](data))
    }
}
