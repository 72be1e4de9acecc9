import Compose
import Foundation
import Testing

/// Placeholders, formats, templates and attachments on campaigns built for the purpose, checked on the
/// decoded parts of the rendered message.
@Suite struct CompositionTests {
    let fixture: SampleFixture

    init() throws { fixture = try SampleFixture() }

    func campaign(message: String, subject: String = "Offer", footer: String = "", textMessage: String = "",
                  template: CampaignTemplate? = nil, attachments: [CampaignAttachment] = [],
                  sendFormat: SendFormat = .html) -> CampaignContent {
        CampaignContent(id: 7, uuid: "11111111-2222-4333-8444-555555555555", subject: subject,
                        fromField: "Équipe Été ete@example.org", message: message, textMessage: textMessage,
                        footer: footer, sendFormat: sendFormat, template: template, attachments: attachments)
    }

    var subscriber: SubscriberFields {
        SubscriberFields(id: 42, email: "zoe@example.net", uniqid: "0123456789abcdef0123456789abcdef",
                         uuid: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", htmlEmail: true,
                         attributes: ["firstname": "", "country": "Ελλάδα", "city": "Zürich & Co"],
                         listNames: ["Customers", "Partners"])
    }

    func render(_ content: CampaignContent, _ s: SubscriberFields? = nil,
                configure: (inout ComposeSettings) -> Void = { _ in }) throws -> (RenderedMessage, MIMEPart) {
        var settings = fixture.settings
        settings.attributeNames = ["firstname", "lastname", "country", "city"]
        settings.useManualTextPart = false
        configure(&settings)
        let compiled = try CompiledCampaign.compile(content, settings: settings)
        var ids = fixture.tracking
        for link in compiled.trackedLinks + compiled.trackedLinks(for: s ?? subscriber) where ids[link.url] == nil {
            ids.forwardUUIDByURL[link.url] = "99999999-8888-4777-8666-\(String(format: "%012d", ids.forwardUUIDByURL.count))"
        }
        let m = try compiled.render(for: s ?? subscriber, tracking: ids)
        return (m, MIMEPart(m.bytes))
    }

    func part(_ p: MIMEPart, _ type: String) -> String {
        (p.leaves.first { $0.contentType == type }?.decodedText ?? "").replacingOccurrences(of: "\r\n", with: "\n")
    }

    @Test func placeholdersResolveAsPHPListDoes() throws {
        let html = "<p>Hi [FIRSTNAME%%Friend], [firstname]! [LASTNAME] [LASTNAME%%Doe] from [COUNTRY] in [City].</p>"
            + "<p>[EMAIL] [USERID] [WEBSITE] [DOMAIN] [ORGANISATION_NAME] [SUBJECT] [FROMEMAIL] [LISTS]</p>"
            + "<p>[UNSUBSCRIBEURL] [PREFERENCESURL] [FORWARDURL] [CONFIRMATIONURL] [BLACKLISTURL] [UNKNOWN]</p>"
        let (_, mime) = try render(campaign(message: html, subject: "Offer for [FIRSTNAME]"))
        let h = part(mime, "text/html")
        // Empty attribute: "" for [FIRSTNAME], the default for [FIRSTNAME%%Friend].
        #expect(h.contains("<p>Hi Friend, ! "))
        // No attribute row: the placeholder stays, the %% form falls back to its default.
        #expect(h.contains("[LASTNAME] Doe from Ελλάδα in Zürich & Co."))
        #expect(h.contains("zoe@example.net 0123456789abcdef0123456789abcdef 127.0.0.1:8080 example.org Test Org Offer for  ete@example.org Customers<br/>Partners"))
        #expect(h.contains("http://127.0.0.1:8080/lists/?p=unsubscribe&amp;uid=0123456789abcdef0123456789abcdef"))
        #expect(h.contains("?p=forward&amp;uid=0123456789abcdef0123456789abcdef&amp;mid=7"))
        #expect(h.contains("?p=confirm&amp;uid=0123456789abcdef0123456789abcdef"))
        #expect(h.contains("?p=donotsend&amp;email=zoe@example.net"))
        #expect(h.contains("[UNKNOWN]"))
        let t = part(mime, "text/plain")
        #expect(t.contains("Hi Friend, !"))
        #expect(t.contains("Zürich & Co"))
        #expect(t.contains("Customers\nPartners"))
    }

