import Foundation
import Testing
@testable import Worker

/// The text processqueue writes about a run, reproduced for PHPList's UI and event log.
@Suite struct CampaignProgressTests {
    @Test func durationsReadAsPHPListsSecs2time() {
        #expect(CampaignProgress.secs2time(106) == " 1 mins 46 seconds")
        #expect(CampaignProgress.secs2time(3) == " 3 seconds")
        #expect(CampaignProgress.secs2time(3600 + 120) == " 1 hours 2 mins")
    }

    @Test func progressKeysForTheUI() {
        let start = Date(timeIntervalSince1970: 1_795_931_505)
        var progress = CampaignProgress(total: 2000, started: start)
        progress.processed = 1000
        progress.sent = 1000
        let data = Dictionary(uniqueKeysWithValues: progress.messageData(now: start.addingTimeInterval(10)))
        #expect(data["to process"] == "1000")
        #expect(data["last msg sent"] == "1795931515")
        #expect(data["ETA"]?.wholeMatch(of: /[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{2}:\d{2}/) != nil)
        #expect(Double(data["msg/hr"] ?? "") ?? 0 > 0)
    }

    @Test func summaryLinesAsInTheSample() {
        let start = Date(timeIntervalSince1970: 0)
        var progress = CampaignProgress(total: 2000, started: start)
        progress.processed = 2000
        progress.sent = 1996
        progress.invalid = 4
        let lines = progress.summaryLines(now: start.addingTimeInterval(106.49))
        #expect(lines[0] == "Processed 2000 out of 2000 subscribers")
        #expect(lines[1] == "It took  1 mins 46 seconds to send this message")
        #expect(lines[2].hasPrefix("1996 messages sent in 106.49 seconds ("))
        #expect(lines[3] == "4 invalid email addresses")
    }
}
