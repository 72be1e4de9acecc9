import Crypto
import Foundation
import _CryptoExtras

/// DKIM signatures (RFC 6376) with relaxed/relaxed canonicalization: RSA-SHA256 or Ed25519-SHA256
/// (RFC 8463). Signs a rendered message and returns it with the DKIM-Signature header prepended.
public struct DKIMSigner: Sendable {
    public enum Key: Sendable {
        case rsa(_RSA.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    public var domain: String
    public var selector: String
    public var key: Key
    /// Header names to sign, in order; those absent from a message are left out of h=.
    public var headers: [String]

    public static let defaultHeaders = ["From", "Reply-To", "Subject", "Date", "To", "Message-ID", "MIME-Version",
                                        "Content-Type", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Help",
                                        "List-Subscribe", "List-Owner", "Precedence", "X-MessageID", "X-ListMember",
                                        "Feedback-ID"]

    public init(domain: String, selector: String, key: Key, headers: [String] = DKIMSigner.defaultHeaders) {
        self.domain = domain
        self.selector = selector
        self.key = key
        self.headers = headers
    }

    /// An RSA key in PEM ("BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY").
    public static func rsa(pem: String, domain: String, selector: String) throws -> DKIMSigner {
        do {
            return DKIMSigner(domain: domain, selector: selector, key: .rsa(try _RSA.Signing.PrivateKey(pemRepresentation: pem)))
        } catch {
            throw ComposeError.dkimKeyInvalid(selector: selector, reason: "\(error)")
        }
    }

    /// An Ed25519 key as its 32-byte seed, or in PEM (PKCS#8).
    public static func ed25519(seed: [UInt8], domain: String, selector: String) throws -> DKIMSigner {
        do {
            return DKIMSigner(domain: domain, selector: selector,
                              key: .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: seed)))
        } catch {
            throw ComposeError.dkimKeyInvalid(selector: selector, reason: "\(error)")
        }
    }

    public static func ed25519(pem: String, domain: String, selector: String) throws -> DKIMSigner {
        // PKCS#8 for Ed25519 ends with the 32-byte seed.
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let der = Data(base64Encoded: body), der.count >= 32 else {
            throw ComposeError.dkimKeyInvalid(selector: selector, reason: "not a PEM Ed25519 private key")
        }
        return try ed25519(seed: [UInt8](der.suffix(32)), domain: domain, selector: selector)
    }

    /// The message with a DKIM-Signature header in front.
    public func sign(_ message: [UInt8], at time: Date = Date()) throws -> [UInt8] {
        try signatureHeader(for: message, at: time) + message
    }

    public func sign(_ message: RenderedMessage, at time: Date = Date()) throws -> RenderedMessage {
        var signed = message
        signed.bytes = try sign(message.bytes, at: time)
        return signed
    }

    /// "DKIM-Signature: …\r\n" for `message`.
    public func signatureHeader(for message: [UInt8], at time: Date = Date()) throws -> [UInt8] {
        let (fields, bodyStart) = Self.splitHeaders(message)
        let body = Array(message[bodyStart...])
        let bodyHash = Data(SHA256.hash(data: Self.relaxedBody(body))).base64EncodedString()

        // Pick header instances bottom-up per name (RFC 6376 §5.4.2).
        var used: [String: Int] = [:]
        var signedNames: [String] = []
        var canonical: [UInt8] = []
        for name in headers {
            let lower = name.lowercased()
            let instances = fields.filter { $0.name.lowercased() == lower }
            let n = used[lower, default: 0]
            guard n < instances.count else { continue }
            let field = instances[instances.count - 1 - n]
            used[lower] = n + 1
            signedNames.append(name)
            canonical += Self.relaxedHeader(field.raw)
        }
        let algorithm: String
        switch key {
        case .rsa: algorithm = "rsa-sha256"
        case .ed25519: algorithm = "ed25519-sha256"
        }
        let header = "DKIM-Signature: v=1; a=\(algorithm); c=relaxed/relaxed; d=\(domain); s=\(selector);\r\n"
            + "\tt=\(Int(time.timeIntervalSince1970)); h=\(signedNames.joined(separator: ":"));\r\n"
            + "\tbh=\(bodyHash);\r\n\tb="
        var toSign = canonical
        var unsigned = Self.relaxedHeader(Array(header.utf8))
        unsigned.removeLast(2)   // the DKIM-Signature field is signed without its trailing CRLF
        toSign += unsigned

        let signature: Data
        switch key {
        case .rsa(let k):
            signature = try k.signature(for: SHA256.hash(data: toSign), padding: .insecurePKCS1v1_5).rawRepresentation
        case .ed25519(let k):
            signature = try k.signature(for: Data(SHA256.hash(data: toSign)))
        }
        let b64 = signature.base64EncodedString()
        var folded = ""
        var i = b64.startIndex
        while i < b64.endIndex {
            let j = b64.index(i, offsetBy: 72, limitedBy: b64.endIndex) ?? b64.endIndex
            folded += (folded.isEmpty ? "" : "\r\n\t ") + b64[i..<j]
            i = j
        }
        return Array((header + folded + "\r\n").utf8)
    }