    @Test func linkPlaceholdersAndSignatureInText() throws {
        let html = "<p>[UNSUBSCRIBE] [PREFERENCES] [FORWARD]</p>"
        let (_, mime) = try render(campaign(message: html))
        let h = part(mime, "text/html")
        // [UNSUBSCRIBE] is a link, so it is click-tracked; its text is PHPList's "Unsubscribe".
        #expect(h.contains(">Unsubscribe</a>"))
        #expect(h.contains(">this link</a>"))
        #expect(h.contains("lt.php?tid="))
        let t = part(mime, "text/plain")
        #expect(t.hasSuffix("-- powered by phpList, www.phplist.com --\n\n"))
    }

    @Test func subjectIsNotPersonalisedByDefaultAndEncodedWhenNonASCII() throws {
        let (_, mime) = try render(campaign(message: "<p>x</p>", subject: "Frühling für [FIRSTNAME]"))
        #expect(mime.header("Subject") == "=?UTF-8?Q?Fr=C3=BChling_f=C3=BCr_[FIRSTNAME]?=")
        // Over a third of the name's bytes need encoding: PHPMailer picks B.
        #expect(mime.header("From") == "=?UTF-8?B?w4lxdWlwZSDDiXTDqQ==?= <ete@example.org>")
        let (_, greek) = try render(campaign(message: "<p>x</p>", subject: "Καλοκαίρι [COUNTRY]")) {
            $0.personaliseSubject = true
        }
        let encoded = try #require(greek.header("Subject"))
        #expect(encoded.hasPrefix("=?UTF-8?B?"))
        let b64 = encoded.components(separatedBy: " ").map { $0.dropFirst(10).dropLast(2) }.joined()
        #expect(String(decoding: Data(base64Encoded: b64) ?? Data(), as: UTF8.self) == "Καλοκαίρι Ελλάδα")
    }

    @Test func textOnlySubscriberGetsPlainTextWithAttachmentLocations() throws {
        var s = subscriber
        s.htmlEmail = false
        let pdf = CampaignAttachment(id: 5, fileName: "terms.pdf", mimeType: "application/pdf",
                                     description: "Our terms", data: Array("%PDF-1.4".utf8))
        let (m, mime) = try render(campaign(message: "<p>Hello <b>[COUNTRY]</b>, see <a href=\"https://example.com/x\">this</a>.</p>",
                                            attachments: [pdf]), s)
        #expect(m.formatCounter == .astext)
        #expect(mime.contentType == "text/plain")
        #expect(mime.header("Content-Transfer-Encoding") == "8bit")
        let t = mime.decodedText.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(t.contains("Hello *Ελλάδα*, see this"))
        #expect(t.contains("<http://127.0.0.1:8080/lists/lt.php?tid="))
        #expect(t.contains("This message contains attachments that can be viewed with a webbrowser:\n\nOur terms\nLocation:\nhttp://127.0.0.1:8080/lists/dl.php?id=5&uid=0123456789abcdef0123456789abcdef\n"))
        #expect(m.trackedLinkURLs.contains("https://example.com/x"))
        // Text-only domains are forced to text as well.
        let (m2, _) = try render(campaign(message: "<p>x</p>")) { $0.alwaysSendTextToDomains = ["example.net"] }
        #expect(m2.formatCounter == .astext)
    }

