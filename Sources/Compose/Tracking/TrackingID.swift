import Foundation

/// PHPList 3.6.15's click-tracking ids (`lt.php?tid=…`), both forms:
/// - text parts: base64(hex2bin(link uuid · campaign uuid · subscriber uuid, dashes removed)) with each uuid's
///   version nibble (dashed index 14) replaced by a random hex digit and '=' removed — always 64 characters;
/// - HTML parts: urlencode(base64("H|link uuid|campaign uuid|subscriber uuid" XOR the `xormask` config value
///   repeated 20 times)) with trailing '=' removed.
/// lt.php tells them apart by length (64 → text form, version nibbles forced back to '4').
public enum TrackingID {
    public enum Form: String, Sendable, Equatable {
        case text = "T"
        case html = "H"
    }

    public struct Decoded: Sendable, Equatable {
        public var form: Form
        public var forwardUUID: String
        public var campaignUUID: String
        public var subscriberUUID: String

        public init(form: Form, forwardUUID: String, campaignUUID: String, subscriberUUID: String) {
            self.form = form
            self.forwardUUID = forwardUUID
            self.campaignUUID = campaignUUID
            self.subscriberUUID = subscriberUUID
        }
    }

    /// The HTML-part tid, already url-encoded as it appears in the href.
    public static func html(forwardUUID: String, campaignUUID: String, subscriberUUID: String,
                            xormask: String) -> String {
        var plain = Array("H|\(forwardUUID)|\(campaignUUID)|\(subscriberUUID)".utf8)
        let mask = Array(xormask.utf8)
        // PHP's string XOR stops at the shorter operand; the mask is xormask repeated 20 times.
        let usable = min(plain.count, mask.count * 20)
        if mask.isEmpty { return "" }
        plain = (0..<usable).map { plain[$0] ^ mask[$0 % mask.count] }
        var b64 = String(decoding: HeaderEncoding.base64(plain), as: UTF8.self)
        for _ in 0..<2 where b64.hasSuffix("=") { b64.removeLast() }
        return CleanURL.urlencode(b64)
    }

    /// The text-part tid; `nibbles` are the three random hex digits that overwrite the version nibbles.
    public static func text(forwardUUID: String, campaignUUID: String, subscriberUUID: String,
                            nibbles: (UInt8, UInt8, UInt8)) -> String {
        var hex = Array((forwardUUID + campaignUUID + subscriberUUID).utf8)
        let length = forwardUUID.utf8.count
        let digits = Array("0123456789abcdef".utf8)
        if hex.count > 14 { hex[14] = digits[Int(nibbles.0 & 15)] }
        if hex.count > length + 14 { hex[length + 14] = digits[Int(nibbles.1 & 15)] }
        if hex.count > length * 2 + 14 { hex[length * 2 + 14] = digits[Int(nibbles.2 & 15)] }
        hex.removeAll { $0 == 0x2D }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var i = 0
        while i + 1 < hex.count {
            bytes.append(hexValue(hex[i]) << 4 | hexValue(hex[i + 1]))
            i += 2
        }
        var b64 = HeaderEncoding.base64(bytes)
        b64.removeAll { $0 == 0x3D }
        return String(decoding: b64, as: UTF8.self)
    }

    /// Decodes either form as lt.php does. The text form's version nibbles come back as '4'.
    public static func decode(_ tid: String, xormask: String) -> Decoded? {
        if tid.utf8.count == 64, let bytes = Data(base64Encoded: tid), bytes.count == 48 {
            let hex = bytes.map { String(format: "%02x", $0) }.joined()
            func uuid(_ part: Substring) -> String {
                var h = Array(part)
                h[12] = "4"
                let s = String(h)
                let idx = { (n: Int) in s.index(s.startIndex, offsetBy: n) }
                return "\(s[..<idx(8)])-\(s[idx(8)..<idx(12)])-\(s[idx(12)..<idx(16)])-\(s[idx(16)..<idx(20)])-\(s[idx(20)...])"
            }
            let h = Substring(hex)
            let a = h.prefix(32)
            let b = h.dropFirst(32).prefix(32)
            let c = h.dropFirst(64)
            return Decoded(form: .text, forwardUUID: uuid(a), campaignUUID: uuid(b), subscriberUUID: uuid(c))
        }
        var b64 = CleanURL.urldecode(tid)
        while b64.utf8.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64) else { return nil }
        let mask = Array(xormask.utf8)
        guard !mask.isEmpty else { return nil }
        let plain = data.enumerated().map { $0.element ^ mask[$0.offset % mask.count] }
        let parts = String(decoding: plain, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "H" || parts[0] == "T" else { return nil }
        return Decoded(form: parts[0] == "H" ? .html : .text, forwardUUID: String(parts[1]),
                       campaignUUID: String(parts[2]), subscriberUUID: String(parts[3]))
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8 {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return 0
        }
    }
}
