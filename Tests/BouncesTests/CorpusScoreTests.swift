import Foundation
import Testing
@testable import Bounces

/// Classifies the shared Sisimai-derived corpus and scores it with the corpus README's rule.
/// Ratchet: the thresholds sit just below the measured figures; raise them when the classifier improves.
@Suite struct CorpusScoreTests {
    static let minimumReasonAccuracy = 0.88
    static let minimumHardSoftAgreement = 0.925

    @Test func corpusAccuracyDoesNotRegress() throws {
        guard let corpus = BounceCorpus.locate() else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("bounce corpus not found: set FACTEUR_BOUNCE_CORPUS or put it at ../shared/bounces")
            } else {
                print("CorpusScoreTests skipped: no bounce corpus (set FACTEUR_BOUNCE_CORPUS)")
            }
            return
        }
        let score = try corpus.score()
        print(String(format: "bounce corpus: %d rows, reason accuracy %.3f, hard/soft %.3f",
                     score.rows, score.reasonAccuracy, score.hardSoftAgreement))
        for (family, figures) in score.families.sorted(by: { $0.value.reasonAccuracy < $1.value.reasonAccuracy }).prefix(8) {
            print(String(format: "  weakest %@: %.2f reason, %.2f hard/soft over %d rows", family, figures.reasonAccuracy,
                         figures.hardSoftAgreement, figures.rows))
        }
        #expect(score.rows == 325)
        #expect(score.reasonAccuracy >= Self.minimumReasonAccuracy)
        #expect(score.hardSoftAgreement >= Self.minimumHardSoftAgreement)
    }

    @Test func benchmarkParseAndClassify() throws {
        guard ProcessInfo.processInfo.environment["FACTEUR_BENCH"] == "1", let corpus = BounceCorpus.locate() else { return }
        let messages = try corpus.messages().map(\.bytes)
        let rounds = 20
        let clock = ContinuousClock()
        var recipients = 0
        let elapsed = clock.measure {
            for _ in 0..<rounds {
                for message in messages { recipients += BounceParser.parse(message).recipients.count }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let total = messages.count * rounds
        print(String(format: "bounce benchmark: %d messages (%d recipients) in %.2f s = %.0f messages/s",
                     total, recipients, seconds, Double(total) / seconds))
        #expect(recipients > 0)
    }
}
