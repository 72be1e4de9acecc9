/// One header field after unfolding: `name` as written, `rawValue` with RFC 2047 words still encoded.
public struct HeaderField: Sendable, Equatable {
    public let name: String
    public let rawValue: String

    public init(name: String, rawValue: String) {
        self.name = name
        self.rawValue = rawValue
    }

    /// The value with RFC 2047 encoded words decoded.
    public var value: String { EncodedWordDecoder.decode(rawValue) }
}
