import Foundation

/// The status page: one self-contained HTML document (inline CSS, inline SVG, a small inline script),
/// so it works on a host without internet. Pure: the same snapshot gives the same page.
///
/// The script replaces `<main id="status">` with a freshly fetched copy every `refreshSeconds`; without
/// script a `<noscript>` meta refresh reloads the page. It marks `<html data-script="ok">` once it ran;
/// an uncaught error anywhere sets `data-script-error` (what the browser test checks).
public enum StatusPage {
    public static let refreshSeconds = 5

    public static func render(_ snapshot: StatusSnapshot) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Facteur status</title>
        <script>window.onerror = function (message) { document.documentElement.setAttribute('data-script-error', String(message)); };</script>
        <noscript><meta http-equiv="refresh" content="\(refreshSeconds * 2)"></noscript>
        <style>\(StatusPageStyle.css)</style>
        </head>
        <body>
        <header><h1>Facteur</h1><span id="stale" class="stale" hidden>not refreshed: the server did not answer</span></header>
        \(main(snapshot))
        <script>\(script)</script>
        </body>
        </html>

        """
    }

    static func main(_ s: StatusSnapshot) -> String {
        let now = s.takenAt
        return """
        <main id="status" data-taken-at="\(HTMLText.escape(StatusFormat.timestamp(now)))">
        <p class="taken">Read from the database at \(HTMLText.escape(StatusFormat.timestamp(now))) · the same as <a href="status.json">JSON</a></p>
        \(summary(s))
        <section><h2>Last hour</h2>\(ThroughputChart.svg(s.throughput.windows, now: now))
        <p class="legend"><span class="key sent"></span> sent <span class="key deferred"></span> deferred, per 5 minutes as the workers report them:
        \(StatusFormat.count(s.throughput.sentLastHour)) sent and \(StatusFormat.count(s.throughput.deferredLastHour)) deferred in the last hour</p></section>
        \(campaigns(s))
        \(relays(s))
        \(providers(s))
        <div class="pair">\(bounces(s))\(retries(s))</div>
        \(workers(s))
        </main>
        """
    }

    static func summary(_ s: StatusSnapshot) -> String {
        let c = s.capacity
        let now = s.takenAt
        let done: String
        if c.queueRemaining == 0 {
            done = "queue empty"
        } else if let at = c.queueDoneAt {
            done = "done \(StatusFormat.remaining(until: at, now: now)) (\(StatusFormat.time(at, now: now)) UTC)"
        } else {
            done = "nothing sent in the last minute"
        }
        let capacityNote = c.isLowerBound ? "at least; relays without a limit counted at their measured rate" : "allowed rates of the current relays"
        return """
        <section class="tiles">
        <div class="tile"><div class="label">Throughput now</div><div class="value" id="throughput">\(StatusFormat.rate(s.throughput.perSecond))</div>
        <div class="note">\(StatusFormat.count(s.throughput.sentLastMinute)) sent in the last minute</div></div>
        <div class="tile"><div class="label">Capacity</div><div class="value">\(StatusFormat.amount(c.achievablePerHour))<small> /h</small></div>
        <div class="note">\(StatusFormat.amount(c.achievablePerDay)) per day · \(StatusFormat.rate(c.achievablePerSecond)) · \(HTMLText.escape(capacityNote))</div></div>
        <div class="tile"><div class="label">Queue</div><div class="value">\(StatusFormat.count(c.queueRemaining))</div>
        <div class="note">\(HTMLText.escape(done))\(c.queueRemaining > 0 && c.queueDoneAtCapacity != nil ? "; \(StatusFormat.remaining(until: c.queueDoneAtCapacity, now: now)) at capacity" : "")</div></div>
        <div class="tile"><div class="label">Bounces, \(s.bounces.hours) h</div><div class="value">\(StatusFormat.percent(CapacityEstimate.share(s.bounces.total, of: s.bounces.sent)))</div>
        <div class="note">\(StatusFormat.count(s.bounces.total)) for \(StatusFormat.count(s.bounces.sent)) sent, \(StatusFormat.count(s.bounces.hard)) hard</div></div>
        </section>
        """
    }

    static func campaigns(_ s: StatusSnapshot) -> String {
        let rows = s.campaigns.map { c -> String in
            let progress = c.progress ?? 0
            return """
            <tr class="campaign" data-campaign="\(c.id)"><td class="num">\(c.id)</td><td class="subject">\(HTMLText.escape(c.subject))</td>
            <td><span class="badge \(c.isRunning ? "running" : "idle")">\(HTMLText.escape(c.status))</span></td>
            <td><div class="bar" title="\(StatusFormat.percent(c.progress))"><div style="width:\(String(format: "%.1f", progress * 100))%"></div></div>
            <span class="pct">\(StatusFormat.percent(c.progress))</span></td>
            <td class="num">\(StatusFormat.count(c.processed))</td><td class="num">\(c.toProcess.map(StatusFormat.count) ?? "–")</td>
            <td class="num">\(StatusFormat.count(c.retrying))</td><td class="num">\(StatusFormat.amount(c.messagesPerHour))</td>
            <td>\(c.eta.map { StatusFormat.time($0, now: s.takenAt) } ?? "–")</td>
            <td class="num">\(StatusFormat.count(c.bounces)) <small>(\(StatusFormat.percent(c.bounceShare)))</small></td></tr>
            """
        }
        return table(title: "Campaigns", id: "campaigns",
                     headers: ["#", "Subject", "Status", "Progress", "Processed", "To send", "Retrying", "Msg/h", "ETA (UTC)", "Bounces"],
                     numeric: [0, 4, 5, 6, 7, 9], rows: rows, empty: "No campaign queued, running or sent in the last \(s.bounces.hours) hours.")
    }

    static func relays(_ s: StatusSnapshot) -> String {
        let rows = s.relays.map { r -> String in
            """
            <tr class="relay" data-relay="\(HTMLText.escape(r.name))"><td>\(HTMLText.escape(r.name))</td>
            <td><span class="badge circuit-\(HTMLText.escape(r.circuit))">\(HTMLText.escape(r.circuit))</span></td>
            <td class="num">\(StatusFormat.percent(r.health))</td><td class="num">\(StatusFormat.rate(r.measuredRate))</td>
            <td class="num">\(StatusFormat.rate(r.allowedRate))</td><td class="num">\(StatusFormat.percent(r.errorShare))</td>
            <td class="num">\(StatusFormat.count(r.inFlight))</td><td class="num">\(StatusFormat.count(r.sentToday))</td>
            <td class="num">\(r.workers)</td><td>\(StatusFormat.time(r.updated, now: s.takenAt))</td></tr>
            """
        }
        return table(title: "Relays", id: "relays",
                     headers: ["Relay", "Circuit", "Health", "Rate", "Allowed", "Errors", "In flight", "Sent today", "Workers", "Updated (UTC)"],
                     numeric: [2, 3, 4, 5, 6, 7, 8], rows: rows, empty: "No relay published yet: a worker publishes its relays while it sends.")
    }

    static func providers(_ s: StatusSnapshot) -> String {
        let rows = s.providers.map { p -> String in
            """
            <tr><td>\(HTMLText.escape(p.name))</td><td class="num">\(StatusFormat.count(p.sent))</td>
            <td class="num">\(StatusFormat.count(p.deferred))</td><td class="num">\(StatusFormat.count(p.bounces))</td>
            <td class="num">\(StatusFormat.percent(p.bounceShare))</td><td class="num">\(p.allowedRate.map { StatusFormat.rate($0) } ?? "–")</td></tr>
            """
        }
        return table(title: "Providers, last \(s.bounces.hours) hours", id: "providers",
                     headers: ["Provider", "Sent", "Deferred", "Bounces", "Bounce share", "Allowed"],
                     numeric: [1, 2, 3, 4, 5], rows: rows, empty: "Nothing sent.")
    }

    static func bounces(_ s: StatusSnapshot) -> String {
        let rows = s.bounces.byReason.map { r -> String in
            """
            <tr><td>\(HTMLText.escape(r.reason))</td><td class="num">\(StatusFormat.count(r.count))</td>
            <td class="num">\(StatusFormat.count(r.hard))</td><td class="num">\(StatusFormat.percent(r.rate))</td></tr>
            """
        }
        return table(title: "Bounces by reason, last \(s.bounces.hours) hours", id: "bounces",
                     headers: ["Reason", "Bounces", "Hard", "Of sent"], numeric: [1, 2, 3], rows: rows, empty: "No bounce processed.")
    }

    static func retries(_ s: StatusSnapshot) -> String {
        let q = s.retries
        let rows = q.byDomain.map { d -> String in
            """
            <tr><td>\(HTMLText.escape(d.domain))</td><td class="num">\(StatusFormat.count(d.pending))</td>
            <td class="num">\(d.maxAttempts)</td><td class="reply">\(HTMLText.escape(d.lastReply))</td></tr>
            """
        }
        let next = q.nextDue.map { ", next at \(StatusFormat.time($0, now: s.takenAt)) UTC" } ?? ""
        return table(title: "Retry queue: \(StatusFormat.count(q.pending)) waiting, \(StatusFormat.count(q.due)) due\(next)", id: "retries",
                     headers: ["Domain", "Waiting", "Attempts", "Last reply"], numeric: [1, 2], rows: rows, empty: "Nobody waits for a retry.")
    }

    static func workers(_ s: StatusSnapshot) -> String {
        let rows = s.workers.map { w -> String in
            """
            <tr><td>\(HTMLText.escape(w.host))</td><td class="num">\(w.pid)</td><td>\(HTMLText.escape(w.id))</td>
            <td>\(StatusFormat.time(w.started, now: s.takenAt))</td><td>\(StatusFormat.time(w.heartbeat, now: s.takenAt))</td>
            <td><span class="badge \(w.alive ? "circuit-closed" : "circuit-open")">\(w.alive ? "alive" : "lease expired")</span></td></tr>
            """
        }
        return table(title: "Workers", id: "workers", headers: ["Host", "PID", "Worker", "Started", "Heartbeat", "State"],
                     numeric: [1], rows: rows, empty: "No worker registered.")
    }

    static func table(title: String, id: String, headers: [String], numeric: Set<Int>, rows: [String], empty: String) -> String {
        guard !rows.isEmpty else {
            return #"<section id="\#(id)"><h2>\#(HTMLText.escape(title))</h2><p class="empty">\#(HTMLText.escape(empty))</p></section>"#
        }
        let head = headers.enumerated().map { index, text in
            numeric.contains(index) ? #"<th class="num">\#(HTMLText.escape(text))</th>"# : "<th>\(HTMLText.escape(text))</th>"
        }.joined()
        return """
        <section id="\(id)"><h2>\(HTMLText.escape(title))</h2><div class="scroll"><table><thead><tr>\(head)</tr></thead><tbody>
        \(rows.joined(separator: "\n"))
        </tbody></table></div></section>
        """
    }

    /// Refreshes `<main id="status">` in place; on failure shows the "not refreshed" note and tries again.
    static let script = """
    (function () {
      'use strict';
      var every = \(refreshSeconds * 1000);
      var stale = document.getElementById('stale');
      function refresh() {
        fetch(window.location.pathname, { cache: 'no-store', headers: { 'Accept': 'text/html' } })
          .then(function (response) {
            if (!response.ok) { throw new Error('HTTP ' + response.status); }
            return response.text();
          })
          .then(function (html) {
            var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('status');
            var current = document.getElementById('status');
            if (fresh && current) { current.replaceWith(fresh); }
            stale.hidden = true;
            document.documentElement.setAttribute('data-refreshed', String(Date.now()));
          })
          .catch(function () { stale.hidden = false; })
          .then(function () { window.setTimeout(refresh, every); });
      }
      window.setTimeout(refresh, every);
      document.documentElement.setAttribute('data-script', 'ok');
    })();
    """
}
