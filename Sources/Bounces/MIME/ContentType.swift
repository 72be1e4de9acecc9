/// A parsed Content-Type (RFC 2045 §5.1): lower-cased media type and parameters with names lower-cased.
public struct ContentType: Sendable, Equatable {
    public let type: String
    public let subtype: String
    public let parameters: [String: String]

    public var mediaType: String { "\(type)/\(subtype)" }
    public var isMultipart: Bool { type == "multipart" }
    public var charset: String? { parameters["charset"] }
    public var boundary: String? { parameters["boundary"] }

    public static let textPlain = ContentType(type: "text", subtype: "plain", parameters: [:])

    public init(type: String, subtype: String, parameters: [String: String]) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    /// Parses a header value; anything unreadable yields text/plain (RFC 2045 §5.2).
    public init(parsing value: String?) {
        guard let value, !value.isEmpty else {
            self = .textPlain
            return
        }
        let segments = Self.splitParameters(value)
        let media = (segments.first ?? "").lowercased().trimmingWhitespace()
        let pieces = media.split(separator: "/", maxSplits: 1).map { String($0).trimmingWhitespace() }
        var parameters: [String: String] = [:]
        for segment in segments.dropFirst() {
            guard let equals = segment.firstIndex(of: "=") else { continue }
            var name = String(segment[..<equals]).trimmingWhitespace().lowercased()
            var parameterValue = String(segment[segment.index(after: equals)...]).trimmingWhitespace()
            if parameterValue.hasPrefix("\""), parameterValue.hasSuffix("\""), parameterValue.count >= 2 {
                parameterValue = String(parameterValue.dropFirst().dropLast())
            }
            if name.hasSuffix("*") { // RFC 2231 extended value: charset'lang'value
                name.removeLast()
                let parts = parameterValue.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count == 3 { parameterValue = String(parts[2]).percentDecoded ?? String(parts[2]) }
            }
            if parameters[name] == nil { parameters[name] = parameterValue }
        }
        if pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty {
            self.init(type: pieces[0], subtype: pieces[1], parameters: parameters)
        } else {
            self.init(type: "text", subtype: "plain", parameters: parameters)
        }
    }

    /// Splits on ';' outside double quotes.
    private static func splitParameters(_ value: String) -> [String] {
        var segments: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" { quoted.toggle() }
            if character == ";" && !quoted {
                segments.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        segments.append(current)
        return segments
    }
}

extension String {
    /// Minimal %XX decoding for RFC 2231 values, without Foundation.
    var percentDecoded: String? {
        var bytes: [UInt8] = []
        var iterator = Array(utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == 0x25, let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validatingUTF8Bytes: bytes)
    }
}
