import Foundation
import MariaDB
import Relaying

/// Soft and hard bounces per destination provider in `facteur_provider_stats` (migrations/0003_relaying.sql),
/// with the sending side's provider mapping (`ProviderTable`, so both meet in the same rows). Written in the
/// bounce's own transaction: a bounce rolled back or seen before is never counted there either.
struct ProviderBounceCount {
    let providers: ProviderTable

    /// The failed recipient's provider and whether it failed for good, or nil for what is not a delivery
    /// failure (auto-reply, delay notice, delivery report, ordinary mail, complaint) or not about mail we
    /// sent (an `unidentified bounce`: no subscriber and no campaign of ours).
    func classify(_ analysis: BounceAnalysis, outcome: BounceOutcome) -> (provider: String, hard: Bool)? {
        guard outcome.disposition == .recorded, outcome.isProcessed else { return nil }
        let recipients = analysis.parsed.recipients
        guard let failed = recipients.first(where: { $0.action == .failed || $0.action == .unknown }),
              failed.address.contains("@") else { return nil }
        switch failed.reason {
        case .vacation, .delivered, .none, .feedback: return nil
        default: break
        }
        return (providers.provider(forAddress: failed.address), failed.isHard)
    }

    func record(_ analysis: BounceAnalysis, outcome: BounceOutcome, connection: MariaDBConnection, at date: Date = Date()) throws {
        guard let counted = classify(analysis, outcome: outcome) else { return }
        try connection.execute(
            """
            INSERT INTO facteur_provider_stats (provider, window_start, sent, deferred, soft_bounces, hard_bounces)
            VALUES (?, ?, 0, 0, ?, ?)
            ON DUPLICATE KEY UPDATE soft_bounces = soft_bounces + VALUES(soft_bounces), hard_bounces = hard_bounces + VALUES(hard_bounces)
            """, [String(counted.provider.prefix(255)), ProviderStatsStore.windowStart(of: date), counted.hard ? 0 : 1, counted.hard ? 1 : 0])
    }
}
