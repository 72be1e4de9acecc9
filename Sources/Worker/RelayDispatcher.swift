import Compose
import Foundation
import Logging
import NIOConcurrencyHelpers
import Relaying
import SMTP

/// Sends a campaign's messages through the relay pool, continuously across pages: sender tasks take the
/// next message the pool allows (one queue per destination domain, so a throttled or slow destination
/// waits without holding the others), render it, send it on a free connection of the chosen relay and
/// report the reply to the pool. A message that meets relay trouble (refused, 421, connection lost
/// before 250) goes back to the queue for another relay. Results are collected for the caller to settle
/// page by page, so a page with a slow domain never stops the next pages from going out.
final class RelayDispatcher: Sendable {
    struct Queued: Sendable {
        let job: DeliveryJob
        let batch: Int
        let campaign: CompiledCampaign
        let tracking: LinkTrackIDs
        var message: RenderedMessage?
        var relayAttempts = 0
    }

    struct Settled: Sendable {
        let batch: Int
        let result: DeliveryResult
    }

    private struct State: Sendable {
        var queues = PendingQueues<Queued>()
        var inFlight = 0
        var results: [Settled] = []
        var submitting = true
    }

    let pool: RelayPool
    let providers: ProviderTable
    let relayAttempts: Int
    let logger: Logger
    let metrics: SendMetrics
    private let lanes: [LaneSet]
    private let state = NIOLockedValueBox(State())

    /// `compose.dkim`: every message is signed once, after rendering.
    let dkim: DKIMSigner?
    /// Called on the sender task right after a relay's 250 to DATA, before it takes another message: the
    /// subscriber is marked sent at once, so a crash can resend only what was in DATA (one per connection),
    /// not every message awaiting the batched settlement. Returns whether the mark was written.
    let onDelivered: (@Sendable (_ subscriberID: Int) async -> Bool)?

    init(pool: RelayPool, relays: [WorkerRelay], providers: ProviderTable, relayAttempts: Int, dkim: DKIMSigner? = nil,
         onDelivered: (@Sendable (_ subscriberID: Int) async -> Bool)? = nil, metrics: SendMetrics = SendMetrics(), logger: Logger) {
        self.metrics = metrics
        self.pool = pool
        self.dkim = dkim
        self.onDelivered = onDelivered
        self.providers = providers
        self.relayAttempts = relayAttempts
        self.logger = logger
        lanes = relays.map { relay in
            LaneSet((0..<max(1, relay.descriptor.maxConnections)).map { _ in RelayLane(relay: relay.smtp, logger: logger) })
        }
    }

    /// Queues `jobs` (of ledger batch `batch`) for sending.
    func submit(_ jobs: [DeliveryJob], batch: Int, campaign: CompiledCampaign, tracking: LinkTrackIDs) {
        state.withLockedValue { s in
            s.submitting = true
            for job in jobs {
                let domain = ProviderTable.domain(of: job.subscriber.email)
                s.queues.enqueue(Queued(job: job, batch: batch, campaign: campaign, tracking: tracking),
                                 domain: domain, provider: providers.provider(forDomain: domain))
            }
        }
    }

    /// No more jobs will be submitted: `run` returns once the queue is empty and nothing is in flight.
    func finishSubmitting() {
        state.withLockedValue { $0.submitting = false }
    }

    /// Reports every queued (not in flight) message as not attempted. The senders do it when they stop;
    /// the caller does it too, for messages submitted after the last sender stopped.
    func returnQueued(reason: String) {
        state.withLockedValue { s in
            for queued in s.queues.drain() {
                s.results.append(Self.settled(queued, .notAttempted(reason: reason)))
            }
        }
    }

    /// Messages queued or in flight.
    var outstanding: Int {
        state.withLockedValue { $0.queues.count + $0.inFlight }
    }

    /// Results gathered since the last call.
    func takeResults() -> [Settled] {
        state.withLockedValue { s in
            defer { s.results = [] }
            return s.results
        }
    }

