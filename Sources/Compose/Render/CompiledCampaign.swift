import Crypto
import Foundation

/// A campaign compiled once — placeholders resolved as far as they can be without a subscriber, links
/// found and filed, attachments and images base64-encoded, headers pre-formatted — and then filled per
/// subscriber by `render(for:tracking:)` without regular expressions or re-parsing.
public struct CompiledCampaign: Sendable {
    public let campaignID: Int
    public let campaignUUID: String
    /// The distinct fixed linktrack_forward URLs this campaign's messages contain: make sure each has a row
    /// (and its uuid in `LinkTrackIDs`) before rendering.
    public let trackedLinks: [TrackedLink]
    /// True when some tracked URL depends on the subscriber (e.g. an attribute inside an href): use
    /// `trackedLinks(for:)` per subscriber then.
    public let hasSubscriberDependentLinks: Bool

    let sendFormat: SendFormat
    let htmlPieces: [Piece]
    let textPieces: [Piece]
    /// The text part for text-only recipients (text + attachment locations, as addAttachments 'text').
    let textOnlyPieces: [Piece]
    let subjectPieces: [Piece]?
    let links: [LinkDefinition]
    let inlineImages: [MIMEAttachment]
    let attachments: [MIMEAttachment]
    let fromLine: [UInt8]
    let replyToLine: [UInt8]
    let subjectLine: [UInt8]
    let afterMessageIDHeaders: [UInt8]
    let afterListMemberHeaders: [UInt8]
    let listHelpPrefix: String
    let listUnsubscribePrefix: String
    let afterListHeaders: [UInt8]
    let xormask: String
    let xormaskBytes: [UInt8]
    let campaignUUIDBytes: [UInt8]
    let htmlSizeHint: Int
    let textSizeHint: Int
    let hmacKey: [UInt8]?
    let trackRoot: String
    let envelope: String
    let verp: VERPAddress.Config?
    let wordWrap: Int
    let textOnlyDomains: Set<String>
    let domain: String

    struct MIMEAttachment: Sendable {
        /// The part's header lines and the empty line, as PHPMailer::attachAll writes them.
        var headers: [UInt8]
        var base64: [UInt8]

        init(name: String, mimeType: String, contentID: String?, disposition: String, data: [UInt8]) {
            let encodedName = CompiledCampaign.quoted(HeaderEncoding.encode(HeaderEncoding.secure(name)))
            var h = "Content-Type: \(mimeType); name=\(encodedName)\r\nContent-Transfer-Encoding: base64\r\n"
            if let contentID { h += "Content-ID: <\(contentID)>\r\n" }
            h += "Content-Disposition: \(disposition); filename=\(encodedName)\r\n\r\n"
            headers = Array(h.utf8)
            base64 = MailEncoding.base64Lines(data)
        }
    }

