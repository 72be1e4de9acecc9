import Foundation

/// A Maildir (`new/`, `cur/`, `tmp/`) as a bounce mailbox. Unprocessed messages are those in
/// `new/` and those in `cur/` without the Seen flag (`S`); ids are the unique file names (the
/// part before `:2,`). On finish: `delete` unlinks the file; `keep` and `flag` move it to `cur/`
/// with `S` (and the flag's letter: `\Flagged` F, `\Answered` R; keywords have none), so it is not
/// read again; `move(folder)` renames it into the Maildir++ folder `.<folder>/cur/` (created when
/// missing). Renames within one file system are atomic, so a crash never loses a message.
public actor MaildirMailbox: BounceMailbox {
    public nonisolated let key: String
    public let directory: URL
    private var returned: [String: URL] = [:]

    public init(directory: URL) {
        self.directory = directory.standardizedFileURL
        self.key = "maildir://" + self.directory.path
    }

    public func fetch(limit: Int) async throws -> [MailboxMessage] {
        guard limit > 0 else { return [] }
        var candidates: [(name: String, url: URL)] = []
        for sub in ["new", "cur"] {
            let folder = directory.appendingPathComponent(sub)
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            } catch {
                throw MailboxError(mailbox: key, .fileError(path: folder.path, reason: "cannot list: \(error.localizedDescription)"))
            }
            for name in names where !name.hasPrefix(".") {
                let (base, flags) = Self.split(name)
                if sub == "cur", flags.contains("S") || flags.contains("T") { continue }
                guard returned[base] == nil else { continue }
                candidates.append((name, folder.appendingPathComponent(name)))
            }
        }
        // Maildir names start with the delivery time in seconds: sorting approximates arrival order.
        candidates.sort { $0.name < $1.name }
        var messages: [MailboxMessage] = []
        for candidate in candidates.prefix(limit) {
            let base = Self.split(candidate.name).base
            let data: Data
            do {
                data = try Data(contentsOf: candidate.url)
            } catch CocoaError.fileReadNoSuchFile {
                continue // finished by someone else meanwhile
            } catch {
                throw MailboxError(mailbox: key, .fileError(path: candidate.url.path, reason: error.localizedDescription))
            }
            returned[base] = candidate.url
            messages.append(MailboxMessage(id: .init(base), bytes: Array(data), receivedFrom: key))
        }
        return messages
    }

    public func finish(_ id: MailboxMessage.ID, disposition: MailboxDisposition) async throws {
        guard let url = returned[id.rawValue] else { throw MailboxError(mailbox: key, .unknownMessage(id.rawValue)) }
        let flags = Self.split(url.lastPathComponent).flags
        switch disposition {
        case .delete:
            try perform(url.path) { try FileManager.default.removeItem(at: url) }
        case .keep:
            try rename(url, into: directory, id: id.rawValue, flags: flags.union(["S"]))
        case .flag(let flag):
            var letters = flags.union(["S"])
            if let letter = Self.letters[flag.lowercased()] { letters.insert(letter) }
            try rename(url, into: directory, id: id.rawValue, flags: letters)
        case .move(let folder):
            let target = directory.appendingPathComponent("." + folder.replacingOccurrences(of: "/", with: "."))
            for sub in ["cur", "new", "tmp"] {
                try perform(target.path) {
                    try FileManager.default.createDirectory(at: target.appendingPathComponent(sub), withIntermediateDirectories: true)
                }
            }
            try rename(url, into: target, id: id.rawValue, flags: flags.union(["S"]))
        }
        returned[id.rawValue] = nil
    }

    public func close() async {}

    private static let letters: [String: Character] = [
        "\\seen": "S", "\\flagged": "F", "\\answered": "R", "\\draft": "D", "\\deleted": "T",
    ]

    private func rename(_ url: URL, into maildir: URL, id: String, flags: Set<Character>) throws {
        let name = id + ":2," + String(flags.sorted())
        let target = maildir.appendingPathComponent("cur").appendingPathComponent(name)
        guard target != url else { return }
        try perform(url.path) { try FileManager.default.moveItem(at: url, to: target) }
    }

    private func perform(_ path: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            throw MailboxError(mailbox: key, .fileError(path: path, reason: error.localizedDescription))
        }
    }

    /// `base:2,FLAGS` → (base, flags). Names without info have no flags.
    static func split(_ name: String) -> (base: String, flags: Set<Character>) {
        guard let range = name.range(of: ":2,") else { return (name, []) }
        return (String(name[..<range.lowerBound]), Set(name[range.upperBound...]))
    }
}