    /// Runs `concurrency` sender tasks until `finishSubmitting` and an empty queue, or `stop`
    /// (then every queued message is reported as not attempted).
    func run(concurrency: Int, stop: StopFlag) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, concurrency) {
                group.addTask { await self.sendLoop(stop: stop) }
            }
        }
    }

    private enum Step {
        case send(Queued, RelayLease)
        case wait(Double)
        case done
    }

    private func sendLoop(stop: StopFlag) async {
        while true {
            if let reason = stop.reason {
                returnQueued(reason: reason)
                return
            }
            let step: Step = state.withLockedValue { s in
                if s.queues.isEmpty { return s.inFlight == 0 && !s.submitting ? .done : .wait(0.002) }
                let next = pool.withState { pool, now in s.queues.next(from: &pool, at: now, expectingMore: s.submitting) }
                if let (queued, lease) = next {
                    s.inFlight += 1
                    return .send(queued, lease)
                }
                let now = pool.clock.now()
                let wake = s.queues.nextWake ?? (now + 0.005)
                return .wait(min(max(wake - now, 0.0005), 0.05))
            }
            switch step {
            case .done:
                return
            case .wait(let seconds):
                try? await Task.sleep(for: .microseconds(Int((seconds * 1_000_000).rounded(.up))))
            case .send(let queued, let lease):
                await send(queued, lease: lease)
            }
        }
    }

    private func send(_ queued: Queued, lease: RelayLease) async {
        var queued = queued
        let message: RenderedMessage
        if let rendered = queued.message {
            message = rendered
        } else {
            do {
                var rendered = try queued.campaign.render(for: queued.job.subscriber, tracking: queued.tracking)
                if let dkim { rendered.bytes = try dkim.sign(rendered.bytes) }
                message = rendered
                queued.message = message
            } catch {
                pool.abandon(lease)
                state.withLockedValue { s in
                    s.inFlight -= 1
                    s.queues.leaseCompleted()
                    s.results.append(Self.settled(queued, .transient(reason: "cannot compose: \(error)")))
                }
                return
            }
        }
        let lane = lanes[lease.relay].take()
        let attempt = await lane.attempt(message)
        lanes[lease.relay].give(lane)
        pool.complete(lease, attempt.signal)
        metrics.record(attempt, lease: lease)
        let outcome: DeliveryOutcome?
        var marked = false
        switch attempt.verdict {
        case .delivered:
            marked = await onDelivered?(queued.job.subscriber.id) ?? false
            outcome = .delivered(message.formatCounter, trackedLinkURLs: message.trackedLinkURLs)
        case .permanent(let reply):
            outcome = .permanent(reply: reply)
        case .transient(let reason):
            outcome = .transient(reason: reason)
        case .relayTrouble(let reason):
            queued.relayAttempts += 1
            outcome = queued.relayAttempts >= relayAttempts ? .transient(reason: reason) : nil
            logger.debug("relay trouble", metadata: ["relay": "\(lease.relayName)", "reason": "\(reason)",
                                                     "requeued": "\(outcome == nil)"])
        }
        state.withLockedValue { s in
            s.inFlight -= 1
            s.queues.leaseCompleted()
            if let outcome {
                s.results.append(Self.settled(queued, outcome, relay: lease.relayName, marked: marked))
            } else {
                s.queues.enqueue(queued, domain: lease.domain, provider: lease.provider)
            }
        }
    }

    private static func settled(_ queued: Queued, _ outcome: DeliveryOutcome, relay: String = "", marked: Bool = false) -> Settled {
        Settled(batch: queued.batch, result: DeliveryResult(subscriberID: queued.job.subscriber.id,
                                                            email: queued.job.subscriber.email, outcome: outcome, relay: relay,
                                                            markedSent: marked))
    }

    func close() async {
        for set in lanes {
            for lane in set.all { await lane.close() }
        }
    }
}

/// The connections of one relay; the pool never grants more messages at once than there are lanes.
final class LaneSet: Sendable {
    let all: [RelayLane]
    private let free: NIOLockedValueBox<[RelayLane]>

    init(_ lanes: [RelayLane]) {
        all = lanes
        free = NIOLockedValueBox(lanes)
    }

    func take() -> RelayLane {
        free.withLockedValue { $0.popLast() } ?? all[0]
    }

    func give(_ lane: RelayLane) {
        free.withLockedValue { $0.append(lane) }
    }
}
