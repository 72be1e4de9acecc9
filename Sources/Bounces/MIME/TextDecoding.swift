import Foundation
#if canImport(CoreFoundation)
import CoreFoundation
#endif

/// Turns bytes in a declared charset into a String. Unknown or undecodable charsets fall back to
/// UTF-8 when the bytes are valid UTF-8 and to ISO-8859-1 otherwise, so decoding never fails.
enum TextDecoding {
    static func string<C: Collection>(_ bytes: C, charset: String?) -> String where C.Element == UInt8 {
        if bytes.allSatisfy({ $0 < 0x80 }) && !(charset.map(isStatefulSevenBit) ?? false) {
            return String(decoding: bytes, as: UTF8.self)
        }
        let name = (charset ?? "").lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
        let data = Data(bytes)
        switch name {
        case "utf-7", "unicode-1-1-utf-7":
            return UTF7Decoder.decode(Array(bytes))
        case "euc-jp", "x-euc-jp", "eucjp":
            if let text = String(data: Data(EUCJapanese.toISO2022JP(Array(bytes))), encoding: .iso2022JP) { return text }
        default:
            if let encoding = encoding(for: name), let text = String(data: data, encoding: encoding) {
                return text
            }
        }
        if let text = String(validatingUTF8Bytes: Array(bytes)) { return text }
        return String(data: data, encoding: .isoLatin1) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// ISO-2022-JP and UTF-7 are 7-bit but still need their own decoder.
    private static func isStatefulSevenBit(_ charset: String) -> Bool {
        let name = charset.lowercased()
        return name.hasPrefix("iso-2022") || name.contains("utf-7")
    }

    static func encoding(for name: String) -> String.Encoding? {
        switch name {
        case "", "us-ascii", "ascii", "utf-8", "utf8", "uft-8", "unicode-1-1-utf-8": return .utf8
        case "iso-8859-1", "latin1", "iso8859-1", "iso_8859-1": return .isoLatin1
        case "iso-8859-2", "latin2": return .isoLatin2
        case "iso-2022-jp", "iso-2022-jp-2", "iso-2022-jp-3", "csiso2022jp": return .iso2022JP
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "cp932", "windows-31j", "ms932": return .shiftJIS
        case "windows-1250", "cp1250": return .windowsCP1250
        case "windows-1251", "cp1251": return .windowsCP1251
        case "windows-1252", "cp1252": return .windowsCP1252
        case "windows-1253", "cp1253": return .windowsCP1253
        case "windows-1254", "cp1254": return .windowsCP1254
        case "utf-16", "utf16": return .utf16
        case "utf-16be": return .utf16BigEndian
        case "utf-16le": return .utf16LittleEndian
        default: break
        }
        #if canImport(CoreFoundation)
        if let cf = coreFoundationEncoding(for: name) {
            return String.Encoding(rawValue: UInt(CFStringConvertEncodingToNSStringEncoding(cf)))
        }
        #endif
        return nil
    }

    #if canImport(CoreFoundation)
    /// CoreFoundation encoding numbers (CFStringEncodingExt.h) for the charsets Linux Foundation can convert
    /// but that have no `String.Encoding` constant.
    private static func coreFoundationEncoding(for name: String) -> UInt32? {
        if name.hasPrefix("iso-8859-") || name.hasPrefix("iso8859-") {
            let part = name.split(separator: "-").last.flatMap { Int($0) } ?? 0
            // ISO-8859-n is 0x0200 + n except that 0x020C does not exist (8859-12 was never published).
            guard (1...16).contains(part), part != 12 else { return nil }
            return UInt32(0x0200 + part)
        }
        switch name {
        case "windows-1255", "cp1255": return 0x0505
        case "windows-1256", "cp1256": return 0x0506
        case "windows-1257", "cp1257": return 0x0507
        case "windows-1258", "cp1258": return 0x0508
        case "koi8-r": return 0x0A02
        case "koi8-u": return 0x0A08
        case "gb2312", "euc-cn", "gbk", "cp936": return 0x0930
        case "gb18030": return 0x0632
        case "big5", "big5-hkscs": return 0x0A03
        case "euc-kr", "ks_c_5601-1987", "cp949": return 0x0940
        default: return nil
        }
    }
    #endif
}

extension String {
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var result = String.UnicodeScalarView()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): result.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = String(result)
    }
}
