// The transfer encodings PHPList's PHPMailer 6 applies, reproduced byte for byte so a Facteur message has the
// same line breaks as PHPList's: PHP's quoted_printable_encode (used by PHPMailer::encodeQP),
// PHPMailer::wrapText (the 75-column text wrap from the `wordwrap` config), and base64 in 76-column lines.
// These run once per subscriber on bytes, without regular expressions.
enum MailEncoding {
    static let crlf: [UInt8] = [0x0D, 0x0A]
    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// PHP's php_quot_print_encode (PHP_QPRINT_MAXL = 75), then PHPMailer's normalizeBreaks (a no-op here:
    /// the encoder only emits CRLF). Bare LF and CR are control characters and become =0A / =0D.
    static func quotedPrintable(_ input: [UInt8], into d: inout [UInt8]) {
        let maxl = 75
        var lp = 0
        var i = 0
        let n = input.count
        d.reserveCapacity(d.count + n + n / 8)
        while i < n {
            let c = input[i]
            let next: UInt8 = i + 1 < n ? input[i + 1] : 0
            if c == 0x0D && next == 0x0A && i + 1 < n {
                d.append(0x0D)
                d.append(0x0A)
                i += 2
                lp = 0
                continue
            }
            if c < 0x20 || c == 0x7F || c & 0x80 != 0 || c == 0x3D || (c == 0x20 && next == 0x0D) {
                lp += 3
                let mustBreak = (lp > maxl && c <= 0x7F)
                    || (c > 0x7F && c <= 0xDF && lp + 3 > maxl)
                    || (c > 0xDF && c <= 0xEF && lp + 6 > maxl)
                    || (c > 0xEF && c <= 0xF4 && lp + 9 > maxl)
                if mustBreak {
                    d.append(0x3D)
                    d.append(0x0D)
                    d.append(0x0A)
                    lp = 3
                }
                d.append(0x3D)
                d.append(hex[Int(c >> 4)])
                d.append(hex[Int(c & 0x0F)])
            } else {
                lp += 1
                if lp > maxl {
                    d.append(0x3D)
                    d.append(0x0D)
                    d.append(0x0A)
                    lp = 1
                }
                d.append(c)
            }
            i += 1
        }
    }

    /// PHPMailer::wrapText($message, $length) in non-QP mode: normalise line breaks to CRLF, drop one trailing
    /// break, then re-fill each line word by word (words split on single spaces; a break replaces the space),
    /// ending every line with CRLF. Lengths are in bytes, as in PHP.
    static func wrapText(_ message: [UInt8], length: Int) -> [UInt8] {
        // normalizeBreaks: CRLF, CR, LF -> CRLF; we split into lines directly.
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        let n = message.count
        while i < n {
            let c = message[i]
            if c == 0x0D || c == 0x0A {
                lines.append(message[start..<i])
                if c == 0x0D && i + 1 < n && message[i + 1] == 0x0A { i += 1 }
                i += 1
                start = i
                continue
            }
            i += 1
        }
        lines.append(message[start..<n])
        // "Remove a trailing line break": the text ended with a break, so the last (empty) line goes.
        if lines.count > 1, lines.last!.isEmpty { lines.removeLast() }

        var out: [UInt8] = []
        out.reserveCapacity(n + n / 16 + 4)
        for line in lines {
            // Walk words separated by single spaces, tracking the current output line length.
            var bufLen = 0
            var firstword = true
            var wordStart = line.startIndex
            var idx = line.startIndex
            while true {
                let atEnd = idx == line.endIndex
                if atEnd || line[idx] == 0x20 {
                    let word = line[wordStart..<idx]
                    let bufOLen = bufLen
                    let added = (firstword ? 0 : 1) + word.count
                    if bufOLen != 0 && bufLen + added > length {
                        // emit buf_o + break; buf = word
                        out.append(0x0D)
                        out.append(0x0A)
                        out.append(contentsOf: word)
                        bufLen = word.count
                    } else {
                        if !firstword { out.append(0x20) }
                        out.append(contentsOf: word)
                        bufLen += added
                    }
                    firstword = false
                    if atEnd { break }
                    wordStart = line.index(after: idx)
                }
                idx = atEnd ? idx : line.index(after: idx)
            }
            out.append(0x0D)
            out.append(0x0A)
        }
        return out
    }

    /// chunk_split(base64_encode($data), 76, "\r\n"): every line, including the last, ends with CRLF.
    static func base64Lines(_ data: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        let encodedCount = (data.count + 2) / 3 * 4
        out.reserveCapacity(encodedCount + (encodedCount / 76 + 1) * 2)
        var col = 0
        func put(_ b: UInt8) {
            out.append(b)
            col += 1
            if col == 76 {
                out.append(0x0D)
                out.append(0x0A)
                col = 0
            }
        }
        var i = 0
        while i + 2 < data.count {
            let v = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2])
            put(alphabet[Int(v >> 18 & 63)])
            put(alphabet[Int(v >> 12 & 63)])
            put(alphabet[Int(v >> 6 & 63)])
            put(alphabet[Int(v & 63)])
            i += 3
        }
        let rest = data.count - i
        if rest == 1 {
            let v = UInt32(data[i]) << 16
            put(alphabet[Int(v >> 18 & 63)])
            put(alphabet[Int(v >> 12 & 63)])
            put(0x3D)
            put(0x3D)
        } else if rest == 2 {
            let v = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8
            put(alphabet[Int(v >> 18 & 63)])
            put(alphabet[Int(v >> 12 & 63)])
            put(alphabet[Int(v >> 6 & 63)])
            put(0x3D)
        }
        if col != 0 || data.isEmpty {
            out.append(0x0D)
            out.append(0x0A)
        }
        return out
    }
}
