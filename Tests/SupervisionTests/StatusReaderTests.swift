import FacteurTesting
import Foundation
import MariaDB
import Relaying
import Testing
@testable import Supervision

/// The reader on a database in a known state: PHPList's sample with campaign 2 half sent, three relays
/// as three workers published them, provider windows, retries, bounces with their reasons.
@Suite(.serialized) struct StatusReaderTests {
    @Test func readsEveryFigureOfAKnownState() async throws {
        let db = try await StatusDatabase.start()
        defer { Task { await db.stop() } }
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        try await KnownState.write(into: db, now: now)

        let snapshot = try await StatusReader(pool: db.pool).read(now: now)

        // Throughput: 50 sent within the last minute (the 10 older ones are not), windows of the last hour.
        #expect(snapshot.throughput.sentLastMinute == 50)
        #expect(abs(snapshot.throughput.perSecond - 50.0 / 60) < 1e-9)
        #expect(snapshot.throughput.windows.count == 12)
        #expect(snapshot.throughput.windows.last?.start == ProviderStatsStore.windowStart(of: now))
        #expect(snapshot.throughput.windows.last?.sent == 100)
        #expect(snapshot.throughput.sentLastHour == 600)
        #expect(snapshot.throughput.deferredLastHour == 15)

        // Campaign 2: 600 processed, 1,400 to process plus 3 retrying.
        let campaign = try #require(snapshot.campaigns.first { $0.id == 2 })
        #expect(snapshot.campaigns.map(\.id) == [2]) // campaign 1 is a draft
        #expect(campaign.status == "inprocess")
        #expect(campaign.subject.hasPrefix("Spring offer"))
        #expect(campaign.processed == 600)
        #expect(campaign.toProcess == 1400)
        #expect(campaign.retrying == 3)
        #expect(campaign.messagesPerHour == 36000)
        #expect(campaign.progress == 600.0 / 2003)
        #expect(campaign.eta == now.addingTimeInterval(141)) // 1,403 at 10/s, rounded up
        #expect(campaign.bounces == 6)
        #expect(campaign.bounceShare == 0.01)

        // Relays: a summed over its two fresh workers; b limited; c only known from a stale, open row.
        #expect(snapshot.relays.map(\.name) == ["a", "b", "c"])
        let a = snapshot.relays[0], b = snapshot.relays[1], c = snapshot.relays[2]
        #expect(a.workers == 2 && a.circuit == "closed" && a.allowedRate == nil)
        #expect(a.delivered == 1000 && a.attempts == 1104 && a.inFlight == 4 && a.sentToday == 600)
        #expect(a.errorShare == 100.0 / 1100)
        #expect(a.health == 0.9)
        #expect(abs(a.measuredRate - 50.0 / 60 / 2) < 1e-9)
        #expect(b.circuit == "half-open" && b.allowedRate == 5 && b.errorShare == 0)
        #expect(abs(b.measuredRate - 50.0 / 60 / 2) < 1e-9)
        #expect(c.workers == 0 && c.circuit == "open" && c.measuredRate == 0 && c.inFlight == 0)

        // Providers over 24 hours: the window of 25 hours ago is left out; bounces counted by address.
        let gmail = try #require(snapshot.providers.first { $0.name == "gmail" })
        #expect(gmail.sent == 1300 && gmail.deferred == 5 && gmail.bounces == 2 && gmail.allowedRate == 3.5)
        #expect(gmail.bounceShare == 2.0 / 1300)
        let example = try #require(snapshot.providers.first { $0.name == "example.com" })
        #expect(example.sent == 300 && example.deferred == 10 && example.bounces == 1 && example.allowedRate == nil)
        #expect(snapshot.providers.map(\.name) == ["gmail", "example.com"])

        // Retries.
        #expect(snapshot.retries.pending == 3)
        #expect(snapshot.retries.due == 2)
        #expect(snapshot.retries.nextDue == now.addingTimeInterval(-10))
        #expect(snapshot.retries.byDomain.map(\.domain) == ["example.com", "other.org"])
        #expect(snapshot.retries.byDomain.first?.maxAttempts == 3)
        #expect(snapshot.retries.byDomain.first?.lastReply == "451 4.7.1 try later")

        // Bounces: failures of the last 24 hours by reason; non-bounces and older ones left out.
        #expect(snapshot.bounces.sent == 1600)
        #expect(snapshot.bounces.total == 3)
        #expect(snapshot.bounces.hard == 2)
        #expect(snapshot.bounces.byReason.map(\.reason) == ["userunknown", "mailboxfull"])
        #expect(snapshot.bounces.byReason.first?.rate == 2.0 / 1600)

        // Workers.
        #expect(snapshot.workers.map(\.id).sorted() == ["w1", "w3"])
        #expect(snapshot.workers.first { $0.id == "w1" }?.alive == true)
        #expect(snapshot.workers.first { $0.id == "w3" }?.alive == false)

        // Capacity: a (no limit) at its measured rate + b's 5/s; c open; 1,403 left at 50/min.
        let capacity = snapshot.capacity
        #expect(abs((capacity.achievablePerSecond ?? 0) - (5 + 50.0 / 120)) < 1e-9)
        #expect(capacity.isLowerBound)
        #expect(capacity.openRelays == ["c"])
        #expect(capacity.queueRemaining == 1403)
        #expect(capacity.queueDoneAt == now.addingTimeInterval(1684)) // 1,403 / (50/60) = 1,683.6 s
    }

