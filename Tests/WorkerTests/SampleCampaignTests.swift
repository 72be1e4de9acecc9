import FacteurTesting
import Foundation
import MariaDB
import PHPList
import Testing
import Worker

/// The sample campaign sent by Facteur ends in the state PHPList's own processqueue left
/// (compat/phplist-3.6.15/sample-sent.sql.gz), column by column, but for the exceptions listed in
/// compat/phplist-3.6.15/worker-exceptions.md, which are checked as that file says.
@Suite(.serialized) struct SampleCampaignTests {
    @Test func sampleQueuedEndsAsSampleSent() async throws {
        let harness = try await WorkerHarness.start()
        let reference = try await TestDatabase.create(loading: .sampleSent)
        let ref = reference.pool(maxConnections: 2)
        let pool = harness.pool
        let runStart = try await WorkerHarness.rows(pool, "SELECT NOW()")[0][0]

        let clock = ContinuousClock.now
        let report = try await harness.runner().processQueue()
        let elapsed = ContinuousClock.now - clock
        let runEnd = try await WorkerHarness.rows(pool, "SELECT NOW()")[0][0]
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("sample campaign: 1996 messages in \(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", 1996 / seconds)) msg/s")

        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.campaigns.map(\.ending) == [.finished])
        #expect(report.campaigns.first?.sent == 1996)
        #expect(report.campaigns.first?.invalid == 4)

        // The sink: 1,996 campaign messages, envelope and headers as PHPList sends them, and PHPList's three
        // admin mails (config notifystart_default, notifyend_default, report_address).
        let messages = try await harness.sink.waitForMessages(1996 + 3, seconds: 10)
        #expect(messages.count == 1996 + 3)
        let system = messages.filter(\.isSystemMail)
        let subjects = system.compactMap { $0.body.firstMatch(of: /\nSubject: ([^\n]+)\n/).map { String($0.1) } }
        #expect(subjects.sorted() == ["Campaign finished", "Campaign started", "phpList Message queue processing report"])
        #expect(system.allSatisfy { $0.rcptArgs == ["<admin@example.org>"] && $0.mailFromArgs.contains("<bounces@example.org>") })
        let reportMail = system.first { $0.body.contains("Subject: phpList Message queue processing report") }?.body ?? ""
        for line in ["] [CL] Started", "] [CL] Found them: 2000 to process", "] [CL] Processed 2000 out of 2000 subscribers",
                     "] [CL] Script stage: 5", "] [CL] 4 invalid email addresses"] {
            #expect(reportMail.contains(line), "queue report lacks \(line)")
        }
        #expect(!reportMail.contains("Finished this run"))
        let campaign = messages.filter { $0.body.contains("\nX-MessageID: 2\n") }
        #expect(campaign.count == 1996)
        #expect(Set(campaign.flatMap(\.rcptArgs)).count == 1996)
        #expect(campaign.allSatisfy { $0.mailFromArgs.contains("<bounces@example.org>") })
        #expect(!campaign.contains { $0.body.contains("@test.example\n") && $0.body.contains("\nTo: user0500") })

        // phplist_message: every column but the times (sendstart, sent, modified).
        let messageColumns = "id, subject, fromfield, tofield, replyto, message, textmessage, footer, entered, embargo, "
            + "repeatinterval, repeatuntil, requeueinterval, requeueuntil, status, userselection, htmlformatted, "
            + "sendformat, template, processed, astext, ashtml, astextandhtml, aspdf, astextandpdf, viewed, "
            + "bouncecount, owner, uuid"
        let messageSQL = "SELECT \(messageColumns) FROM phplist_message ORDER BY id"
        #expect(try await WorkerHarness.rows(pool, messageSQL) == WorkerHarness.rows(ref, messageSQL))
        let times = try await WorkerHarness.rows(pool, "SELECT sendstart, sent, sent >= sendstart FROM phplist_message WHERE id = 2")[0]
        #expect(times[0] >= runStart && times[1] <= runEnd && times[2] == "1")

        // phplist_usermessage: every row and column but `entered` (a time within the run).
        let umSQL = "SELECT messageid, userid, viewed, status FROM phplist_usermessage ORDER BY messageid, userid"
        #expect(try await WorkerHarness.rows(pool, umSQL) == WorkerHarness.rows(ref, umSQL))
        #expect(try await harness.count(
            "SELECT COUNT(*) FROM phplist_usermessage WHERE messageid = 2 AND (entered < '\(runStart)' OR entered > '\(runEnd)')") == 0)

        // phplist_user_user: every column; `modified` equal except for the 4 invalid subscribers (run time).
        let userSQL = "SELECT * FROM phplist_user_user ORDER BY id"
        let ours = try await WorkerHarness.rows(pool, userSQL)
        let theirs = try await WorkerHarness.rows(ref, userSQL)
        let modified = try await pool.query("SELECT * FROM phplist_user_user LIMIT 1")[0].columns.index(of: "modified")!
        let invalidIDs: Set<String> = ["501", "1001", "1501", "2001"]
        #expect(ours.count == theirs.count)
        for (o, t) in zip(ours, theirs) {
            var o2 = o, t2 = t
            if invalidIDs.contains(o[0]) {
                #expect(o[modified] >= runStart, "subscriber \(o[0]) modified")
                o2[modified] = ""; t2[modified] = ""
            }
            #expect(o2 == t2, "subscriber \(o[0])")
        }

        // phplist_user_user_history: every column but `date` (run time).
        let historySQL = "SELECT id, userid, ip, summary, detail, systeminfo FROM phplist_user_user_history ORDER BY id"
        #expect(try await WorkerHarness.rows(pool, historySQL) == WorkerHarness.rows(ref, historySQL))

        // phplist_linktrack_forward: every column but `uuid` (random; must be a v4 uuid).
        let forwardSQL = "SELECT id, url, urlhash, personalise FROM phplist_linktrack_forward ORDER BY id"
        #expect(try await WorkerHarness.rows(pool, forwardSQL) == WorkerHarness.rows(ref, forwardSQL))
        #expect(try await harness.count(
            "SELECT COUNT(*) FROM phplist_linktrack_forward WHERE uuid NOT REGEXP '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'") == 0)

        // phplist_linktrack_ml: every column, rows matched through the forward URL.
        let mlSQL = """
            SELECT ml.messageid, f.url, ml.firstclick, ml.latestclick, ml.total, ml.clicked, ml.htmlclicked, ml.textclicked
            FROM phplist_linktrack_ml ml JOIN phplist_linktrack_forward f ON f.id = ml.forwardid ORDER BY ml.messageid, f.url
            """
        #expect(try await WorkerHarness.rows(pool, mlSQL) == WorkerHarness.rows(ref, mlSQL))

        // phplist_messagedata: every key; the values of the time and rate keys are checked by format.
        let timed: Set<String> = ["ETA", "msg/hr", "last msg sent", "start_notified", "end_notified"]
        let mdSQL = "SELECT id, name, data FROM phplist_messagedata ORDER BY id, name"
        let mdOurs = try await WorkerHarness.rows(pool, mdSQL)
        let mdTheirs = try await WorkerHarness.rows(ref, mdSQL)
        #expect(mdOurs.map { timed.contains($0[1]) ? [$0[0], $0[1]] : $0 } == mdTheirs.map { timed.contains($0[1]) ? [$0[0], $0[1]] : $0 })
        let data = Dictionary(uniqueKeysWithValues: mdOurs.filter { $0[0] == "2" }.map { ($0[1], $0[2]) })
        #expect(data["ETA"]?.wholeMatch(of: /[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{2}:\d{2}/) != nil)
        #expect(Double(data["msg/hr"] ?? "") ?? 0 > 0)
        #expect(Int(data["last msg sent"] ?? "") != nil)
        #expect(data["start_notified"].map { $0 >= runStart && $0 <= runEnd } == true)
        #expect(data["end_notified"].map { $0 >= runStart && $0 <= runEnd } == true)

        // phplist_eventlog: the same lines in the same order; the lines holding durations and rates by pattern.
        let logSQL = "SELECT page, entry FROM phplist_eventlog WHERE id > 0 ORDER BY id"
        let logOurs = try await WorkerHarness.rows(pool, logSQL)
        let logTheirs = try await WorkerHarness.rows(ref, logSQL)
        let mask = { (rows: [[String]]) in
            rows.map { row -> String in
                let entry = row[1]
                if entry.hasPrefix("It took ") { return "\(row[0]) It took <duration> to send this message" }
                if entry.wholeMatch(of: /\d+ messages sent in [\d.]+ seconds \(\d+ msgs\/hr\)/) != nil {
                    return "\(row[0]) \(entry.prefix { $0 != " " }) messages sent in <seconds> (<rate>)"
                }
                return "\(row[0]) \(entry)"
            }
        }
        #expect(mask(logOurs) == mask(logTheirs))

        // phplist_config: every row (the URL defaults processqueue stores).
        let configSQL = "SELECT item, value, editable, type FROM phplist_config ORDER BY item"
        #expect(try await WorkerHarness.rows(pool, configSQL) == WorkerHarness.rows(ref, configSQL))

        // The lock is gone; untouched tables stay untouched.
        #expect(try await harness.count("SELECT COUNT(*) FROM phplist_sendprocess") == 0)
        for table in ["phplist_bounce", "phplist_user_message_bounce", "phplist_listuser", "phplist_user_user_attribute"] {
            let sql = "SELECT COUNT(*) FROM \(table)"
            let expected = try await WorkerHarness.rows(ref, sql)
            #expect(try await WorkerHarness.rows(pool, sql) == expected, "\(table)")
        }
        await harness.stop()
        await ref.shutdown()
        try? await reference.drop()
    }
}
