import Foundation
import Testing
@testable import Bounces

/// Classifies the shared Sisimai-derived corpus and scores it with the corpus README's rule.
/// Ratchet: the thresholds sit just below the measured figures (0.923 / 0.966); raise them when the
/// classifier improves. Targets: reasons >= 0.90 (met), hard/soft >= 0.98 (not yet: the remaining
/// misses are Sisimai per-MTA judgements, see scripts/score-bounces.sh).
@Suite struct CorpusScoreTests {
    static let minimumReasonAccuracy = 0.92
    static let minimumHardSoftAgreement = 0.965

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
        let result = BounceBenchmark.run(messages: messages, rounds: 20)
        print("bounce benchmark: \(result)")
        #expect(result.recipients > 0)
    }
}

/// Every corpus message cut short at several points still parses (truncated downloads, partial spools).
@Suite struct TruncatedCorpusTests {
    @Test func truncatedMessagesNeverCrash() throws {
        guard let corpus = BounceCorpus.locate() else { return }
        for message in try corpus.messages() {
            let count = message.bytes.count
            for cut in [count / 7, count / 3, count / 2, count - 1] where cut > 0 {
                _ = BounceParser.parse(Array(message.bytes[..<cut]))
            }
        }
    }
}
