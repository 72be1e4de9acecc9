import Foundation
import MariaDB

extension PHPListDatabase {
    /// PHPList's repeatMessage, run when a campaign with a repeat interval finishes: a copy of the campaign
    /// (columns but counters, times, status and uuid), its messagedata (but `embargo`/`finishsending`, set
    /// anew), lists and attachments, submitted for the next multiple of the interval after its embargo,
    /// while that is before `repeatuntil`. The original remembers the copy in messagedata `repeatedid`, so a
    /// requeued or re-finished campaign is not repeated twice. Returns the new campaign's id.
    ///
    /// Two deliberate differences from PHPList's PHP: values are copied as they are (PHPList re-escapes the
    /// already escaped messagedata and turns NULL columns into ''), and `$repeat_exclude` dates are not
    /// skipped. Both are noted in compat/phplist-3.6.15/worker-exceptions.md.
    public func repeatCampaign(id: Int, messageAgeSeconds: Int = 15_768_000, now: Date = Date()) async throws -> Int? {
        let t = tables
        let data = try await messageData(campaign: id)
        if let done = data["repeatedid"], !done.isEmpty { return nil }
        let uuid = UUID().uuidString.lowercased()
        let finish = Self.dateArray(now.addingTimeInterval(Double(messageAgeSeconds)))
        let copied = "subject, fromfield, tofield, replyto, message, textmessage, footer, repeatinterval, repeatuntil, "
            + "requeueinterval, requeueuntil, userselection, htmlformatted, sendformat, template, rsstemplate, owner"
        let newID: Int? = try await pool.transaction { db in
            let due = try db.query(
                """
                SELECT repeatinterval, DATE_FORMAT(embargo + INTERVAL (FLOOR(TIMESTAMPDIFF(MINUTE, embargo,
                  GREATEST(embargo, NOW())) / repeatinterval) + 1) * repeatinterval MINUTE, '%Y-%m-%d %H:%i:%s') AS next
                FROM \(t.message) WHERE id = ? AND repeatinterval > 0 AND NOW() < repeatuntil FOR UPDATE
                """, [id])
            guard let row = due.first, let next: String = try row.decode("next", as: String?.self) else {
                let interval = try db.query("SELECT repeatinterval FROM \(t.message) WHERE id = ?", [id])
                if try interval.first?.decode("repeatinterval", as: Int?.self) ?? 0 > 0 {
                    _ = try db.execute("INSERT INTO \(t.eventLog) (entered, page, entry) VALUES (NOW(), 'processqueue', ?)",
                                       ["Message \(id) not repeated due to reaching the repeatuntil date"])
                }
                return nil
            }
            let newID = Int(try db.execute("INSERT INTO \(t.message) (entered) VALUES (NOW())").lastInsertID)
            _ = try db.execute(
                "UPDATE \(t.message) n JOIN \(t.message) o ON o.id = ? SET "
                    + copied.split(separator: ",").map { "n.\($0.trimmingCharacters(in: .whitespaces)) = o.\($0.trimmingCharacters(in: .whitespaces))" }
                    .joined(separator: ", ")
                    + ", n.embargo = ?, n.status = 'submitted', n.uuid = ? WHERE n.id = ?",
                [id, next, uuid, newID])
            _ = try db.execute(
                """
                INSERT INTO \(t.messageData) (name, id, data) SELECT name, ?, data FROM \(t.messageData)
                WHERE id = ? AND name NOT IN ('id', 'embargo', 'finishsending', 'repeatedid')
                """, [newID, id])
            // sscanf of the new embargo; the seconds are dropped as PHPList does.
            let parts = next.split(whereSeparator: { "- :".contains($0) }).compactMap { Int($0) }.prefix(5)
            let embargo = Self.serialized(zip(["year", "month", "day", "hour", "minute"], parts.map(PHPValue.int)))
            _ = try db.execute("REPLACE INTO \(t.messageData) (name, id, data) VALUES ('embargo', ?, ?), ('finishsending', ?, ?)",
                               [newID, embargo, newID, Self.serialized(finish)])
            _ = try db.execute(
                "INSERT INTO \(t.listMessage) (messageid, listid, entered) SELECT ?, listid, NOW() FROM \(t.listMessage) WHERE messageid = ?",
                [newID, id])
            let attachments = try db.query(
                """
                SELECT a.filename, a.remotefile, a.mimetype, a.description, a.size FROM \(t.messageAttachment) ma
                JOIN \(t.attachment) a ON a.id = ma.attachmentid WHERE ma.messageid = ? ORDER BY ma.id
                """, [id])
            for a in attachments {
                let remote: String? = try a.decode("remotefile", as: String?.self)
                // A "remote file" that is a local path is read again at send time: PHPList blanks filename.
                let filename: String? = remote.map { FileManager.default.fileExists(atPath: $0) } == true
                    ? "" : try a.decode("filename", as: String?.self)
                let attachmentID = try db.execute(
                    "INSERT INTO \(t.attachment) (filename, remotefile, mimetype, description, size) VALUES (?, ?, ?, ?, ?)",
                    [filename, remote, try a.decode("mimetype", as: String?.self),
                     try a.decode("description", as: String?.self), try a.decode("size", as: Int?.self)]).lastInsertID
                _ = try db.execute("INSERT INTO \(t.messageAttachment) (messageid, attachmentid) VALUES (?, ?)",
                                   [newID, Int(attachmentID)])
            }
            _ = try db.execute("REPLACE INTO \(t.messageData) (name, id, data) VALUES ('repeatedid', ?, ?)", [id, String(newID)])
            _ = try db.execute("INSERT INTO \(t.eventLog) (entered, page, entry) VALUES (NOW(), 'processqueue', ?)",
                               ["Message \(id) was successfully rescheduled as message \(newID)"])
            return newID
        }
        return newID
    }

    /// PHP's date('Y'), date('m')… array as loadMessageData's `finishsending`: zero-padded strings.
    static func dateArray(_ date: Date) -> [(String, PHPValue)] {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: date)
        func pad(_ v: Int?, _ width: Int) -> PHPValue { .string(String(repeating: "0", count: max(0, width - String(v ?? 0).count)) + String(v ?? 0)) }
        return [("year", pad(c.year, 4)), ("month", pad(c.month, 2)), ("day", pad(c.day, 2)),
                ("hour", pad(c.hour, 2)), ("minute", pad(c.minute, 2))]
    }

    /// `SER:` + PHP serialize() of a string-keyed array of ints and strings, addslashes()'d as
    /// setMessageData stores it.
    static func serialized(_ entries: some Sequence<(String, PHPValue)>) -> String {
        var out = ""
        var count = 0
        for (key, value) in entries {
            count += 1
            out += "s:\(key.utf8.count):\"\(key)\";"
            switch value {
            case .int(let v): out += "i:\(v);"
            default:
                let s = value.stringValue ?? ""
                out += "s:\(s.utf8.count):\"\(s)\";"
            }
        }
        return PHPStrings.addSlashes("SER:a:\(count):{\(out)}")
    }
}