    @Test func anEmptyInstallationReadsAsNothingWithoutFailing() async throws {
        let db = try await StatusDatabase.start(.schema)
        defer { Task { await db.stop() } }
        let snapshot = try await StatusReader(pool: db.pool).read()
        #expect(snapshot.campaigns.isEmpty && snapshot.relays.isEmpty && snapshot.workers.isEmpty)
        #expect(snapshot.throughput.sentLastHour == 0)
        #expect(snapshot.capacity.achievablePerSecond == nil)
        #expect(snapshot.capacity.queueRemaining == 0)
    }

    @Test func withoutFacteurTablesTheErrorSaysToMigrate() async throws {
        let database = try await TestDatabase.create(loading: .schema)
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        let error = await #expect(throws: StatusReadError.self) { try await StatusReader(pool: pool).read() }
        #expect(error?.description.contains("facteur migrate") == true)
    }
}

/// The rows behind `readsEveryFigureOfAKnownState`.
enum KnownState {
    static func write(into db: StatusDatabase, now: Date) async throws {
        // Campaign 2 half sent, with PHPList's counters and the worker's messagedata.
        try await db.execute("UPDATE phplist_message SET status = 'inprocess', sendstart = NOW(), processed = 600, bouncecount = 6 WHERE id = 2")
        try await db.execute("REPLACE INTO phplist_messagedata (name, id, data) VALUES ('to process', 2, '1400'), ('msg/hr', 2, '36000.00000000')")
        // Provider windows: two in the last hour, one earlier today, one older than 24 hours.
        let current = ProviderStatsStore.windowStart(of: now)
        try await ProviderStatsStore(pool: db.pool).add([
            ProviderWindowCounts(provider: "gmail", windowStart: current, sent: 100, deferred: 5),
            ProviderWindowCounts(provider: "gmail", windowStart: current.addingTimeInterval(-300), sent: 200),
            ProviderWindowCounts(provider: "example.com", windowStart: current.addingTimeInterval(-300), sent: 300, deferred: 10),
            ProviderWindowCounts(provider: "gmail", windowStart: current.addingTimeInterval(-13 * 300), sent: 1000),
            ProviderWindowCounts(provider: "gmail", windowStart: current.addingTimeInterval(-25 * 3600), sent: 5000),
        ])
        try await db.execute("INSERT INTO facteur_provider_state (provider, worker_id, allowed_rate, in_flight, updated) VALUES ('gmail', 'w1', 3.5, 1, ?)", [now])
        // Relays as workers published them.
        let relays: [[any MariaDBEncodable]] = [
            ["a", "w1", "closed", nil as Double?, 4, 500, now, 0.9, 900, 1004],
            ["a", "w2", "closed", nil as Double?, 0, 100, now.addingTimeInterval(-5), 1.0, 100, 100],
            ["b", "w1", "half-open", 5.0, 0, 10, now, 0.5, 1000, 1000],
            ["c", "w3", "open", 2.0, 3, 7, now.addingTimeInterval(-3600), 0.1, 7, 50],
        ]
        for row in relays {
            try await db.execute("""
                INSERT INTO facteur_relay_state (relay, worker_id, circuit, allowed_rate, in_flight, sent_today, updated, health, delivered, attempts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, row)
        }
        try await db.execute("""
            INSERT INTO facteur_workers (worker_id, host, pid, started, heartbeat, lease_seconds) VALUES
            ('w1', 'mx1', 101, NOW() - INTERVAL 1 HOUR, NOW(), 60), ('w3', 'mx2', 303, NOW() - INTERVAL 3 HOUR, NOW() - INTERVAL 1 HOUR, 60)
            """)
        // Retries: two due, one later.
        try await RetryStore(pool: db.pool).schedule([
            PendingRetry(campaign: 2, subscriber: 300, attempts: 2, firstAttempt: now.addingTimeInterval(-600), nextAttempt: now.addingTimeInterval(-10),
                         lastReply: "451 4.7.1 try later", domain: "example.com"),
            PendingRetry(campaign: 2, subscriber: 301, attempts: 3, firstAttempt: now.addingTimeInterval(-600), nextAttempt: now.addingTimeInterval(-5),
                         lastReply: "421 busy", domain: "example.com"),
            PendingRetry(campaign: 2, subscriber: 302, attempts: 1, firstAttempt: now, nextAttempt: now.addingTimeInterval(600),
                         lastReply: "450 mailbox busy", domain: "other.org"),
        ])
        // Bounces: three failures today (two of them gmail subscribers), a vacation notice, an unstored
        // delay and a failure of two days ago.
        try await db.execute("UPDATE phplist_user_user SET email = CONCAT('s', id, CASE id WHEN 2 THEN '@gmail.com' WHEN 3 THEN '@googlemail.com' ELSE '@example.com' END) WHERE id IN (2, 3, 4, 5, 6)")
        let bounces: [(id: Int, user: Int, reason: String, hard: Int, age: Int)] = [
            (9001, 2, "userunknown", 1, 60), (9002, 3, "userunknown", 1, 60), (9003, 4, "mailboxfull", 0, 60),
            (9004, 5, "vacation", 0, 60), (9005, 6, "userunknown", 1, 48 * 3600),
        ]
        for bounce in bounces {
            try await db.execute("INSERT INTO phplist_bounce (id, date, header, data, status, comment) VALUES (?, NOW(), '', '', 'bounced list message 2', '')",
                                 [bounce.id])
            try await db.execute("INSERT INTO phplist_user_message_bounce (user, message, bounce, time) VALUES (?, 2, ?, NOW())", [bounce.user, bounce.id])
            try await db.execute("""
                INSERT INTO facteur_bounce_seen (sha256, bounce_id, source, size, processed, reason, hard)
                VALUES (UNHEX(SHA2(?, 256)), ?, 'test', 100, NOW() - INTERVAL ? SECOND, ?, ?)
                """, [String(bounce.id), bounce.id, bounce.age, bounce.reason, bounce.hard])
        }
        try await db.execute("INSERT INTO facteur_bounce_seen (sha256, bounce_id, source, size, processed, reason, hard) VALUES (UNHEX(SHA2('delay', 256)), NULL, 'test', 1, NOW(), 'mailboxfull', 0)")
        // Last, just before the reader runs, in one statement: 50 sent just now, 10 two minutes ago. The
        // reader counts the last minute by the server's clock, and the set-up above can take that long on
        // a loaded CI machine.
        let rows = (100..<160).map { "(2, \($0), NOW() - INTERVAL \($0 < 150 ? 0 : 120) SECOND, 'sent')" }
        try await db.execute("INSERT INTO phplist_usermessage (messageid, userid, entered, status) VALUES " + rows.joined(separator: ", "))
    }
}
