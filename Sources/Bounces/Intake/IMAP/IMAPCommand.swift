import Foundation

/// The commands a bounce reader sends (RFC 9051, RFC 6851 MOVE, RFC 4315 UIDPLUS).
public enum IMAPCommand: Sendable, Equatable {
    case capability
    case startTLS
    case login(user: String, password: String)
    /// SASL PLAIN, the answer sent after the server's `+` (RFC 4616).
    case authenticatePlain(user: String, password: String)
    case select(String)
    case uidSearch(String)
    case uidFetchBodies([UInt32])
    case uidStore([UInt32], flags: [String])
    case uidExpunge([UInt32])
    case expunge
    case uidMove([UInt32], to: String)
    case uidCopy([UInt32], to: String)
    case create(String)
    case noop
    case logout

    /// The command's name, for errors ("UID MOVE failed: NO …"). Never contains credentials.
    public var name: String {
        switch self {
        case .capability: "CAPABILITY"
        case .startTLS: "STARTTLS"
        case .login: "LOGIN"
        case .authenticatePlain: "AUTHENTICATE PLAIN"
        case .select: "SELECT"
        case .uidSearch: "UID SEARCH"
        case .uidFetchBodies: "UID FETCH"
        case .uidStore: "UID STORE"
        case .uidExpunge: "UID EXPUNGE"
        case .expunge: "EXPUNGE"
        case .uidMove: "UID MOVE"
        case .uidCopy: "UID COPY"
        case .create: "CREATE"
        case .noop: "NOOP"
        case .logout: "LOGOUT"
        }
    }

    /// The bytes to send, split where the server must first answer `+`: the first part follows
    /// the tag; each later part goes out after one continuation request.
    func parts(tag: String) -> [[UInt8]] {
        var encoder = Encoder(tag: tag)
        switch self {
        case .capability, .startTLS, .expunge, .noop, .logout:
            encoder.raw(name)
        case .login(let user, let password):
            encoder.raw("LOGIN ")
            encoder.string(user)
            encoder.raw(" ")
            encoder.string(password)
        case .authenticatePlain(let user, let password):
            encoder.raw("AUTHENTICATE PLAIN")
            encoder.continuation()
            let response = Data([0] + Array(user.utf8) + [0] + Array(password.utf8)).base64EncodedString()
            encoder.raw(response)
        case .select(let folder):
            encoder.raw("SELECT ")
            encoder.string(folder)
        case .create(let folder):
            encoder.raw("CREATE ")
            encoder.string(folder)
        case .uidSearch(let criteria):
            encoder.raw("UID SEARCH \(criteria)")
        case .uidFetchBodies(let uids):
            encoder.raw("UID FETCH \(Self.set(uids)) (UID BODY.PEEK[])")
        case .uidStore(let uids, let flags):
            encoder.raw("UID STORE \(Self.set(uids)) +FLAGS.SILENT (\(flags.joined(separator: " ")))")
        case .uidExpunge(let uids):
            encoder.raw("UID EXPUNGE \(Self.set(uids))")
        case .uidMove(let uids, let folder):
            encoder.raw("UID MOVE \(Self.set(uids)) ")
            encoder.string(folder)
        case .uidCopy(let uids, let folder):
            encoder.raw("UID COPY \(Self.set(uids)) ")
            encoder.string(folder)
        }
        return encoder.finish()
    }

    /// A UID set: runs of consecutive UIDs become ranges (`1:4,7`).
    static func set(_ uids: [UInt32]) -> String {
        let sorted = Array(Set(uids)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index]):\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    /// Builds the parts: atoms as they are, quoted strings when safe, literals otherwise.
    struct Encoder {
        private var parts: [[UInt8]] = [[]]

        init(tag: String) {
            raw(tag + " ")
        }

        mutating func raw(_ text: String) {
            parts[parts.count - 1].append(contentsOf: text.utf8)
        }

        mutating func continuation() {
            raw("\r\n")
            parts.append([])
        }

        /// An astring: quoted when it holds only printable ASCII, else a synchronizing literal.
        mutating func string(_ value: String) {
            let bytes = Array(value.utf8)
            let quotable = bytes.count < 1000 && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            if quotable {
                var quoted: [UInt8] = [UInt8(ascii: "\"")]
                for byte in bytes {
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { quoted.append(UInt8(ascii: "\\")) }
                    quoted.append(byte)
                }
                quoted.append(UInt8(ascii: "\""))
                parts[parts.count - 1].append(contentsOf: quoted)
            } else {
                raw("{\(bytes.count)}")
                continuation()
                parts[parts.count - 1].append(contentsOf: bytes)
            }
        }

        mutating func finish() -> [[UInt8]] {
            raw("\r\n")
            return parts
        }
    }
}
