/// Linux Foundation cannot decode EUC-JP but can decode ISO-2022-JP; both carry JIS X 0208, so
/// EUC-JP is rewritten to ISO-2022-JP (high bits cleared, escape sequences around each double-byte run).
enum EUCJapanese {
    static func toISO2022JP(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        var inKanji = false
        var index = 0
        func setKanji(_ on: Bool) {
            guard on != inKanji else { return }
            output.append(contentsOf: on ? [0x1B, 0x24, 0x42] : [0x1B, 0x28, 0x42])
            inKanji = on
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0xA1, byte <= 0xFE, index + 1 < bytes.count, bytes[index + 1] >= 0xA1 {
                setKanji(true)
                output.append(byte & 0x7F)
                output.append(bytes[index + 1] & 0x7F)
                index += 2
            } else if byte == 0x8E, index + 1 < bytes.count { // half-width katakana: not in JIS X 0208
                setKanji(false)
                output.append(0x3F)
                index += 2
            } else if byte == 0x8F, index + 2 < bytes.count { // JIS X 0212
                setKanji(false)
                output.append(0x3F)
                index += 3
            } else {
                setKanji(false)
                output.append(byte < 0x80 ? byte : 0x3F)
                index += 1
            }
        }
        setKanji(false)
        return output
    }
}
