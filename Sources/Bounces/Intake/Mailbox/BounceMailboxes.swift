import Foundation
import Logging

/// Opens the right `BounceMailbox` for a `bounces.mailboxes[].url`.
public enum BounceMailboxes {
    /// `imap://`, `imaps://`, `pop3://`, `pop3s://` (connects and logs in now), `mbox:///path` or
    /// `maildir:///path` (a plain path with no scheme is taken as a Maildir when it holds `cur/`,
    /// else as an mbox file).
    ///
    /// - Parameters:
    ///   - processedFlags: IMAP only: flags that mark a message as done (give the flag of a
    ///     `flag` disposition here, so flagged messages are not fetched again).
    ///   - ledger: remembers messages finished with `.keep` (POP3, IMAP, mbox).
    public static func open(url: String, startTLS: MailboxEndpoint.StartTLS = .opportunistic, tlsVerify: Bool = true,
                            tlsCAFile: String? = nil, timeout: Double = 60, processedFlags: [String] = [],
                            ledger: (any KeptMessageLedger)? = nil,
                            logger: Logger = Logger(label: "facteur.bounces.intake")) async throws(MailboxError) -> any BounceMailbox {
        let scheme = url.range(of: "://").map { url[..<$0.lowerBound].lowercased() }
        switch scheme {
        case "mbox", "file":
            return MboxMailbox(file: URL(fileURLWithPath: try localPath(url)), ledger: ledger)
        case "maildir":
            return MaildirMailbox(directory: URL(fileURLWithPath: try localPath(url)))
        case nil:
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url, isDirectory: &isDirectory), isDirectory.boolValue {
                return MaildirMailbox(directory: URL(fileURLWithPath: url))
            }
            return MboxMailbox(file: URL(fileURLWithPath: url), ledger: ledger)
        default:
            let endpoint = try MailboxEndpoint(url: url, startTLS: startTLS, tlsVerify: tlsVerify, tlsCAFile: tlsCAFile, timeout: timeout)
            switch endpoint.kind {
            case .imap: return try await IMAPMailbox.open(endpoint, processedFlags: processedFlags, ledger: ledger, logger: logger)
            case .pop3: return try await POP3Mailbox.open(endpoint, ledger: ledger, logger: logger)
            }
        }
    }

    private static func localPath(_ url: String) throws(MailboxError) -> String {
        guard let components = URLComponents(string: url), !components.path.isEmpty else {
            throw MailboxError(mailbox: url, .invalidURL("no path (mbox:///var/mail/bounces, maildir:///home/bounces/Maildir)"))
        }
        return components.path
    }
}