    /// Compiles `content` with `settings`. Reads nothing: attachment bytes are in `content`.
    public static func compile(_ content: CampaignContent, settings: ComposeSettings) throws -> CompiledCampaign {
        guard !settings.xormask.isEmpty else { throw ComposeError.emptyXORMask }
        var compiler = CampaignCompiler(content: content, settings: settings)
        let sender = compiler.sender()
        let parts = compiler.buildSymbolicParts(sender: sender)
        let table = compiler.table

        // PHPMailer::find_html_images: template images (template 0 for the powered-by image) become inline
        // parts referenced by cid:. The cid is fixed per compiled campaign (PHPList draws one per message;
        // its own comment notes it only needs to be unique).
        var html = parts.html
        var images: [MIMEAttachment] = []
        var available: [String: TemplateImage] = [:]
        for image in content.template?.images ?? [] { available[image.filename] = image }
        if case .image(let png) = settings.poweredBy {
            available["powerphplist.png"] = TemplateImage(filename: "powerphplist.png", mimeType: "image/png",
                                                          data: png)
        }
        let imagePattern = PCRE(#""([^"]+?\.(gif|jpg|jpeg|jpe|bmp|png|tif|tiff|swf))""#, "i")
        var found: [String] = []
        for m in imagePattern.matches(in: html) {
            let name = m[1]
            let base = (name as NSString).lastPathComponent
            if available[name] != nil || available[base] != nil {
                found.append(name)
                html = PHPString.replace(html, name, with: base)
            }
        }
        let imageTypes = ["gif": "image/gif", "jpg": "image/jpeg", "jpeg": "image/jpeg", "jpe": "image/jpeg",
                          "bmp": "image/bmp", "png": "image/png", "tif": "image/tiff", "tiff": "image/tiff",
                          "swf": "application/x-shockwave-flash"]
        for name in Array(Set(found)).sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let base = (name as NSString).lastPathComponent
            guard let image = available[name] ?? available[base] else { continue }
            let ext = (base as NSString).pathExtension.lowercased()
            let cid = randomHex(16)
            images.append(MIMEAttachment(name: base, mimeType: imageTypes[ext] ?? image.mimeType, contentID: cid,
                                         disposition: "inline", data: image.data))
            html = PHPString.replace(html, base, with: "cid:\(cid)")
        }

        let htmlPieces = table.pieces(html)
        let textPieces = table.pieces(parts.text, transformLiteral: PHPString.htmlEntityDecode)
        // Text-only recipients: attachments are listed with their download location instead of attached.
        var textOnly = parts.text
        if !content.attachments.isEmpty {
            let uid = table.marker(.uniqid)
            textOnly += settings.strings.attachmentIntro + "\n" + "\n"
            for a in content.attachments {
                textOnly += a.description + "\n" + settings.strings.location + ": "
                    + "\(settings.publicRoot)/dl.php?id=\(a.id)&uid=\(uid)" + "\n" + "\n"
            }
        }
        let textOnlyPieces = table.pieces(textOnly, transformLiteral: PHPString.htmlEntityDecode)
        let subjectPieces = settings.personaliseSubject ? table.pieces(parts.subject) : nil

        // Headers that do not change per subscriber.
        func line(_ name: String, _ value: String) -> [UInt8] { Array("\(name): \(value)\r\n".utf8) }
        let fromLine = line("From", HeaderEncoding.address(sender.fromEmail, name: sender.fromName))
        var replyToLine: [UInt8] = []
        if let email = sender.replyToEmail, !email.isEmpty {
            replyToLine = line("Reply-To", HeaderEncoding.address(email, name: sender.replyToName ?? ""))
        }
        let subjectLine = line("Subject", HeaderEncoding.encode(HeaderEncoding.secure(content.subject)))
        func custom(_ name: String, _ value: String) -> [UInt8] {
            line(PHPString.trim(name), HeaderEncoding.encode(PHPString.trim(value)))
        }
        var afterMessageID: [UInt8] = []
        switch settings.versionHeader {
        case .phpList: afterMessageID += custom("X-phpList-version", settings.version)
        case .custom(let name, let value): afterMessageID += custom(name, value)
        case .omitted: break
        }
        afterMessageID += custom("X-MessageID", String(content.id))
        var afterListMember: [UInt8] = []
        if !settings.googleSenderID.isEmpty {
            afterListMember += custom("Feedback-ID", "\(content.id):\(settings.googleSenderID)")
        }
        if let precedence = settings.precedence { afterListMember += custom("Precedence", precedence) }
        let prefs = settings.urls.preferences
        let unsub = settings.urls.unsubscribe
        var afterList: [UInt8] = custom("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
        afterList += custom("List-Subscribe", "<\(settings.urls.subscribe)>")
        afterList += custom("List-Owner", "<mailto:\(settings.adminAddress)>")

        let links = compiler.links
        var fixed: [TrackedLink] = []
        var seen = Set<TrackedLink>()
        for link in links {
            if let url = link.fixedURL {
                let t = TrackedLink(url: url, personalise: link.personalise)
                if seen.insert(t).inserted { fixed.append(t) }
            }
        }
        let envelope = (settings.messageEnvelope ?? "").isEmpty ? settings.adminAddress : settings.messageEnvelope!

        return CompiledCampaign(
            campaignID: content.id, campaignUUID: content.uuid, trackedLinks: fixed,
            hasSubscriberDependentLinks: links.contains { $0.fixedURL == nil },
            sendFormat: content.sendFormat, htmlPieces: htmlPieces, textPieces: textPieces,
            textOnlyPieces: textOnlyPieces, subjectPieces: subjectPieces, links: links,
            inlineImages: images,
            attachments: content.attachments.map {
                MIMEAttachment(name: ($0.fileName as NSString).lastPathComponent, mimeType: $0.mimeType,
                               contentID: nil, disposition: "attachment", data: $0.data)
            },
            fromLine: fromLine, replyToLine: replyToLine, subjectLine: subjectLine,
            afterMessageIDHeaders: afterMessageID, afterListMemberHeaders: afterListMember,
            listHelpPrefix: prefs + (prefs.contains("?") ? "&" : "?") + "uid=",
            listUnsubscribePrefix: unsub + (unsub.contains("?") ? "&" : "?") + "uid=",
            afterListHeaders: afterList, xormask: String(repeating: settings.xormask, count: 20),
            xormaskBytes: Array(String(repeating: settings.xormask, count: 20).utf8),
            campaignUUIDBytes: TrackingIDBytes.uuidBytes(content.uuid),
            htmlSizeHint: Self.sizeHint(htmlPieces), textSizeHint: Self.sizeHint(textOnlyPieces),
            hmacKey: settings.signWithHMAC ? Array(settings.hmacKey.utf8) : nil,
            trackRoot: "\(settings.publicRoot)/lt.php",
            envelope: envelope, verp: settings.verp, wordWrap: settings.wordWrap,
            textOnlyDomains: settings.alwaysSendTextToDomains, domain: settings.domain)
    }

    /// The tracked URLs a subscriber's message will contain when some depend on the subscriber.
    public func trackedLinks(for subscriber: SubscriberFields) -> [TrackedLink] {
        var out: [TrackedLink] = []
        for link in links {
            let url = link.fixedURL ?? String(decoding: Filler.fill(link.urlPieces, subscriber, decode: false),
                                              as: UTF8.self)
            let t = TrackedLink(url: url, personalise: link.personalise)
            if !out.contains(t) { out.append(t) }
        }
        return out
    }

    static func sizeHint(_ pieces: [Piece]) -> Int {
        pieces.reduce(0) { total, piece in
            if case .literal(let b) = piece { return total + b.count }
            return total + 180
        }
    }

    static func randomHex(_ bytes: Int) -> String {
        var g = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for _ in 0..<bytes {
            let b = UInt8.random(in: 0...255, using: &g)
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
