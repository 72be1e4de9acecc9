/// Allocation-light versions of the tid encoders for the render loop: same output as `TrackingID.html` /
/// `TrackingID.text`, written straight into the message buffer.
enum TrackingIDBytes {

    /// The 16 bytes of a dashed or undashed hex uuid.
    static func uuidBytes(_ uuid: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16)
        var high: UInt8?
        for c in uuid.utf8 where c != 0x2D {
            let v = TrackingID.hexValue(c)
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return out
    }

    /// Text tid: 48 bytes (link, campaign, subscriber) with the version nibbles replaced, base64 without '='.
    static func appendText(link: [UInt8], campaign: [UInt8], subscriber: [UInt8], random: UInt64,
                           into out: inout [UInt8]) {
        var raw = [UInt8](repeating: 0, count: 48)
        for i in 0..<16 {
            raw[i] = i < link.count ? link[i] : 0
            raw[16 + i] = i < campaign.count ? campaign[i] : 0
            raw[32 + i] = i < subscriber.count ? subscriber[i] : 0
        }
        // Dashed index 14 of each uuid is the high nibble of its byte 6.
        raw[6] = UInt8(random & 15) << 4 | raw[6] & 0x0F
        raw[22] = UInt8(random >> 4 & 15) << 4 | raw[22] & 0x0F
        raw[38] = UInt8(random >> 8 & 15) << 4 | raw[38] & 0x0F
        appendBase64(raw, urlencode: false, into: &out)
    }

    /// HTML tid: ("H|link|campaign|" XOR mask, precomputed) + (subscriber XOR mask), base64, '=' stripped,
    /// urlencoded.
    static func appendHTML(maskedPrefix: [UInt8], subscriberUUID: String, mask: [UInt8], into out: inout [UInt8]) {
        var raw = maskedPrefix
        raw.reserveCapacity(maskedPrefix.count + 36)
        var i = maskedPrefix.count
        for c in subscriberUUID.utf8 {
            raw.append(i < mask.count ? c ^ mask[i] : c)
            i += 1
        }
        if raw.count > mask.count { raw.removeLast(raw.count - mask.count) }
        appendBase64(raw, urlencode: true, into: &out)
    }

    static func appendBase64(_ data: [UInt8], urlencode: Bool, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + data.count * 2)
        @inline(__always) func put(_ v: UInt32) {
            let c = MailEncoding.base64Char(v)
            if urlencode && (c == 0x2B || c == 0x2F) {
                out.append(0x25)   // %2B / %2F
                out.append(0x32)
                out.append(c == 0x2B ? 0x42 : 0x46)
            } else {
                out.append(c)
            }
        }
        var i = 0
        while i + 2 < data.count {
            let v = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            put(v >> 18)
            put(v >> 12)
            put(v >> 6)
            put(v)
            i += 3
        }
        let rest = data.count - i
        if rest == 1 {
            let v = UInt32(data[i]) << 16
            put(v >> 18)
            put(v >> 12)
        } else if rest == 2 {
            let v = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8
            put(v >> 18)
            put(v >> 12)
            put(v >> 6)
        }
    }
}
