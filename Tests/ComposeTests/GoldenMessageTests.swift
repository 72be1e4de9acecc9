import Compose
import FacteurTesting
import Foundation
import PHPList
import SMTP
import Testing
import Worker

/// Facteur's message for sample campaign 2 against the two messages PHPList 3.6.15 itself sent
/// (compat/phplist-3.6.15/sent-sample-1.eml and -2.eml): same headers in the same order with the same values
/// (Date, Message-ID and boundaries aside), same MIME tree, same decoded text and HTML once every tracked link
/// is replaced by what its tid decodes to, same attachment bytes. Each check runs twice: on the campaign
/// compiled from the extracted fixture, and end to end from a copy of sample-queued.sql.gz through the
/// worker's loader (`facteur preview`'s path: messagedata, config, attachments, link-tracking rows).
@Suite struct GoldenMessageTests {
    enum Source: String, CaseIterable, Sendable { case fixture, database }

    let fixture: SampleFixture
    let compiled: CompiledCampaign

    init() throws {
        fixture = try SampleFixture()
        compiled = try CompiledCampaign.compile(try fixture.content, settings: fixture.settings)
    }

    static let samples = [("sent-sample-1.eml", 2), ("sent-sample-2.eml", 1202)]
    static let cases = Source.allCases.flatMap { source in samples.map { (source, $0.0, $0.1) } }

    @Test(arguments: cases)
    func headersMatchPHPListInOrder(source: Source, file: String, subscriberID: Int) async throws {
        let ours = MIMEPart(try await render(source, subscriberID).bytes)
        let theirs = MIMEPart(try SampleFixture.sentMessage(file))
        #expect(ours.headers.map(\.name) == theirs.headers.map(\.name))
        let masked = { (p: MIMEPart) in
            p.headers.filter { $0.name != "Date" }.map { "\($0.name): \(Self.maskUniqueID($0.value, in: p))" }
        }
        #expect(masked(ours) == masked(theirs))
        #expect(ours.header("Message-ID")!.hasSuffix("@example.org>"))
    }

    @Test(arguments: cases)
    func mimeTreeMatchesPHPList(source: Source, file: String, subscriberID: Int) async throws {
        let ours = MIMEPart(try await render(source, subscriberID).bytes)
        let theirs = MIMEPart(try SampleFixture.sentMessage(file))
        #expect(Self.shape(ours, root: ours) == Self.shape(theirs, root: theirs))
    }

    @Test(arguments: cases)
    func decodedPartsMatchOnceLinksAreDecoded(source: Source, file: String, subscriberID: Int) async throws {
        let rendered = try await render(source, subscriberID)
        let ours = MIMEPart(rendered.bytes).leaves
        let theirs = MIMEPart(try SampleFixture.sentMessage(file)).leaves
        #expect(ours.count == theirs.count)
        for (o, t) in zip(ours, theirs) where o.contentType.hasPrefix("text/") {
            let a = try decodeLinks(maskCIDs(o.decodedText), forwards: rendered.forwardURLByUUID)
            let b = try decodeLinks(maskCIDs(t.decodedText), forwards: fixture.forwardURLByUUID)
            #expect(a == b, "\(o.contentType) differs")
            #expect(a.contains("TRACKED(https://www.example.com/spring-offer?ref=news|campaign 2|subscriber \(subscriberID))"))
        }
        for (o, t) in zip(ours, theirs) where !o.contentType.hasPrefix("text/") {
            #expect(o.decodedBody == t.decodedBody, "\(o.contentType) bytes differ")
        }
    }

