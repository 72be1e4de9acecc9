import Compose
import Foundation

/// PHPList's sample campaign 2 and the values around it, read from Fixtures/sample-campaign-2.json
/// (written by scripts/extract-compose-fixture.sh from compat/phplist-3.6.15/sample-sent.sql.gz) plus the
/// attachment and sent messages under compat/. The golden tests also run from the database itself
/// (GoldenMessageTests, source .database); this fixture keeps the Compose-only tests free of a server.
struct SampleFixture {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let compat = packageRoot.appendingPathComponent("compat/phplist-3.6.15")

    struct JSON: Decodable {
        struct Campaign: Decodable {
            var id: Int
            var uuid: String
            var subject: String
            var fromfield: String
            var replyto: String
            var message: String
            var textmessage: String
            var footer: String
            var sendformat: String
            var template: Int
        }
        struct Attachment: Decodable {
            var remotefile: String
            var filename: String
            var mimetype: String
            var description: String
        }
        struct Image: Decodable {
            var filename: String
            var mimetype: String
            var base64: String
        }
        struct Forward: Decodable {
            var id: Int
            var url: String
            var uuid: String
            var personalise: Int
        }
        struct Subscriber: Decodable {
            var id: Int
            var email: String
            var uniqid: String
            var uuid: String
            var htmlemail: Int
            var attributes: [String: String]
            var lists: [String]
        }
        struct Sent: Decodable {
            var file: String
            var subscriberId: Int
        }
        var campaign: Campaign
        var attachments: [Attachment]
        var config: [String: String]
        var poweredImage: Image
        var linktrackForward: [Forward]
        var subscribers: [Subscriber]
        var refused: [String]
        var sentSample: [Sent]
    }

    let json: JSON

    init() throws {
        let url = Self.packageRoot.appendingPathComponent("Tests/ComposeTests/Fixtures/sample-campaign-2.json")
        json = try JSONDecoder().decode(JSON.self, from: Data(contentsOf: url))
    }

    var content: CampaignContent {
        get throws {
            let c = json.campaign
            let attachments = try json.attachments.enumerated().map { i, a in
                try CampaignAttachment.load(id: i + 1, fileName: a.remotefile, mimeType: a.mimetype,
                                            description: a.description,
                                            path: Self.compat.appendingPathComponent("attachments/\(a.filename)").path)
            }
            return CampaignContent(id: c.id, uuid: c.uuid, subject: c.subject, fromField: c.fromfield,
                                   replyTo: c.replyto, message: c.message, textMessage: c.textmessage,
                                   footer: c.footer, sendFormat: SendFormat(phpList: c.sendformat),
                                   attachments: attachments)
        }
    }

    var settings: ComposeSettings {
        let cfg = json.config
        var s = ComposeSettings(website: cfg["website"]!, domain: cfg["domain"]!, adminAddress: cfg["admin_address"]!,
                                xormask: cfg["xormask"]!)
        s.organisationName = cfg["organisation_name"] ?? ""
        s.messageEnvelope = "bounces@example.org"     // config-sample.php's $message_envelope
        s.hmacKey = cfg["hmackey"] ?? ""
        s.wordWrap = Int(cfg["wordwrap"] ?? "75") ?? 75
        s.useManualTextPart = true                    // the sample was made with USE_MANUAL_TEXT_PART=1
        s.poweredBy = .image(png: [UInt8](Data(base64Encoded: json.poweredImage.base64)!))
        s.attributeNames = ["firstname", "lastname", "country"]
        s.urls.unsubscribe = cfg["unsubscribeurl"]!
        s.urls.preferences = cfg["preferencesurl"]!
        s.urls.subscribe = cfg["subscribeurl"]!
        s.urls.forward = cfg["forwardurl"]!
        s.urls.blacklist = cfg["blacklisturl"]!
        s.urls.confirmation = cfg["confirmationurl"]!
        s.urls.vcard = cfg["vcardurl"]!
        return s
    }

    var tlds: Set<String> { EmailAddressValidator.tlds(fromConfig: json.config["internet_tlds"]!) }

    var tracking: LinkTrackIDs {
        LinkTrackIDs(forwardUUIDByURL: Dictionary(uniqueKeysWithValues: json.linktrackForward.map { ($0.url, $0.uuid) }))
    }

    func subscriber(id: Int) -> SubscriberFields {
        let s = json.subscribers.first { $0.id == id }!
        return SubscriberFields(id: s.id, email: s.email, uniqid: s.uniqid, uuid: s.uuid, htmlEmail: s.htmlemail == 1,
                                attributes: s.attributes, listNames: s.lists)
    }

    var forwardURLByUUID: [String: String] {
        Dictionary(uniqueKeysWithValues: json.linktrackForward.map { ($0.uuid, $0.url) })
    }

    func subscriberID(uuid: String) -> Int? { json.subscribers.first { $0.uuid == uuid }?.id }

    /// A sent sample as PHPList transmitted it (smtp-sink's prefix lines removed, CRLF restored, the sink's
    /// own final empty line dropped).
    static func sentMessage(_ file: String) throws -> [UInt8] {
        let raw = try String(contentsOf: compat.appendingPathComponent(file), encoding: .utf8)
        var lines = raw.components(separatedBy: "\n")
        let start = lines.firstIndex { $0.hasPrefix("Date: ") }!
        lines.removeFirst(start)
        // file ends "...\n" + sink's "\n": components gives ["…", "", ""]; drop the sink's line and the split artifact.
        lines.removeLast(2)
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }
}
