/// A bounce message as PHPList's processbounces sees it through c-client: line endings made CRLF,
/// `header` = the top-level header section with its blank line (`imap_fetchheader`), `body` = the rest,
/// decoded when the top-level Content-Transfer-Encoding is quoted-printable or base64 (`decodeBody`).
public struct PHPListBounceView: Sendable {
    public let header: [UInt8]
    public let body: [UInt8]

    public init(raw: [UInt8]) {
        let message = Self.crlf(Self.droppingMboxSeparator(raw))
        let split = Self.headerEnd(message)
        header = Array(message[..<split])
        body = Self.decodeBody(header: header, body: Array(message[split...]))
    }

    /// The header as text for the `bounce.header` column (utf8mb3 TEXT): invalid UTF-8 and characters
    /// outside the Basic Multilingual Plane become U+FFFD, and the text is cut to the column's 65,535 bytes.
    public var headerText: String {
        Self.columnText(header, limit: 65_535)
    }

    /// The value of the first top-level header field `name` (unfolded), as imap_headerinfo reads it.
    public func headerValue(_ name: String) -> String? {
        let fields = HeaderSectionParser.parseFields(header[...])
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.rawValue
    }

    /// LF → CRLF; existing CRLF kept; a lone CR kept (c-client's POP3/mbox readers do the same).
    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 32)
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 0x0A && previous != 0x0D { out.append(0x0D) }
            out.append(byte)
            previous = byte
        }
        return out
    }

    static func droppingMboxSeparator(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.starts(with: Array("From ".utf8)), let newline = bytes.firstIndex(of: 0x0A) else { return bytes }
        return Array(bytes[(newline + 1)...])
    }

    /// Index just after the first CRLF CRLF (the whole message when there is none).
    static func headerEnd(_ bytes: [UInt8]) -> Int {
        if bytes.starts(with: [0x0D, 0x0A]) { return 2 }
        var index = 0
        while index + 3 < bytes.count {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D, bytes[index + 3] == 0x0A {
                return index + 4
            }
            index += 1
        }
        return bytes.count
    }

    /// PHPList's decodeBody: `/Content-Transfer-Encoding: ([\w-]+)/i` anywhere in the header; an empty
    /// decoding result falls back to the raw body.
    static func decodeBody(header: [UInt8], body: [UInt8]) -> [UInt8] {
        guard let encoding = firstTransferEncoding(header) else { return body }
        let decoded: [UInt8]
        switch encoding {
        case "quoted-printable": decoded = TransferDecoding.decode(body[...], encoding: "quoted-printable")
        case "base64": decoded = TransferDecoding.decode(body[...], encoding: "base64")
        default: return body
        }
        return decoded.isEmpty ? body : decoded
    }

    static func firstTransferEncoding(_ header: [UInt8]) -> String? {
        let needle = Array("content-transfer-encoding: ".utf8)
        guard let start = ByteScan.firstCaseInsensitive(needle, in: header[...]) else { return nil }
        var end = start + needle.count
        while end < header.count, ByteScan.isWord(header[end]) || header[end] == UInt8(ascii: "-") { end += 1 }
        guard end > start + needle.count else { return nil }
        return String(decoding: header[(start + needle.count)..<end], as: UTF8.self).lowercased()
    }

    static func columnText(_ bytes: [UInt8], limit: Int) -> String {
        var scalars = String.UnicodeScalarView()
        var size = 0
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            let kept: Unicode.Scalar = scalar.value > 0xFFFF ? "\u{FFFD}" : scalar
            let width = UTF8.width(kept)
            if size + width > limit { break }
            size += width
            scalars.append(kept)
        }
        return String(scalars)
    }
}

/// Byte helpers with PCRE's ASCII notion of case and word characters.
enum ByteScan {
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    static func isWord(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
    }

    /// First index of `needle` (lowercase ASCII) in `haystack`, ignoring ASCII case.
    static func firstCaseInsensitive(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from: Int? = nil) -> Int? {
        guard let first = needle.first else { return haystack.startIndex }
        var index = from ?? haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if lower(haystack[index]) == first {
                var matched = true
                for offset in 1..<needle.count where lower(haystack[index + offset]) != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
