import Foundation

/// `facteur status` for a terminal: a few summary lines, then one aligned table per concern.
public enum StatusText {
    public static func render(_ s: StatusSnapshot) -> String {
        let now = s.takenAt
        var out: [String] = ["Facteur status at \(StatusFormat.timestamp(now))", ""]
        let t = s.throughput
        out.append("Throughput  \(StatusFormat.rate(t.perSecond)) over the last minute (\(StatusFormat.count(t.sentLastMinute)) sent), "
                   + "\(StatusFormat.count(t.sentLastHour)) sent and \(StatusFormat.count(t.deferredLastHour)) deferred in the last hour")
        out += capacityLines(s.capacity, now: now)
        out.append("")

        out.append("Campaigns")
        if s.campaigns.isEmpty {
            out.append("  none queued, running or sent in the last \(s.bounces.hours) h")
        } else {
            var table = TextTable([("ID", .right), ("SUBJECT", .left), ("STATUS", .left), ("PROGRESS", .right), ("PROCESSED", .right),
                                   ("TO SEND", .right), ("RETRYING", .right), ("MSG/H", .right), ("ETA", .left), ("BOUNCES", .right)])
            for c in s.campaigns {
                table.add([String(c.id), truncated(c.subject, 40), c.status, StatusFormat.percent(c.progress), StatusFormat.count(c.processed),
                           c.toProcess.map(StatusFormat.count) ?? "–", StatusFormat.count(c.retrying),
                           StatusFormat.amount(c.messagesPerHour), c.eta.map { StatusFormat.time($0, now: now) } ?? "–",
                           "\(StatusFormat.count(c.bounces)) (\(StatusFormat.percent(c.bounceShare)))"])
            }
            out.append(table.render())
        }
        out.append("")

        out.append("Relays")
        if s.relays.isEmpty {
            out.append("  none published yet (a worker publishes its relays while it sends)")
        } else {
            var table = TextTable([("RELAY", .left), ("CIRCUIT", .left), ("HEALTH", .right), ("RATE", .right), ("ALLOWED", .right),
                                   ("ERRORS", .right), ("IN FLIGHT", .right), ("SENT TODAY", .right), ("WORKERS", .right), ("UPDATED", .left)])
            for r in s.relays {
                table.add([r.name, r.circuit, StatusFormat.percent(r.health), StatusFormat.rate(r.measuredRate), StatusFormat.rate(r.allowedRate),
                           StatusFormat.percent(r.errorShare), StatusFormat.count(r.inFlight), StatusFormat.count(r.sentToday),
                           String(r.workers), StatusFormat.time(r.updated, now: now)])
            }
            out.append(table.render())
        }
        out.append("")

        out.append("Providers (last \(s.bounces.hours) h)")
        if s.providers.isEmpty {
            out.append("  nothing sent")
        } else {
            var table = TextTable([("PROVIDER", .left), ("SENT", .right), ("DEFERRED", .right), ("BOUNCES", .right),
                                   ("BOUNCE SHARE", .right), ("ALLOWED", .right)])
            for p in s.providers {
                table.add([p.name, StatusFormat.count(p.sent), StatusFormat.count(p.deferred), StatusFormat.count(p.bounces),
                           StatusFormat.percent(p.bounceShare), p.allowedRate.map { StatusFormat.rate($0) } ?? "–"])
            }
            out.append(table.render())
        }
        out.append("")

        let b = s.bounces
        out.append("Bounces (last \(b.hours) h): \(StatusFormat.count(b.total)) for \(StatusFormat.count(b.sent)) sent "
                   + "(\(StatusFormat.percent(CapacityEstimate.share(b.total, of: b.sent)))), \(StatusFormat.count(b.hard)) hard")
        if !b.byReason.isEmpty {
            var table = TextTable([("REASON", .left), ("BOUNCES", .right), ("HARD", .right), ("RATE", .right)])
            for r in b.byReason {
                table.add([r.reason, StatusFormat.count(r.count), StatusFormat.count(r.hard), StatusFormat.percent(r.rate)])
            }
            out.append(table.render())
        }
        out.append("")

        let q = s.retries
        out.append("Retries: \(StatusFormat.count(q.pending)) waiting, \(StatusFormat.count(q.due)) due"
                   + (q.nextDue.map { ", next at \(StatusFormat.time($0, now: now))" } ?? ""))
        if !q.byDomain.isEmpty {
            var table = TextTable([("DOMAIN", .left), ("WAITING", .right), ("ATTEMPTS", .right), ("LAST REPLY", .left)])
            for d in q.byDomain {
                table.add([d.domain, StatusFormat.count(d.pending), String(d.maxAttempts), truncated(d.lastReply, 60)])
            }
            out.append(table.render())
        }
        out.append("")

        out.append("Workers")
        if s.workers.isEmpty {
            out.append("  none registered")
        } else {
            var table = TextTable([("HOST", .left), ("PID", .right), ("WORKER", .left), ("STARTED", .left), ("HEARTBEAT", .left), ("STATE", .left)])
            for w in s.workers {
                table.add([w.host, String(w.pid), w.id, StatusFormat.time(w.started, now: now), StatusFormat.time(w.heartbeat, now: now),
                           w.alive ? "alive" : "lease expired"])
            }
            out.append(table.render())
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func capacityLines(_ c: CapacityEstimate, now: Date) -> [String] {
        var lines: [String] = []
        if let perSecond = c.achievablePerSecond {
            lines.append("Capacity    \(c.isLowerBound ? "at least " : "")\(StatusFormat.rate(perSecond)) with the current relays = "
                         + "\(StatusFormat.amount(c.achievablePerHour)) per hour, \(StatusFormat.amount(c.achievablePerDay)) per day"
                         + (c.isLowerBound ? " (relays without a limit counted at their measured rate)" : ""))
        } else {
            lines.append("Capacity    unknown: no relay has published its state yet")
        }
        if !c.openRelays.isEmpty {
            lines.append("            not counted, circuit open: \(c.openRelays.joined(separator: ", "))")
        }
        var queue = "Queue       \(StatusFormat.count(c.queueRemaining)) to send"
        if c.queueRemaining > 0 {
            queue += c.queueDoneAt.map { ", done \(StatusFormat.remaining(until: $0, now: now)) (\(StatusFormat.time($0, now: now)) UTC) at the measured rate" }
                ?? ", nothing measured in the last minute"
            if let atCapacity = c.queueDoneAtCapacity {
                queue += ", \(StatusFormat.remaining(until: atCapacity, now: now)) at capacity"
            }
        }
        lines.append(queue)
        return lines
    }

    static func truncated(_ text: String, _ length: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= length ? flat : String(flat.prefix(length - 1)) + "…"
    }
}
