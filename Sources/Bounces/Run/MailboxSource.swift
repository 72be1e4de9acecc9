import Foundation
import Logging

/// One configured bounce mailbox (`bounces.mailboxes[]`, or PHPList's `$bounce_*` settings): where it
/// is, how to reach it, and what becomes of a message once its bounce is committed.
public struct MailboxSource: Sendable, Equatable {
    public var url: String
    public var startTLS: MailboxEndpoint.StartTLS
    public var tlsVerify: Bool
    public var tlsCAFile: String?
    /// For a message PHPList calls processed (anything but `unidentified bounce`): `$bounce_mailbox_purge`.
    public var processed: MailboxDisposition
    /// For an `unidentified bounce`: `$bounce_mailbox_purge_unprocessed`.
    public var unprocessed: MailboxDisposition
    /// Seconds to wait for a network server at each step.
    public var timeout: Double

    public init(url: String, startTLS: MailboxEndpoint.StartTLS = .opportunistic, tlsVerify: Bool = true,
                tlsCAFile: String? = nil, processed: MailboxDisposition = .delete, unprocessed: MailboxDisposition = .delete,
                timeout: Double = 60) {
        self.url = url
        self.startTLS = startTLS
        self.tlsVerify = tlsVerify
        self.tlsCAFile = tlsCAFile
        self.processed = processed
        self.unprocessed = unprocessed
        self.timeout = timeout
    }

    /// The name of the mailbox in logs, in the lease table and in the kept-message ledger, without its
    /// password: the same key the opened mailbox reports, so the lease is taken before connecting.
    public var key: String {
        let scheme = url.range(of: "://").map { url[..<$0.lowerBound].lowercased() }
        switch scheme {
        case "imap", "imaps", "pop3", "pop", "pop3s", "pops":
            if let endpoint = try? MailboxEndpoint(url: url) { return endpoint.key }
            return MailboxEndpoint.redact(url)
        case "mbox", "file":
            return "mbox://" + URL(fileURLWithPath: URLComponents(string: url)?.path ?? url).standardizedFileURL.path
        case "maildir":
            return "maildir://" + URL(fileURLWithPath: URLComponents(string: url)?.path ?? url).standardizedFileURL.path
        case nil:
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: url, isDirectory: &isDirectory)
            return (exists && isDirectory.boolValue ? "maildir://" : "mbox://") + URL(fileURLWithPath: url).standardizedFileURL.path
        default:
            return MailboxEndpoint.redact(url)
        }
    }

    /// The flags that mark a message as done on IMAP, so flagged messages are not fetched again.
    var processedFlags: [String] {
        [processed, unprocessed].compactMap { if case .flag(let flag) = $0 { flag } else { nil } }
    }

    /// Connects (network) or prepares to read (files).
    func open(ledger: any KeptMessageLedger, logger: Logger) async throws(MailboxError) -> any BounceMailbox {
        try await BounceMailboxes.open(url: url, startTLS: startTLS, tlsVerify: tlsVerify, tlsCAFile: tlsCAFile, timeout: timeout,
                                       processedFlags: processedFlags, ledger: ledger, logger: logger)
    }
}
