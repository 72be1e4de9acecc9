import Crypto
import Foundation

/// An mbox file as a bounce mailbox, read with `MboxReader`. The file is never modified (mbox has
/// no safe in-place delete without the delivery agent's lock): every disposition records the
/// message in the kept-message ledger, when there is one, so a second run skips it. Without a
/// ledger every run reads the whole file; the processor's duplicate check keeps that harmless.
/// Ids are the SHA-256 of the message (plus `#n` for the n-th identical copy), so they do not
/// change when messages are appended or removed by others.
public actor MboxMailbox: BounceMailbox {
    public nonisolated let key: String
    public let file: URL
    private let ledger: (any KeptMessageLedger)?
    private var pending: [MailboxMessage]?

    public init(file: URL, ledger: (any KeptMessageLedger)? = nil) {
        self.file = file.standardizedFileURL
        self.key = "mbox://" + self.file.path
        self.ledger = ledger
    }

    public func fetch(limit: Int) async throws -> [MailboxMessage] {
        guard limit > 0 else { return [] }
        if pending == nil { pending = try await load() }
        let batch = Array(pending!.prefix(limit))
        pending!.removeFirst(batch.count)
        return batch
    }

    public func finish(_ id: MailboxMessage.ID, disposition: MailboxDisposition) async throws {
        try await ledger?.recordKept(mailbox: key, id: id.rawValue)
    }

    public func close() async {
        pending = nil
    }

    private func load() async throws -> [MailboxMessage] {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw MailboxError(mailbox: key, .fileError(path: file.path, reason: error.localizedDescription))
        }
        var seen: [String: Int] = [:]
        var messages: [MailboxMessage] = []
        for bytes in MboxReader.messages(in: Array(data)) {
            let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            let copy = seen[digest, default: 0]
            seen[digest] = copy + 1
            let id = copy == 0 ? digest : "\(digest)#\(copy)"
            messages.append(MailboxMessage(id: .init(id), bytes: bytes, receivedFrom: key))
        }
        if let ledger {
            let kept = try await ledger.keptIDs(mailbox: key)
            try await ledger.forgetAbsent(mailbox: key, present: Set(messages.map(\.id.rawValue)))
            messages.removeAll { kept.contains($0.id.rawValue) }
        }
        return messages
    }
}
