import Foundation
@testable import Supervision

/// A snapshot built by hand, for the renderers: one running campaign whose subject holds markup, two
/// relays, a provider, a reason, a retry and a worker.
enum SampleSnapshot {
    static let now = Date(timeIntervalSince1970: 1_800_000_000) // 2027-01-15 08:00:00 UTC

    static func make(subject: String = "Spring <b>offer</b> & \"more\"") -> StatusSnapshot {
        let windows = (0..<12).map { index in
            StatusSnapshot.Throughput.Window(start: now.addingTimeInterval(Double(index - 11) * 300), seconds: 300,
                                             sent: index * 100, deferred: index % 4 == 0 ? 7 : 0)
        }
        let relays = [
            StatusSnapshot.Relay(name: "relay-a", circuit: "closed", health: 0.98, allowedRate: nil, measuredRate: 12.5, errorShare: 0.02,
                                 inFlight: 4, sentToday: 12000, delivered: 11000, attempts: 11224, workers: 2, updated: now),
            StatusSnapshot.Relay(name: "relay-b", circuit: "open", health: 0.1, allowedRate: 2, measuredRate: 0, errorShare: 0.5,
                                 inFlight: 0, sentToday: 40, delivered: 40, attempts: 80, workers: 1, updated: now.addingTimeInterval(-30)),
        ]
        return StatusSnapshot(
            takenAt: now,
            throughput: StatusSnapshot.Throughput(sentLastMinute: 750, sentLastHour: 6600, deferredLastHour: 21, windows: windows),
            campaigns: [StatusSnapshot.Campaign(id: 2, subject: subject, status: "inprocess", sendStart: now.addingTimeInterval(-600),
                                                processed: 1500, toProcess: 496, messagesPerHour: 45000, retrying: 4, bounces: 15,
                                                bounceShare: 0.01, progress: 0.75, eta: now.addingTimeInterval(40))],
            relays: relays,
            providers: [StatusSnapshot.Provider(name: "gmail", sent: 6600, deferred: 21, bounces: 33, bounceShare: 0.005, allowedRate: 3.5)],
            retries: StatusSnapshot.Retries(pending: 4, due: 1, nextDue: now.addingTimeInterval(90),
                                            byDomain: [.init(domain: "example.com", pending: 4, maxAttempts: 2, lastReply: "451 <greylisted>")]),
            bounces: StatusSnapshot.Bounces(hours: 24, sent: 6600, total: 33, hard: 30,
                                            byReason: [.init(reason: "userunknown", count: 30, hard: 30, rate: 30.0 / 6600),
                                                       .init(reason: "mailboxfull", count: 3, hard: 0, rate: 3.0 / 6600)]),
            workers: [StatusSnapshot.Worker(id: "mx1-101", host: "mx1", pid: 101, started: now.addingTimeInterval(-3600), heartbeat: now, alive: true)],
            capacity: CapacityEstimate.estimate(
                relays: relays.map { .init(name: $0.name, circuit: $0.circuit, allowedRate: $0.allowedRate, measuredRate: $0.measuredRate) },
                measuredPerSecond: 12.5, queueRemaining: 500, now: now))
    }
}
