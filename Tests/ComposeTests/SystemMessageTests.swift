import Compose
import FacteurTesting
import Foundation
import Testing

/// The admin mails PHPList sent around the sample run, reproduced byte for byte but the Date, the random
/// Message-ID (which also names the boundary) and smtp-sink's own trace lines.
@Suite struct SystemMessageTests {
    private func reference(_ name: String) throws -> String {
        let text = try String(contentsOf: TestServices.compatFile("phplist-3.6.15/\(name)"), encoding: .utf8)
        // smtp-sink prefixes its X-Client-*/Received lines: the message starts at Date.
        let start = try #require(text.range(of: "\nDate: "))
        return String(text[text.index(after: start.lowerBound)...])
    }

    /// Our CRLF output with the reference's Date and unique id, LF line ends as smtp-sink stored them.
    private func comparable(_ bytes: [UInt8], like reference: String) throws -> String {
        var ours = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let idPattern = /Message-ID: <([A-Za-z0-9]+)@/
        let ourID = try #require(ours.firstMatch(of: idPattern)).1
        let theirID = try #require(reference.firstMatch(of: idPattern)).1
        ours = ours.replacingOccurrences(of: String(ourID), with: String(theirID))
        let datePattern = /Date: [^\n]+/
        let theirDate = try #require(reference.firstMatch(of: datePattern)).0
        return ours.replacing(datePattern, with: { _ in theirDate })
    }

    /// On a difference, both versions are left under the temporary directory for `diff`.
    /// Trailing empty lines are compared apart: smtp-sink's dump holds one more than the DATA it received
    /// (PHPMailer's extra CRLF after the last boundary, which both renderers send, is checked here).
    private func expectSame(_ bytes: [UInt8], _ expected: String, name: String) throws {
        #expect(bytes.suffix(6) == Array("--\r\n\r\n".utf8))
        let ours = try comparable(bytes, like: expected).trimmingSuffix("\n")
        let expected = expected.trimmingSuffix("\n")
        if ours != expected {
            let dir = FileManager.default.temporaryDirectory
            try ours.write(to: dir.appendingPathComponent("facteur-\(name).ours.eml"), atomically: true, encoding: .utf8)
            try expected.write(to: dir.appendingPathComponent("facteur-\(name).phplist.eml"), atomically: true, encoding: .utf8)
        }
        #expect(ours == expected, "diff \(FileManager.default.temporaryDirectory.path)/facteur-\(name).{ours,phplist}.eml")
    }

    private func message(subject: String, body: String) -> SystemMessage {
        SystemMessage(recipient: "admin@example.org", subject: subject, body: body,
                      fromAddress: "admin@example.org", fromName: "Test Org", domain: "example.org",
                      unsubscribeURL: "http://127.0.0.1:8080/lists/?p=unsubscribe",
                      envelopeSender: "bounces@example.org")
    }

    @Test func campaignStartedMatchesPHPList() throws {
        let expected = try reference("sent-system-campaign-started.eml")
        let rendered = message(
            subject: "Campaign started",
            body: "phpList has started sending the campaign with subject Spring offer for [FIRSTNAME]\n\n"
                + "to view the progress of this campaign, go to http://127.0.0.1:8080/lists/admin/?page=messages&amp;tab=active"
        ).render()
        #expect(rendered.envelopeSender == "bounces@example.org")
        try expectSame(rendered.bytes, expected, name: "campaign-started")
    }

    @Test func queueReportMatchesPHPList() throws {
        let expected = try reference("sent-system-queue-report.eml")
        let lines = [
            "[Sun 29 Nov 2026 05:51] [CL] Started",
            "[Sun 29 Nov 2026 05:51] [CL] Processing has started,",
            "[Sun 29 Nov 2026 05:51] [CL] One campaign to process.",
            "[Sun 29 Nov 2026 05:51] [CL] Processing campaign 2",
            "[Sun 29 Nov 2026 05:51] [CL] Looking for subscribers",
            "[Sun 29 Nov 2026 05:51] [CL] Found them: 2000 to process",
            "[Sun 29 Nov 2026 05:53] [CL] Processed 2000 out of 2000 subscribers",
            "[Sun 29 Nov 2026 05:53] [CL] It took  1 mins 46 seconds to send this message",
            "[Sun 29 Nov 2026 05:53] [CL] Script stage: 5",
            "[Sun 29 Nov 2026 05:53] [CL] 1996 messages sent in 106.49 seconds (67476 msgs/hr)",
            "[Sun 29 Nov 2026 05:53] [CL] 4 invalid email addresses",
        ]
        let body = "The following events occured while processing the message queue:\n"
            + lines.map { "\n" + $0 }.joined()
            + "\n\nTo stop receiving these reports read: https://resources.phplist.com/system/config/send_queue_processing_report\n\n"
        let rendered = message(subject: "phpList Message queue processing report", body: body).render()
        try expectSame(rendered.bytes, expected, name: "queue-report")
    }

    @Test func nonLatinSubjectIsEncodedAndLinksStopAtWhitespace() {
        let rendered = message(subject: "Campagne « été » démarrée", body: "see https://example.org/a?b=1&amp;c=2 now")
            .render()
        let text = String(decoding: rendered.bytes, as: UTF8.self)
        #expect(text.contains("Subject: =?UTF-8?"))
        #expect(!text.contains("Subject: Campagne « été »"))
        #expect(text.contains("<a href=3D\"https://example.org/a?b=3D1&amp;c=3D2\">"))
        #expect(text.contains("see https://example.org/a?b=3D1&c=3D2 now"))
    }
}

private extension String {
    func trimmingSuffix(_ character: Character) -> String {
        var s = self
        while s.last == character { s.removeLast() }
        return s
    }
}
