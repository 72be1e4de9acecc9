import Foundation

/// Everything `facteur status` and the status page show, read at one moment from the database
/// (`facteur_*` tables and PHPList's). Encoded as is for `facteur status --json` and `/status.json`;
/// rates are messages per second unless a name says otherwise, shares are 0…1, and an absent value
/// (nil, left out of the JSON) means "not known", never zero.
public struct StatusSnapshot: Codable, Sendable, Equatable {
    public var takenAt: Date
    public var throughput: Throughput
    public var campaigns: [Campaign]
    public var relays: [Relay]
    public var providers: [Provider]
    public var retries: Retries
    public var bounces: Bounces
    public var workers: [Worker]
    public var capacity: CapacityEstimate

    public init(takenAt: Date, throughput: Throughput, campaigns: [Campaign], relays: [Relay], providers: [Provider],
                retries: Retries, bounces: Bounces, workers: [Worker], capacity: CapacityEstimate) {
        self.takenAt = takenAt
        self.throughput = throughput
        self.campaigns = campaigns
        self.relays = relays
        self.providers = providers
        self.retries = retries
        self.bounces = bounces
        self.workers = workers
        self.capacity = capacity
    }

    /// Messages sent: over the last minute (PHPList's `usermessage`, the current rate) and per 5-minute
    /// window over the last hour (`facteur_provider_stats`, the chart).
    public struct Throughput: Codable, Sendable, Equatable {
        public var sentLastMinute: Int
        public var sentLastHour: Int
        public var deferredLastHour: Int
        public var windows: [Window]

        /// The current rate: the last minute's messages per second.
        public var perSecond: Double

        public init(sentLastMinute: Int, sentLastHour: Int, deferredLastHour: Int, windows: [Window]) {
            self.sentLastMinute = sentLastMinute
            self.perSecond = Double(sentLastMinute) / 60
            self.sentLastHour = sentLastHour
            self.deferredLastHour = deferredLastHour
            self.windows = windows
        }

        public struct Window: Codable, Sendable, Equatable {
            public var start: Date
            public var seconds: Int
            public var sent: Int
            public var deferred: Int

            public init(start: Date, seconds: Int, sent: Int, deferred: Int) {
                self.start = start
                self.seconds = seconds
                self.sent = sent
                self.deferred = deferred
            }
        }
    }

    /// A campaign being sent or waiting to be (PHPList status submitted, inprocess, suspended) or sent
    /// within the last 24 hours (for its bounce share).
    public struct Campaign: Codable, Sendable, Equatable {
        public var id: Int
        public var subject: String
        public var status: String
        public var sendStart: Date?
        /// `message.processed`: subscribers handled (sent, failed or invalid).
        public var processed: Int
        /// `messagedata['to process']` as the worker last wrote it; nil before the first run.
        public var toProcess: Int?
        /// `messagedata['msg/hr']`, the sender's measured rate for this campaign.
        public var messagesPerHour: Double?
        /// Subscribers waiting in `facteur_retries`.
        public var retrying: Int
        /// `message.bouncecount` and its share of `processed`.
        public var bounces: Int
        public var bounceShare: Double?
        /// processed / (processed + to process).
        public var progress: Double?
        /// When the rest will be sent at `messagesPerHour`.
        public var eta: Date?

        public init(id: Int, subject: String, status: String, sendStart: Date?, processed: Int, toProcess: Int?,
                    messagesPerHour: Double?, retrying: Int, bounces: Int, bounceShare: Double?, progress: Double?, eta: Date?) {
            self.id = id
            self.subject = subject
            self.status = status
            self.sendStart = sendStart
            self.processed = processed
            self.toProcess = toProcess
            self.messagesPerHour = messagesPerHour
            self.retrying = retrying
            self.bounces = bounces
            self.bounceShare = bounceShare
            self.progress = progress
            self.eta = eta
        }

        public var isRunning: Bool { status == "inprocess" || status == "submitted" }
    }

