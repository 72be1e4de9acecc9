import Compose
import Foundation
import SMTP

/// What the worker needs beyond PHPList's own tables: the relay, config.php values and its pacing.
public struct WorkerSettings: Sendable {
    /// The relay campaign mail goes to when `relays` is empty (and the name rejections fall back to).
    public var relay: SMTPRelayConfiguration
    /// Messages sent at once, over all relays (each relay also has its own connection limit).
    public var connections: Int
    /// Every relay (`relays:`); empty = `relay` alone, with `connections` connections.
    public var relays: [WorkerRelay] = []
    /// Providers, PHPList's queue limits and the controller's tuning.
    public var relaying = RelayingOptions()
    /// MAIL FROM: `compose.envelope_sender` / config.php `$message_envelope`; nil = PHPList's fallback
    /// (`admin_address`).
    public var envelopeSender: String?
    /// config.php `$attachment_repository`: where `attachment.filename` files live.
    public var attachmentRepository: String
    /// USE_MANUAL_TEXT_PART
    public var useManualTextPart: Bool
    /// Facteur option: personalise the Subject header.
    public var personaliseSubject: Bool
    /// `sendprocess.ipaddress` of this process: `facteur:<pid>@<host>`.
    public var identity: String
    /// Recipients read, claimed and written back per round trip.
    public var batchSize: Int
    /// How often the campaign status is re-read and the UI's progress keys refreshed.
    public var statusInterval: Duration
    /// How often the `sendprocess` row is kept alive (PHPList calls a lock dead after 600 s).
    public var lockKeepInterval: Duration
    /// Shortest wait between two rounds of due retries within one run.
    public var retryDelay: Duration
    /// Rounds of due retries in one run before the campaign is reported unfinished (it stays `inprocess`
    /// and a later run takes the retries when they are due).
    public var maxRetryPasses: Int
    /// A run waits for the next retry when it is due within this time; later retries are left to a later run.
    public var retryWaitLimit: Duration = .seconds(120)
    /// False (`--no-wait`): fail at once while PHPList's own processqueue holds the queue.
    public var waitForPHPListLock: Bool
    /// How often to look again while PHPList's processqueue holds the queue.
    public var lockPollInterval: Duration
    /// A worker whose heartbeat is older than this is dead: its claims may be recovered. Must exceed
    /// `lockKeepInterval` (the heartbeat period) with margin.
    public var leaseSeconds: Int = 90
    /// SEND_QUEUE_PROCESSING_REPORT: mail the run's event lines to the config's `report_address`.
    public var sendQueueReport = true
    /// `bounces.verp_secret` when `compose.verp` is on: signed per-recipient envelope senders.
    public var verpSecret: String?
    /// `compose.version_header`: the X-phpList-version value; nil = PHPList's own version.
    public var versionHeader: String?
    /// `compose.dkim`: signs every campaign message.
    public var dkim: DKIMSigner?
    /// `$admin_scheme` and the admin pages' path (`$pageroot` + "/admin"), for links in admin mails.
    public var adminScheme = "http"
    public var adminPages = "/lists/admin"
    /// Sending's metrics (swift-metrics; the bootstrapped factory unless one is given).
    public var metrics = SendMetrics()

    public init(relay: SMTPRelayConfiguration, connections: Int = 8, envelopeSender: String? = nil,
                attachmentRepository: String = "", useManualTextPart: Bool = false,
                personaliseSubject: Bool = false, identity: String = WorkerSettings.defaultIdentity(),
                batchSize: Int = 200, statusInterval: Duration = .seconds(1), lockKeepInterval: Duration = .seconds(30),
                retryDelay: Duration = .seconds(5), maxRetryPasses: Int = 3, waitForPHPListLock: Bool = true,
                lockPollInterval: Duration = .seconds(5)) {
        self.relay = relay
        self.connections = max(1, connections)
        self.envelopeSender = envelopeSender
        self.attachmentRepository = attachmentRepository
        self.useManualTextPart = useManualTextPart
        self.personaliseSubject = personaliseSubject
        self.identity = identity
        self.batchSize = max(1, batchSize)
        self.statusInterval = statusInterval
        self.lockKeepInterval = lockKeepInterval
        self.retryDelay = retryDelay
        self.maxRetryPasses = maxRetryPasses
        self.waitForPHPListLock = waitForPHPListLock
        self.lockPollInterval = lockPollInterval
    }

    /// The relays the pool sends through.
    public var allRelays: [WorkerRelay] {
        relays.isEmpty ? [WorkerRelay(smtp: relay, connections: connections)] : relays
    }

    /// `facteur:<pid>@<host>`, cut to `sendprocess.ipaddress`'s 50 characters.
    public static func defaultIdentity() -> String {
        String("facteur:\(ProcessInfo.processInfo.processIdentifier)@\(ProcessInfo.processInfo.hostName)".prefix(50))
    }
}
