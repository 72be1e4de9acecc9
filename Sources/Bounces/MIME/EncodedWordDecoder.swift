/// RFC 2047 encoded words ("=?charset?B|Q?text?=") in header values. Whitespace between two adjacent
/// encoded words is dropped (§6.2); malformed words are left as they are.
enum EncodedWordDecoder {
    static func decode(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        let bytes = Array(value.utf8)
        var output = ""
        var index = 0
        var pendingWhitespace = ""
        var previousWasWord = false
        while index < bytes.count {
            if bytes[index] == 0x3D, index + 1 < bytes.count, bytes[index + 1] == 0x3F,
               let (text, end) = word(in: bytes, from: index) {
                if !previousWasWord { output += pendingWhitespace }
                pendingWhitespace = ""
                output += text
                previousWasWord = true
                index = end
                continue
            }
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 {
                pendingWhitespace.append(Character(Unicode.Scalar(byte)))
                index += 1
                continue
            }
            // Copy a run of ordinary characters (a whole UTF-8 sequence at a time).
            var end = index + 1
            while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x09, bytes[end] != 0x3D { end += 1 }
            output += pendingWhitespace
            pendingWhitespace = ""
            output += String(decoding: bytes[index..<end], as: UTF8.self)
            previousWasWord = false
            index = end
        }
        output += pendingWhitespace
        return output
    }

    /// Decodes one encoded word starting at `start` ("=?"); returns the text and the index after "?=".
    private static func word(in bytes: [UInt8], from start: Int) -> (String, Int)? {
        var index = start + 2
        guard let charsetEnd = bytes[index...].firstIndex(of: 0x3F), charsetEnd > index else { return nil }
        var charset = String(decoding: bytes[index..<charsetEnd], as: UTF8.self)
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) } // RFC 2231 language
        index = charsetEnd + 1
        guard index + 1 < bytes.count, bytes[index + 1] == 0x3F else { return nil }
        let mode = bytes[index] | 0x20
        guard mode == 0x62 || mode == 0x71 else { return nil } // b or q
        index += 2
        var end = index
        while end + 1 < bytes.count, !(bytes[end] == 0x3F && bytes[end + 1] == 0x3D) {
            if bytes[end] == 0x20 && mode == 0x62 { return nil }
            end += 1
        }
        guard end + 1 < bytes.count else { return nil }
        let payload = bytes[index..<end]
        let decoded = mode == 0x62
            ? TransferDecoding.base64(payload)
            : TransferDecoding.quotedPrintable(payload, underscoreIsSpace: true)
        return (TextDecoding.string(decoded, charset: charset), end + 2)
    }
}
