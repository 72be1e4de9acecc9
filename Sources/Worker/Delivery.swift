import Compose

/// One claimed subscriber ready to go to the relay.
struct DeliveryJob: Sendable {
    let subscriber: SubscriberFields
}

/// What became of one job.
enum DeliveryOutcome: Sendable {
    /// 250 after DATA: usermessage 'sent', counters and link totals count it.
    case delivered(FormatCounter, trackedLinkURLs: [String])
    /// 4xx, connection lost before 250, or not attempted (stopping): the claim is given back.
    case transient(reason: String)
    /// 5xx: final, recorded as a bounce.
    case permanent(reply: String)
    /// Never handed to a relay (sending stopped): the claim is given back, nothing is counted.
    case notAttempted(reason: String)
}

struct DeliveryResult: Sendable {
    let subscriberID: Int
    let email: String
    let outcome: DeliveryOutcome
    /// The relay that gave the outcome; empty when none was tried.
    var relay = ""
    /// Delivered and already marked `sent` right after the 250 (`SentMarks`): the settlement need not
    /// write the row again.
    var markedSent = false
}
