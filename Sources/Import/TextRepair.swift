/// Turns the raw bytes of a latin1 column into the text the application meant.
///
/// Old PHPList databases hold two kinds of values side by side in latin1 columns: real latin1 text
/// (written over a latin1 connection) and UTF-8 bytes written by a UTF-8 application over a latin1
/// connection ("double-encoded"). Decided value by value: bytes that are valid UTF-8 and contain at
/// least one multi-byte sequence are UTF-8; anything else is MariaDB's `latin1`, which is cp1252.
public enum TextRepair {
    public enum Encoding: String, Sendable {
        case ascii, utf8, latin1
    }

    /// The decoded text and which case the bytes were.
    public static func decodeLatin1Column(_ bytes: [UInt8]) -> (text: String, encoding: Encoding) {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return (String(decoding: bytes, as: UTF8.self), .ascii)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return (text, .utf8)
        }
        return (cp1252(bytes), .latin1)
    }

    /// MariaDB's latin1 → Unicode: cp1252 in 0x80…0x9F, with the five bytes cp1252 leaves undefined
    /// (0x81, 0x8D, 0x8F, 0x90, 0x9D) mapped to the C1 control of the same value, as the server does.
    static func cp1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte >= 0x80 && byte <= 0x9F {
                scalars.append(Unicode.Scalar(cp1252High[Int(byte - 0x80)])!)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
