import PHPList

/// processbounces' consecutive-bounce walk for one subscriber (PHPList 3.6.15): sent campaigns newest
/// first; rows whose bounce status or comment says "duplicate" are passed over; each other bounced
/// campaign adds one; the first campaign without a bounce ends the walk. Reaching the unsubscribe
/// threshold unconfirms (once); reaching BLACKLIST_EMAIL_ON_BOUNCE blacklists the address and ends the walk.
public struct ConsecutiveBounces: Sendable, Equatable {
    /// The count at which the subscriber is unconfirmed, nil when the threshold is not reached.
    public var unconfirmAt: Int?
    /// The count at which the address is blacklisted, nil when not reached.
    public var blacklistAt: Int?

    public static func evaluate(_ rows: [SentMessageBounce], threshold: Int, blacklistThreshold: Int) -> ConsecutiveBounces {
        var result = ConsecutiveBounces()
        var count = 0
        for row in rows {
            let duplicate = (row.status?.lowercased().contains("duplicate") ?? false)
                || (row.comment?.lowercased().contains("duplicate") ?? false)
            if duplicate { continue }
            guard row.bounce != nil else { break }
            count += 1
            if count >= threshold {
                if result.unconfirmAt == nil { result.unconfirmAt = count }
                if blacklistThreshold > 0 && count >= blacklistThreshold {
                    result.blacklistAt = count
                    break
                }
            }
        }
        return result
    }
}