    /// One relay, summed over the workers that published it recently (`facteur_relay_state`).
    public struct Relay: Codable, Sendable, Equatable {
        public var name: String
        /// closed (healthy), half-open (probing) or open (not used); the worst among workers.
        public var circuit: String
        /// Lowest health among workers (EWMA share of attempts that went well).
        public var health: Double
        /// Messages per second the controllers allow, summed over workers; nil = no limit.
        public var allowedRate: Double?
        /// This relay's share of deliveries times the measured throughput.
        public var measuredRate: Double
        /// Failed attempts / finished attempts since the workers started; nil before any.
        public var errorShare: Double?
        public var inFlight: Int
        public var sentToday: Int
        public var delivered: Int
        public var attempts: Int
        public var workers: Int
        public var updated: Date

        public init(name: String, circuit: String, health: Double, allowedRate: Double?, measuredRate: Double,
                    errorShare: Double?, inFlight: Int, sentToday: Int, delivered: Int, attempts: Int, workers: Int, updated: Date) {
            self.name = name
            self.circuit = circuit
            self.health = health
            self.allowedRate = allowedRate
            self.measuredRate = measuredRate
            self.errorShare = errorShare
            self.inFlight = inFlight
            self.sentToday = sentToday
            self.delivered = delivered
            self.attempts = attempts
            self.workers = workers
            self.updated = updated
        }
    }

    /// A destination provider (gmail, microsoft, … or the domain itself) over the last 24 hours.
    public struct Provider: Codable, Sendable, Equatable {
        public var name: String
        public var sent: Int
        public var deferred: Int
        /// Bounces processed in the window whose subscriber's address belongs to this provider.
        public var bounces: Int
        public var bounceShare: Double?
        /// The provider's own allowed rate when its controller slowed it down or it has a max_rate.
        public var allowedRate: Double?

        public init(name: String, sent: Int, deferred: Int, bounces: Int, bounceShare: Double?, allowedRate: Double?) {
            self.name = name
            self.sent = sent
            self.deferred = deferred
            self.bounces = bounces
            self.bounceShare = bounceShare
            self.allowedRate = allowedRate
        }
    }

    /// The retry queue (`facteur_retries`).
    public struct Retries: Codable, Sendable, Equatable {
        public var pending: Int
        public var due: Int
        public var nextDue: Date?
        public var byDomain: [Domain]

        public init(pending: Int, due: Int, nextDue: Date?, byDomain: [Domain]) {
            self.pending = pending
            self.due = due
            self.nextDue = nextDue
            self.byDomain = byDomain
        }

        public struct Domain: Codable, Sendable, Equatable {
            public var domain: String
            public var pending: Int
            public var maxAttempts: Int
            public var lastReply: String

            public init(domain: String, pending: Int, maxAttempts: Int, lastReply: String) {
                self.domain = domain
                self.pending = pending
                self.maxAttempts = maxAttempts
                self.lastReply = lastReply
            }
        }
    }

    /// Bounces processed over the last `hours` hours (`facteur_bounce_seen`), by the classifier's reason,
    /// against the messages sent in the same window.
    public struct Bounces: Codable, Sendable, Equatable {
        public var hours: Int
        public var sent: Int
        public var total: Int
        public var hard: Int
        public var byReason: [Reason]

        public init(hours: Int, sent: Int, total: Int, hard: Int, byReason: [Reason]) {
            self.hours = hours
            self.sent = sent
            self.total = total
            self.hard = hard
            self.byReason = byReason
        }

        public struct Reason: Codable, Sendable, Equatable {
            /// BounceReason's raw value; "unclassified" for bounces recorded before reasons were kept.
            public var reason: String
            public var count: Int
            public var hard: Int
            /// count / messages sent in the window.
            public var rate: Double?

            public init(reason: String, count: Int, hard: Int, rate: Double?) {
                self.reason = reason
                self.count = count
                self.hard = hard
                self.rate = rate
            }
        }
    }

    /// A `facteur` process (`facteur_workers`).
    public struct Worker: Codable, Sendable, Equatable {
        public var id: String
        public var host: String
        public var pid: Int
        public var started: Date
        public var heartbeat: Date
        /// Heartbeat within its lease.
        public var alive: Bool

        public init(id: String, host: String, pid: Int, started: Date, heartbeat: Date, alive: Bool) {
            self.id = id
            self.host = host
            self.pid = pid
            self.started = started
            self.heartbeat = heartbeat
            self.alive = alive
        }
    }
}