    @Test(arguments: cases)
    func encodedPartsHaveTheSameLines(source: Source, file: String, subscriberID: Int) async throws {
        let rendered = try await render(source, subscriberID).bytes
        let ours = MIMEPart(rendered).leaves
        let theirs = MIMEPart(try SampleFixture.sentMessage(file)).leaves
        let lengths = { (p: MIMEPart) in String(decoding: p.rawBody, as: UTF8.self).components(separatedBy: "\r\n").map(\.count) }
        // The HTML tids are deterministic: the quoted-printable HTML is byte-identical but for the (random,
        // same-length) cid, so every encoded line has the same length and the same text before the cid.
        let oh = ours.first { $0.contentType == "text/html" }!
        let th = theirs.first { $0.contentType == "text/html" }!
        #expect(lengths(oh) == lengths(th))
        // (From the database Facteur files its own link uuids, so only the fixture's tids are PHPList's.)
        let beforeCID = { (p: MIMEPart) in String(String(decoding: p.rawBody, as: UTF8.self).prefix(1700)) }
        if source == .fixture { #expect(beforeCID(oh) == beforeCID(th)) }
        // Text tids carry random nibbles: same wrapping and soft breaks, so the same line lengths.
        let ot = ours.first { $0.contentType == "text/plain" }!
        let tt = theirs.first { $0.contentType == "text/plain" }!
        #expect(lengths(ot) == lengths(tt))
        // And the whole message has the same size once the random unique id (its length varies) is masked.
        let masked = { (bytes: [UInt8]) -> Int in
            let part = MIMEPart(bytes)
            return Self.maskUniqueID(String(decoding: bytes, as: UTF8.self), in: part).utf8.count
        }
        #expect(masked(rendered) == masked(try SampleFixture.sentMessage(file)))
    }

    @Test func envelopeRecipientCounterAndLinkTotals() throws {
        let message = try compiled.render(for: fixture.subscriber(id: 2), tracking: fixture.tracking)
        #expect(message.envelopeSender == "bounces@example.org")
        #expect(message.recipient == "user0001@example.net")
        #expect(message.formatCounter == .astextandhtml)
        // linktrack_ml.total counts each link once in the text and once in the HTML; "powered by" only in HTML.
        var totals: [String: Int] = [:]
        for url in message.trackedLinkURLs { totals[url, default: 0] += 1 }
        #expect(totals == [
            "https://www.example.com/spring-offer?ref=news": 2, "https://blog.example.com/posts/42": 2,
            "http://127.0.0.1:8080/lists/?p=preferences": 2, "http://127.0.0.1:8080/lists/?p=unsubscribe": 2,
            "https://www.phplist.com/poweredby?utm_source=pl3.6.15&utm_medium=poweredhostedimg&utm_campaign=phpList": 1,
        ])
        #expect(Set(compiled.trackedLinks.map(\.url)) == Set(totals.keys))
        #expect(compiled.trackedLinks.filter(\.personalise).map(\.url).sorted()
            == ["http://127.0.0.1:8080/lists/?p=preferences", "http://127.0.0.1:8080/lists/?p=unsubscribe"])
        #expect(!compiled.hasSubscriberDependentLinks)
    }

    // MARK: helpers

    /// The message and the linktrack_forward URL of every uuid its tids may name.
    struct Rendering {
        var bytes: [UInt8]
        var forwardURLByUUID: [String: String]
    }

    func render(_ source: Source, _ id: Int) async throws -> Rendering {
        switch source {
        case .fixture:
            return Rendering(bytes: try compiled.render(for: fixture.subscriber(id: id), tracking: fixture.tracking).bytes,
                             forwardURLByUUID: fixture.forwardURLByUUID)
        case .database:
            let database = try await TestDatabase.create(loading: .sampleQueued)
            let pool = database.pool(maxConnections: 2)
            // config-sample.php's envelope and USE_MANUAL_TEXT_PART; the relay is never contacted.
            let settings = WorkerSettings(relay: try SMTPRelayConfiguration(url: "smtp://127.0.0.1:9"),
                                          envelopeSender: "bounces@example.org",
                                          attachmentRepository: SampleFixture.compat.appendingPathComponent("attachments").path,
                                          useManualTextPart: true)
            let bytes = try await CampaignPreview(database: PHPListDatabase(pool: pool), settings: settings)
                .message(campaign: 2, subscriber: .id(id))
            // Facteur files its own linktrack_forward rows (new uuids): its tids decode against those.
            var forwards: [String: String] = [:]
            for row in try await pool.query("SELECT uuid, url FROM phplist_linktrack_forward") {
                forwards[try row.decode("uuid", as: String.self)] = try row.decode("url", as: String.self)
            }
            await pool.shutdown()
            try? await database.drop()
            return Rendering(bytes: bytes, forwardURLByUUID: forwards)
        }
    }

    static func maskUniqueID(_ value: String, in part: MIMEPart) -> String {
        guard let mid = part.header("Message-ID"), let at = mid.firstIndex(of: "@") else { return value }
        let id = String(mid[mid.index(after: mid.startIndex)..<at])
        return value.replacingOccurrences(of: id, with: "UNIQUEID")
    }

    static func shape(_ p: MIMEPart, root: MIMEPart, depth: Int = 0) -> [String] {
        let headers = p.headers.map { "\($0.name): \(maskUniqueID($0.value, in: root))" }
            .map { $0.hasPrefix("Content-ID") ? "Content-ID: <CID>" : $0 }
        var lines = headers.map { String(repeating: "  ", count: depth) + $0 }
        if depth == 0 { lines = [p.contentType] }
        for c in p.children { lines += shape(c, root: root, depth: depth + 1) }
        return lines
    }

    func maskCIDs(_ s: String) -> String {
        let pattern = try! NSRegularExpression(pattern: "cid:[0-9a-f]{32}")
        return pattern.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "cid:CID")
    }

    /// Every lt.php?tid=… replaced by TRACKED(url|campaign N|subscriber N) as lt.php would resolve it.
    func decodeLinks(_ s: String, forwards: [String: String]) throws -> String {
        let pattern = try NSRegularExpression(pattern: #"http://127\.0\.0\.1:8080/lists/lt\.php\?tid=([A-Za-z0-9+/%]+)"#)
        var out = s
        for m in pattern.matches(in: s, range: NSRange(s.startIndex..., in: s)).reversed() {
            let tid = String(s[Range(m.range(at: 1), in: s)!])
            let decoded = try #require(TrackingID.decode(tid, xormask: fixture.json.config["xormask"]!))
            let url = forwards[decoded.forwardUUID] ?? "unknown \(decoded.forwardUUID)"
            let campaign = decoded.campaignUUID == fixture.json.campaign.uuid ? "campaign 2" : "other campaign"
            let subscriber = fixture.subscriberID(uuid: decoded.subscriberUUID).map { "subscriber \($0)" } ?? "unknown"
            out.replaceSubrange(Range(m.range, in: out)!, with: "TRACKED(\(url)|\(campaign)|\(subscriber))")
        }
        return out
    }
}
