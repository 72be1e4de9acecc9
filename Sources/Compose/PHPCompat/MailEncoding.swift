// The transfer encodings PHPList's PHPMailer 6 applies, reproduced byte for byte so a Facteur message has the
// same line breaks as PHPList's: PHP's quoted_printable_encode (used by PHPMailer::encodeQP),
// PHPMailer::wrapText (the 75-column text wrap from the `wordwrap` config), and base64 in 76-column lines.
// These run once per subscriber on bytes, without regular expressions.
enum MailEncoding {
    static let crlf: [UInt8] = [0x0D, 0x0A]
    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// PHP's php_quot_print_encode (PHP_QPRINT_MAXL = 75), then PHPMailer's normalizeBreaks (a no-op here:
    /// the encoder only emits CRLF). Bare LF and CR are control characters and become =0A / =0D.
    /// Writes through a pointer into space reserved for the worst case (every byte encoded plus soft breaks).
    static func quotedPrintable(_ input: [UInt8], into d: inout [UInt8]) {
        let n = input.count
        guard n > 0 else { return }
        let start = d.count
        let worst = n * 3 + (n * 3 / 73 + 1) * 3
        d.append(contentsOf: repeatElement(0, count: worst))
        let written = d.withUnsafeMutableBufferPointer { out -> Int in
            input.withUnsafeBufferPointer { inp -> Int in
                let maxl = 75
                var lp = 0
                var i = 0
                var o = start
                @inline(__always) func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x37 + v }
                while i < n {
                    let c = inp[i]
                    let next: UInt8 = i + 1 < n ? inp[i + 1] : 0
                    if c == 0x0D && next == 0x0A && i + 1 < n {
                        out[o] = 0x0D
                        out[o + 1] = 0x0A
                        o += 2
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
                            out[o] = 0x3D
                            out[o + 1] = 0x0D
                            out[o + 2] = 0x0A
                            o += 3
                            lp = 3
                        }
                        out[o] = 0x3D
                        out[o + 1] = hexDigit(c >> 4)
                        out[o + 2] = hexDigit(c & 0x0F)
                        o += 3
                    } else {
                        lp += 1
                        if lp > maxl {
                            out[o] = 0x3D
                            out[o + 1] = 0x0D
                            out[o + 2] = 0x0A
                            o += 3
                            lp = 1
                        }
                        out[o] = c
                        o += 1
                    }
                    i += 1
                }
                return o
            }
        }
        d.removeLast(d.count - written)
    }

    @inline(__always)
    static func base64Char(_ v: UInt32) -> UInt8 {
        let x = UInt8(v & 63)
        if x < 26 { return 0x41 + x }
        if x < 52 { return 0x61 + x - 26 }
        if x < 62 { return 0x30 + x - 52 }
        return x == 62 ? 0x2B : 0x2F
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
            put(base64Char(v >> 18))
            put(base64Char(v >> 12))
            put(base64Char(v >> 6))
            put(base64Char(v))
            i += 3
        }
        let rest = data.count - i
        if rest == 1 {
            let v = UInt32(data[i]) << 16
            put(base64Char(v >> 18))
            put(base64Char(v >> 12))
            put(0x3D)
            put(0x3D)
        } else if rest == 2 {
            let v = UInt32(data[i]) << 16 | UInt32(data[i + 1]) << 8
            put(base64Char(v >> 18))
            put(base64Char(v >> 12))
            put(base64Char(v >> 6))
            put(0x3D)
        }
        if col != 0 || data.isEmpty {
            out.append(0x0D)
            out.append(0x0A)
        }
        return out
    }
}