    @Test func templateWithImagesEmbedsThemInline() throws {
        let logo = TemplateImage(filename: "images/logo.png", mimeType: "image/png", data: Array(repeating: 0x89, count: 300))
        let template = CampaignTemplate(id: 3, html: "<html><head><title>t</title></head><body><img src=\"images/logo.png\" />"
            + "[CONTENT]<div>[FOOTER]</div>[SIGNATURE]</body></html>", images: [logo])
        let (m, mime) = try render(campaign(message: "<p>Body</p>", footer: "Bye [EMAIL]", template: template))
        #expect(m.formatCounter == .astextandhtml)
        #expect(mime.contentType == "multipart/alternative")
        let related = try #require(mime.children.first { $0.contentType == "multipart/related" })
        let images = related.children.filter { $0.contentType.hasPrefix("image/") }
        #expect(images.map { $0.parameter("name") } == ["logo.png", "powerphplist.png"])
        let h = part(mime, "text/html")
        for image in images {
            let cid = try #require(image.header("Content-ID")).trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
            #expect(h.contains("src=\"cid:\(cid)\""))
        }
        #expect(images[0].decodedBody == logo.data)
        // Footer went into the template's [FOOTER], parsed from text (no tags) with its placeholder.
        #expect(h.contains("<div>Bye zoe@example.net</div>"))
        #expect(h.contains("<title>t</title>"))
        #expect(h.contains("alt=\"\" /></body></html>"))
    }

    @Test func textCampaignGetsParsedHTML() throws {
        let (_, mime) = try render(campaign(message: "Hello [COUNTRY]\nVisit www.example.com today.\nMail me: me@example.com",
                                            sendFormat: .textAndHTML))
        let h = part(mime, "text/html")
        #expect(h.contains("Hello Ελλάδα<br />"))
        #expect(h.contains("href=\"http://127.0.0.1:8080/lists/lt.php?tid="))
        #expect(h.contains("class=\"url\" target=\"_blank\">www.example.com</a>"))
        let t = part(mime, "text/plain")
        #expect(t.hasPrefix("Hello Ελλάδα\nVisit www.example.com today."))
    }

    @Test func tenMegabyteAttachmentRoundTrips() throws {
        var data = [UInt8](repeating: 0, count: 10 * 1024 * 1024)
        var g = SystemRandomNumberGenerator()
        for i in stride(from: 0, to: data.count, by: 8) {
            withUnsafeBytes(of: g.next()) { raw in
                for k in 0..<8 where i + k < data.count { data[i + k] = raw[k] }
            }
        }
        let big = CampaignAttachment(id: 9, fileName: "big file.bin", mimeType: "application/octet-stream", data: data)
        let (m, mime) = try render(campaign(message: "<p>x</p>", attachments: [big]))
        let attachment = try #require(mime.leaves.first { $0.contentType == "application/octet-stream" })
        #expect(attachment.header("Content-Disposition") == "attachment; filename=\"big file.bin\"")
        #expect(attachment.decodedBody == data)
        let lines = String(decoding: attachment.rawBody, as: UTF8.self).split(separator: "\r\n")
        #expect(lines.dropLast().allSatisfy { $0.count == 76 })
        #expect(m.bytes.count > 13_900_000)
    }

    @Test func missingLinkUUIDIsAnError() throws {
        let compiled = try CompiledCampaign.compile(campaign(message: "<a href=\"https://new.example.com/\">x</a>"),
                                                    settings: fixture.settings)
        #expect(throws: ComposeError.missingLinkTrackUUID(url: "https://new.example.com/", campaign: 7)) {
            try compiled.render(for: subscriber, tracking: LinkTrackIDs())
        }
    }

    @Test func personalisedHrefIsASubscriberDependentLink() throws {
        let compiled = try CompiledCampaign.compile(
            campaign(message: "<a href=\"https://shop.example.com/?c=[COUNTRY]&uid=[USERID]\">shop</a>"),
            settings: { var s = fixture.settings; s.attributeNames = ["country"]; return s }())
        #expect(compiled.hasSubscriberDependentLinks)
        let links = compiled.trackedLinks(for: subscriber)
        #expect(links.contains(TrackedLink(url: "https://shop.example.com/?c=Ελλάδα", personalise: true)))
    }

    @Test func pdfFormatsAreRefusedForHTMLRecipients() throws {
        let compiled = try CompiledCampaign.compile(campaign(message: "<p>x</p>", sendFormat: .pdf), settings: fixture.settings)
        #expect(throws: ComposeError.self) { try compiled.render(for: subscriber, tracking: fixture.tracking) }
    }
}
