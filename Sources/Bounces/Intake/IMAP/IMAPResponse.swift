/// One server response, parsed (RFC 9051 §7). Only what a bounce reader needs is structured;
/// everything else is kept as text.
public enum IMAPResponse: Sendable, Equatable {
    /// `+ text`: the server waits for the rest of a command (a literal or a SASL answer).
    case continuation(String)
    case untagged(IMAPUntagged)
    /// `tag OK|NO|BAD [code] text`: the end of the command with that tag.
    case tagged(tag: String, IMAPStatusResponse)
}

public enum IMAPStatus: String, Sendable, Equatable {
    case ok = "OK", no = "NO", bad = "BAD", preauth = "PREAUTH", bye = "BYE"
}

/// `OK|NO|BAD|PREAUTH|BYE [code] text`.
public struct IMAPStatusResponse: Sendable, Equatable, CustomStringConvertible {
    public var status: IMAPStatus
    /// The response code without brackets, e.g. `UIDVALIDITY 1700000000` or `CAPABILITY IMAP4rev1 …`.
    public var code: String?
    public var text: String

    public init(status: IMAPStatus, code: String? = nil, text: String) {
        self.status = status
        self.code = code
        self.text = text
    }

    public var description: String {
        [status.rawValue, code.map { "[\($0)]" }, text.isEmpty ? nil : text].compactMap { $0 }.joined(separator: " ")
    }

    /// Capabilities listed in a `[CAPABILITY …]` code (greetings and LOGIN replies carry them).
    var capabilities: Set<String>? {
        guard let code, code.uppercased().hasPrefix("CAPABILITY ") else { return nil }
        return IMAPUntagged.capabilitySet(code.dropFirst("CAPABILITY ".count))
    }
}

public enum IMAPUntagged: Sendable, Equatable {
    case status(IMAPStatusResponse)
    case capability(Set<String>)
    case exists(Int)
    case expunge(Int)
    /// `* SEARCH 1 2 3` (UIDs after UID SEARCH).
    case search([UInt32])
    /// `* n FETCH (UID u BODY[] {len}…)`: the message's UID and its bytes.
    case fetch(sequence: Int, uid: UInt32?, body: [UInt8]?)
    case other(String)

    static func capabilitySet(_ text: Substring) -> Set<String> {
        Set(text.split(separator: " ").map { $0.uppercased() })
    }
}
