/// RFC 2152 UTF-7, which Exchange still declares as "unicode-1-1-utf-7" in its delivery reports.
enum UTF7Decoder {
    static func decode(_ bytes: [UInt8]) -> String {
        var output = String.UnicodeScalarView()
        var units: [UInt16] = []
        var index = 0
        func flushUnits() {
            for scalar in String(decoding: units, as: UTF16.self).unicodeScalars { output.append(scalar) }
            units.removeAll()
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x2B else { // '+'
                output.append(Unicode.Scalar(byte))
                index += 1
                continue
            }
            index += 1
            if index < bytes.count, bytes[index] == 0x2D { // "+-" is a literal plus
                output.append("+")
                index += 1
                continue
            }
            var bits: UInt32 = 0
            var bitCount = 0
            while index < bytes.count, let sextet = Base64Alphabet.value(of: bytes[index]) {
                bits = (bits << 6) | UInt32(sextet)
                bitCount += 6
                if bitCount >= 16 {
                    bitCount -= 16
                    units.append(UInt16(truncatingIfNeeded: bits >> UInt32(bitCount)))
                    bits &= (1 << UInt32(bitCount)) - 1
                }
                index += 1
            }
            flushUnits()
            if index < bytes.count, bytes[index] == 0x2D { index += 1 }
        }
        return String(output)
    }
}
