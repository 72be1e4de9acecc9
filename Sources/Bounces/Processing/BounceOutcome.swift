/// What processing one bounce message did; everything in it is committed when `process` returns.
public struct BounceOutcome: Sendable, Equatable {
    public enum Disposition: String, Sendable {
        /// A `bounce` row was written (identified or not).
        case recorded
        /// The same bytes were processed before: nothing written, nothing counted.
        case alreadySeen
        /// PHPList's MS Exchange delay notice ("Action: delayed Status: 4.4.7"): nothing stored (policy phplist).
        case skipped
    }

    public var disposition: Disposition
    /// `phplist_bounce.id` (for `alreadySeen`: the row the first processing wrote, when known).
    public var bounceID: Int?
    /// `bounce.status` and `bounce.comment` as written.
    public var status: String
    public var comment: String
    public var campaignID: Int?
    public var subscriberID: Int?
    /// How the subscriber was found: "verp", "x-listmember", "address", … (nil: not identified).
    public var identifiedBy: String?
    /// The classifier's reason for the identified recipient (or the first one).
    public var reason: BounceReason
    public var isHard: Bool
    /// The policy's action (`facteur` policy; `.count` under `phplist`).
    public var action: BounceProcessingSettings.Action
    /// Hex SHA-256 of the raw message (the `facteur_bounce_seen` key).
    public var sha256: String

    /// PHPList's "processed" (true unless stored as `unidentified bounce`): a mailbox deletes processed
    /// messages under `$bounce_mailbox_purge`, the others under `$bounce_mailbox_purge_unprocessed`.
    public var isProcessed: Bool { status != "unidentified bounce" }
}