    struct Field {
        var name: String
        var raw: [UInt8]   // including folded lines and the final CRLF
    }

    static func splitHeaders(_ m: [UInt8]) -> ([Field], Int) {
        var fields: [Field] = []
        var i = 0
        while i < m.count {
            if m[i] == 13, i + 1 < m.count, m[i + 1] == 10 { return (fields, i + 2) }   // empty line
            var end = i
            // field ends at CRLF not followed by WSP
            while end < m.count {
                if m[end] == 13, end + 1 < m.count, m[end + 1] == 10 {
                    let next = end + 2 < m.count ? m[end + 2] : 0
                    if next == 0x20 || next == 0x09 { end += 2; continue }
                    end += 2
                    break
                }
                end += 1
            }
            let raw = Array(m[i..<end])
            let colon = raw.firstIndex(of: 0x3A) ?? raw.count
            fields.append(Field(name: String(decoding: raw[..<colon], as: UTF8.self), raw: raw))
            i = end
        }
        return (fields, m.count)
    }

    /// Relaxed header canonicalization: lowercase name, unfold, WSP runs to one space, trim around the colon
    /// and at the end, CRLF.
    static func relaxedHeader(_ raw: [UInt8]) -> [UInt8] {
        let colon = raw.firstIndex(of: 0x3A) ?? raw.count
        var name = Array(raw[..<colon]).map { PHPString.lower($0) }
        while let last = name.last, last == 0x20 || last == 0x09 { name.removeLast() }
        var value: [UInt8] = []
        var pendingSpace = false
        for c in raw[min(raw.count, colon + 1)...] where c != 13 && c != 10 {
            if c == 0x20 || c == 0x09 {
                pendingSpace = true
            } else {
                if pendingSpace && !value.isEmpty { value.append(0x20) }
                pendingSpace = false
                value.append(c)
            }
        }
        return name + [0x3A] + value + [13, 10]
    }

    /// Relaxed body canonicalization: per line drop trailing WSP and collapse WSP runs, drop trailing empty
    /// lines, end with CRLF (empty body stays empty).
    static func relaxedBody(_ body: [UInt8]) -> [UInt8] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var i = 0
        while i < body.count {
            if body[i] == 13, i + 1 < body.count, body[i + 1] == 10 {
                lines.append(current)
                current = []
                i += 2
                continue
            }
            current.append(body[i])
            i += 1
        }
        if !current.isEmpty { lines.append(current) }
        var out: [UInt8] = []
        var canonicalLines: [[UInt8]] = lines.map { line in
            var l: [UInt8] = []
            var space = false
            for c in line {
                if c == 0x20 || c == 0x09 { space = true } else {
                    if space { l.append(0x20) }
                    space = false
                    l.append(c)
                }
            }
            return l
        }
        while let last = canonicalLines.last, last.isEmpty { canonicalLines.removeLast() }
        for l in canonicalLines { out += l + [13, 10] }
        return out
    }
}
