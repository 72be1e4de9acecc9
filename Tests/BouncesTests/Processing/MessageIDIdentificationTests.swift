import Compose
import FacteurTesting
import Foundation
import Testing
@testable import Bounces

/// Policy `facteur` identifies a bounce by the returned original's Message-ID when that is a Facteur
/// campaign Message-ID on the configured domain whose check matches the subscriber's uniqid.
@Suite struct MessageIDIdentificationTests {
    /// A DSN for an address we never sent to (the subscriber forwarded their mail), returning only the
    /// original's Message-ID.
    static func forwardedBounce(messageID: String) -> [UInt8] {
        Array("""
        Return-Path: <>
        Date: Mon, 30 Nov 2026 10:00:00 +0000
        From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
        To: bounces@example.org
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="B"

        --B
        Content-Type: text/plain

        <forward-target@elsewhere.example>: host mx.elsewhere.example said: 550 5.1.1 User unknown

        --B
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.net

        Final-Recipient: rfc822; forward-target@elsewhere.example
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 User unknown

        --B
        Content-Type: text/rfc822-headers

        Subject: News
        Message-ID: \(messageID)

        --B--

        """.utf8)
    }

    @Test func theMessageIDShapeRoundTrips() {
        let local = CampaignMessageID.localPart(random: "Ab3", campaignID: 2, subscriberID: 1202, uniqid: "u")
        let claim = CampaignMessageID.claimed(by: "<\(local)@Example.ORG>", domain: "example.org")
        #expect(claim?.campaignID == 2 && claim?.subscriberID == 1202)
        #expect(claim?.check == CampaignMessageID.check(campaignID: 2, subscriberID: 1202, uniqid: "u"))
        #expect(CampaignMessageID.claimed(by: "<\(local)@other.example>", domain: "example.org") == nil)
        #expect(CampaignMessageID.claimed(by: "<Ab3@example.org>", domain: "example.org") == nil)
    }

    @Test func aCampaignMessageIDIdentifiesAndAForgedCheckDoesNot() async throws {
        let f = try await ProcessingFixture.make(withRule: false)
        defer { Task { await f.tearDown() } }
        let uniqid = try await f.pool.query("SELECT uniqid FROM phplist_user_user WHERE id = 1202")[0].decode(0, as: String.self)
        var settings = BounceProcessingSettings(policy: .facteur)
        settings.messageIDDomain = "news.example.org"
        let processor = f.processor(settings)

        let good = CampaignMessageID.localPart(random: "R4nd0m", campaignID: 2, subscriberID: 1202, uniqid: uniqid)
        let identified = try await processor.process(Self.forwardedBounce(messageID: "<\(good)@news.example.org>"), source: "good")
        #expect(identified.status == "bounced list message 2")
        #expect(identified.subscriberID == 1202 && identified.identifiedBy == "message-id")

        let forged = "R4nd0m.2.1201.00000000"
        let ignored = try await processor.process(Self.forwardedBounce(messageID: "<\(forged)@news.example.org>"), source: "forged")
        #expect(ignored.status == "unidentified bounce")
        let elsewhere = try await processor.process(Self.forwardedBounce(messageID: "<\(good)@elsewhere.example>"), source: "domain")
        #expect(elsewhere.status == "unidentified bounce")
        #expect(try await f.int("SELECT bouncecount FROM phplist_user_user WHERE id = 1201") == 0)
        #expect(try await f.int("SELECT bouncecount FROM phplist_user_user WHERE id = 1202") == 1)
    }

    /// Under policy `phplist` only PHPList's own identification applies.
    @Test func policyPHPListDoesNotReadTheMessageID() async throws {
        let f = try await ProcessingFixture.make(withRule: false)
        defer { Task { await f.tearDown() } }
        let uniqid = try await f.pool.query("SELECT uniqid FROM phplist_user_user WHERE id = 1202")[0].decode(0, as: String.self)
        var settings = BounceProcessingSettings(policy: .phplist)
        settings.messageIDDomain = "news.example.org"
        let good = CampaignMessageID.localPart(random: "R4nd0m", campaignID: 2, subscriberID: 1202, uniqid: uniqid)
        let outcome = try await f.processor(settings).process(Self.forwardedBounce(messageID: "<\(good)@news.example.org>"), source: "x")
        #expect(outcome.status == "unidentified bounce")
    }
}
