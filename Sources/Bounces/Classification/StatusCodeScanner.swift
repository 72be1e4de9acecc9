import SMTP

/// Finds SMTP reply codes (RFC 5321 §4.2) and enhanced status codes (RFC 3463) in free text.
enum StatusCodeScanner {
    static func firstEnhancedCode(in text: String) -> EnhancedStatus? {
        enhancedCodes(in: text, limit: 1).first
    }

    /// The enhanced code that follows a reply code ("550 5.7.1", "550-'5.7.1"): the remote server's own
    /// answer, quoted inside a relay's text that may start with the relay's own, vaguer code (Amazon SES:
    /// "5.1.0 - Unknown address error 550-'5.7.1 … Access denied'").
    static func enhancedCodeAfterReplyCode(in text: String) -> EnhancedStatus? {
        let bytes = Array(text.utf8)
        var index = 0
        while index + 5 < bytes.count {
            if (bytes[index] == 0x34 || bytes[index] == 0x35), isDigit(bytes[index + 1]), isDigit(bytes[index + 2]),
               index == 0 || !isCodeNeighbour(bytes[index - 1]) {
                var next = index + 3
                var separators = 0
                while next < bytes.count, separators < 3, [0x20, 0x2D, 0x27, 0x22, 0x09].contains(bytes[next]) {
                    next += 1
                    separators += 1
                }
                if separators > 0, next < bytes.count, bytes[next] == bytes[index],
                   let code = enhancedCodes(in: String(decoding: bytes[next..<min(bytes.count, next + 9)], as: UTF8.self), limit: 1).first {
                    return code
                }
            }
            index += 1
        }
        return nil
    }

    /// Every enhanced code in the text, in order (at most `limit`).
    static func enhancedCodes(in text: String, limit: Int = .max) -> [EnhancedStatus] {
        var found: [EnhancedStatus] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index + 4 < bytes.count, found.count < limit {
            let byte = bytes[index]
            if (byte == 0x32 || byte == 0x34 || byte == 0x35), bytes[index + 1] == 0x2E,
               index == 0 || !isCodeNeighbour(bytes[index - 1]) {
                var end = index + 2
                var firstDigits = 0
                while end < bytes.count, isDigit(bytes[end]) { end += 1; firstDigits += 1 }
                if (1...3).contains(firstDigits), end < bytes.count, bytes[end] == 0x2E {
                    end += 1
                    var secondDigits = 0
                    while end < bytes.count, isDigit(bytes[end]) { end += 1; secondDigits += 1 }
                    let followedWell = end == bytes.count || !isCodeNeighbour(bytes[end])
                    if (1...3).contains(secondDigits), followedWell,
                       let code = EnhancedStatus(String(decoding: bytes[index..<end], as: UTF8.self)) {
                        found.append(code)
                        index = end
                        continue
                    }
                }
            }
            index += 1
        }
        return found
    }

    /// The first three-digit 2xx/4xx/5xx reply code standing alone ("550 ", "550-", "[550 ", "550.").
    static func firstReplyCode(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        var index = 0
        while index + 2 < bytes.count {
            let byte = bytes[index]
            if (byte == 0x32 || byte == 0x34 || byte == 0x35), isDigit(bytes[index + 1]), isDigit(bytes[index + 2]),
               index == 0 || !isCodeNeighbour(bytes[index - 1]) {
                let after = index + 3 < bytes.count ? bytes[index + 3] : 0x20
                if after == 0x20 || after == 0x2D || after == 0x09 || after == 0x5D || after == 0x29 || after == 0x2C {
                    if let value = Int(String(decoding: bytes[index..<index + 3], as: UTF8.self)),
                       (200...599).contains(value), value % 100 < 60, (value / 10) % 10 <= 5 {
                        return value
                    }
                }
            }
            index += 1
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Characters that make a number part of something else (an IP address, a version, a word).
    private static func isCodeNeighbour(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == 0x2E || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2F || byte == 0x3A || byte == 0x5F
    }
}
