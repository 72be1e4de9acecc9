/// Escapes and `$variable` substitution of double-quoted strings and heredocs.
enum PHPInterpolation {
    static func parts(of body: [UInt8], escapesQuote: Bool) -> [PHPStringPart] {
        var parts: [PHPStringPart] = []
        var text: [UInt8] = []
        var index = 0

        func flush() {
            if !text.isEmpty {
                parts.append(.text(String(decoding: text, as: UTF8.self)))
                text.removeAll()
            }
        }
        func isNameStart(_ byte: UInt8) -> Bool {
            (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 || byte >= 0x80
        }
        func isNamePart(_ byte: UInt8) -> Bool { isNameStart(byte) || (byte >= 48 && byte <= 57) }
        func name(from start: Int) -> (String, Int) {
            var end = start
            while end < body.count, isNamePart(body[end]) { end += 1 }
            return (String(decoding: body[start..<end], as: UTF8.self), end)
        }

        while index < body.count {
            let byte = body[index]
            let next: UInt8? = index + 1 < body.count ? body[index + 1] : nil
            if byte == UInt8(ascii: "\\"), let next {
                index += 2
                switch next {
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "v"): text.append(0x0B)
                case UInt8(ascii: "e"): text.append(0x1B)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "\\"): text.append(next)
                case UInt8(ascii: "$"): text.append(next)
                case UInt8(ascii: "\"") where escapesQuote: text.append(next)
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var digits = [next]
                    while digits.count < 3, index < body.count, body[index] >= 48, body[index] <= 55 {
                        digits.append(body[index])
                        index += 1
                    }
                    text.append(UInt8(truncatingIfNeeded: Int(String(decoding: digits, as: UTF8.self), radix: 8) ?? 0))
                case UInt8(ascii: "x") where index < body.count && isHexDigit(body[index]):
                    var digits: [UInt8] = []
                    while digits.count < 2, index < body.count, isHexDigit(body[index]) {
                        digits.append(body[index])
                        index += 1
                    }
                    text.append(UInt8(Int(String(decoding: digits, as: UTF8.self), radix: 16) ?? 0))
                case UInt8(ascii: "u") where index < body.count && body[index] == UInt8(ascii: "{"):
                    let close = body[index...].firstIndex(of: UInt8(ascii: "}")) ?? body.count
                    let hex = String(decoding: body[(index + 1)..<close], as: UTF8.self)
                    if let scalarValue = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(scalarValue) {
                        text.append(contentsOf: Array(String(Character(scalar)).utf8))
                    }
                    index = min(close + 1, body.count)
                default:
                    // Unknown escapes stay as written, backslash included.
                    text.append(byte)
                    text.append(next)
                }
                continue
            }
            if byte == UInt8(ascii: "$"), let next, isNameStart(next) {
                flush()
                let (variable, end) = name(from: index + 1)
                index = end
                // `$a[...]` and `$a->b` would need PHP to evaluate.
                if index < body.count, body[index] == UInt8(ascii: "[")
                    || (body[index] == UInt8(ascii: "-") && index + 1 < body.count && body[index + 1] == UInt8(ascii: ">")) {
                    parts.append(.unknown)
                } else {
                    parts.append(.variable(variable))
                }
                continue
            }
            if (byte == UInt8(ascii: "{") && next == UInt8(ascii: "$")) || (byte == UInt8(ascii: "$") && next == UInt8(ascii: "{")) {
                flush()
                let close = body[index...].firstIndex(of: UInt8(ascii: "}")) ?? body.count
                let inner = String(decoding: body[(index + 1)..<close], as: UTF8.self)
                    .trimmingPrefix("$").trimmingPrefix("{")
                if !inner.isEmpty, inner.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                    parts.append(.variable(String(inner)))
                } else {
                    parts.append(.unknown)
                }
                index = min(close + 1, body.count)
                continue
            }
            text.append(byte)
            index += 1
        }
        flush()
        return parts
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102)
    }
}
