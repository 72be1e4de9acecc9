/// The POP3 commands a bounce reader sends (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS).
public enum POP3Command: Sendable, Equatable {
    case capa
    case stls
    case user(String)
    case pass(String)
    case uidl
    case retr(Int)
    case dele(Int)
    case noop
    case quit

    /// Name for errors and logs; never contains the password.
    public var name: String {
        switch self {
        case .capa: "CAPA"
        case .stls: "STLS"
        case .user: "USER"
        case .pass: "PASS"
        case .uidl: "UIDL"
        case .retr: "RETR"
        case .dele: "DELE"
        case .noop: "NOOP"
        case .quit: "QUIT"
        }
    }

    /// Whether a positive answer is followed by lines ending with a lone `.`.
    var isMultiline: Bool {
        switch self {
        case .capa, .uidl, .retr: true
        default: false
        }
    }

    var bytes: [UInt8] {
        let line: String = switch self {
        case .user(let user): "USER \(user)"
        case .pass(let password): "PASS \(password)"
        case .retr(let number): "RETR \(number)"
        case .dele(let number): "DELE \(number)"
        default: name
        }
        return Array(line.utf8) + [0x0D, 0x0A]
    }
}

/// A POP3 answer: `+OK`/`-ERR` with its text, and for multi-line answers the data, dot-unstuffed,
/// each line ending in CRLF.
public struct POP3Reply: Sendable, Equatable, CustomStringConvertible {
    public var ok: Bool
    public var text: String
    public var data: [UInt8]?

    public var description: String { (ok ? "+OK" : "-ERR") + (text.isEmpty ? "" : " \(text)") }

    /// The data's lines without their CRLF.
    var lines: [Substring] {
        guard let data else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: true)
    }
}
