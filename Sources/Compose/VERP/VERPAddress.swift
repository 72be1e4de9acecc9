import Crypto

/// Facteur's VERP envelope sender: `<local>+<campaign id>.<subscriber id>.<sig>@<domain>`, where sig is the
/// first 12 lowercase hex digits of HMAC-SHA256(key: secret, "<campaign id>.<subscriber id>"). The bounce
/// processor uses `verify` to trust the ids a bounce's recipient address carries.
public struct VERPAddress: Sendable, Equatable {
    public var campaignID: Int
    public var subscriberID: Int

    public struct Config: Sendable {
        /// Local part and domain of the base address, e.g. "bounces" and "example.org".
        public var localPart: String
        public var domain: String
        public var secret: [UInt8]

        public init(localPart: String, domain: String, secret: [UInt8]) {
            self.localPart = localPart
            self.domain = domain
            self.secret = secret
        }

        /// From an address like "bounces@example.org".
        public init?(baseAddress: String, secret: [UInt8]) {
            guard let at = baseAddress.lastIndex(of: "@"), at != baseAddress.startIndex else { return nil }
            self.init(localPart: String(baseAddress[..<at]),
                      domain: String(baseAddress[baseAddress.index(after: at)...]), secret: secret)
        }
    }

    public init(campaignID: Int, subscriberID: Int) {
        self.campaignID = campaignID
        self.subscriberID = subscriberID
    }

    public static func signature(campaignID: Int, subscriberID: Int, secret: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(campaignID).\(subscriberID)".utf8),
                                                  using: SymmetricKey(data: secret))
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in mac.prefix(6) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public func encode(_ config: Config) -> String {
        let sig = Self.signature(campaignID: campaignID, subscriberID: subscriberID, secret: config.secret)
        return "\(config.localPart)+\(campaignID).\(subscriberID).\(sig)@\(config.domain)"
    }

    /// Parses and checks an address (case-insensitive: some MTAs change case); nil when it is not a VERP
    /// address of this configuration or its signature does not match.
    public static func verify(_ address: String, _ config: Config) -> VERPAddress? {
        var a = address.lowercased()
        if a.hasPrefix("<") && a.hasSuffix(">") { a = String(a.dropFirst().dropLast()) }
        guard let at = a.lastIndex(of: "@"), a[a.index(after: at)...] == config.domain.lowercased() else { return nil }
        let local = a[..<at]
        let prefix = config.localPart.lowercased() + "+"
        guard local.hasPrefix(prefix) else { return nil }
        let parts = local.dropFirst(prefix.count).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let campaign = Int(parts[0]), let subscriber = Int(parts[1]),
              campaign >= 0, subscriber >= 0, parts[2].count == 12 else { return nil }
        let expected = signature(campaignID: campaign, subscriberID: subscriber, secret: config.secret)
        // Constant-time comparison of the 12 hex digits.
        var diff: UInt8 = 0
        for (x, y) in zip(expected.utf8, parts[2].utf8) { diff |= x ^ y }
        return diff == 0 ? VERPAddress(campaignID: campaign, subscriberID: subscriber) : nil
    }
}
