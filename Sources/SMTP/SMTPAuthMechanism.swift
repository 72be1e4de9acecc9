import Crypto

/// The SASL mechanisms the client speaks (RFC 4954). Without a configured preference it takes
/// PLAIN, then LOGIN, then CRAM-MD5, whichever the server offers first in that order; XOAUTH2
/// is used only when configured (its "password" is an OAuth 2 access token).
public enum SMTPAuthMechanism: String, Sendable, Hashable, CaseIterable {
    case plain = "PLAIN"
    case login = "LOGIN"
    /// RFC 2195: the password never crosses the wire, only an HMAC-MD5 of the server's challenge.
    case cramMD5 = "CRAM-MD5"
    /// Google/Microsoft `XOAUTH2`: `user=…^Aauth=Bearer <token>^A^A`.
    case xoauth2 = "XOAUTH2"

    /// The order tried when the operator did not choose one.
    static let automaticOrder: [SMTPAuthMechanism] = [.plain, .login, .cramMD5]

    /// Parses a configured name (`plain`, `login`, `cram-md5`, `xoauth2`, any case).
    public init?(configured name: String) {
        self.init(rawValue: name.uppercased())
    }

    /// base64("\0user\0password"), RFC 4616.
    static func plainResponse(username: String, password: String) -> String {
        SMTPEncoding.base64([0] + Array(username.utf8) + [0] + Array(password.utf8))
    }

    /// base64("user hex(HMAC-MD5(password, challenge))"), RFC 2195; nil when the challenge is not base64.
    static func cramMD5Response(challenge base64Challenge: String, username: String, password: String) -> String? {
        guard let challenge = SMTPEncoding.base64Decoded(base64Challenge) else { return nil }
        let mac = HMAC<Insecure.MD5>.authenticationCode(for: challenge, using: SymmetricKey(data: Array(password.utf8)))
        let hexDigits = Array("0123456789abcdef".utf8)
        var text = Array(username.utf8) + [UInt8(ascii: " ")]
        for byte in mac {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return SMTPEncoding.base64(text)
    }

    /// base64("user=" user ^A "auth=Bearer " token ^A ^A).
    static func xoauth2Response(username: String, token: String) -> String {
        SMTPEncoding.base64(Array("user=\(username)\u{1}auth=Bearer \(token)\u{1}\u{1}".utf8))
    }
}
