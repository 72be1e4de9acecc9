/// Cuts the server's byte stream into responses. A response is one line, except that a line
/// ending in a literal announcement `{n}` is followed by exactly n bytes and then the rest of
/// the response (RFC 9051 §4.3): message bodies arrive that way and may contain anything.
public struct IMAPResponseParser: Sendable {
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        case lineTooLong(Int)
        case malformed(String)
        public var description: String {
            switch self {
            case .lineTooLong(let length): "a response line of more than \(length) bytes without CRLF"
            case .malformed(let line): "malformed response: \(line)"
            }
        }
    }

    /// One response before interpretation: text pieces, each but the last followed by a literal.
    struct RawResponse {
        var pieces: [[UInt8]] = []
        var literals: [[UInt8]] = []
    }

    /// Longest line accepted outside literals (literals may be any size).
    public var maxLineLength = 1 << 20
    private var buffer: [UInt8] = []
    private var position = 0
    private var partial = RawResponse()
    /// Bytes still expected for the literal being read.
    private var literalRemaining: Int?

    public init() {}

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if position > 0, position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Bytes received but not yet part of a returned response (must be empty before STARTTLS).
    public var hasBufferedBytes: Bool {
        position < buffer.count || !partial.pieces.isEmpty
    }

    /// The next complete response, or nil when more bytes are needed.
    public mutating func next() throws(Error) -> IMAPResponse? {
        while true {
            if let remaining = literalRemaining {
                let available = buffer.count - position
                guard available >= remaining else { return nil }
                partial.literals.append(Array(buffer[position..<position + remaining]))
                position += remaining
                literalRemaining = nil
                continue
            }
            guard let lineEnd = findCRLF() else {
                if buffer.count - position > maxLineLength { throw .lineTooLong(maxLineLength) }
                compact()
                return nil
            }
            let line = Array(buffer[position..<lineEnd])
            position = lineEnd + 2
            if let (text, length) = Self.literalAnnouncement(line) {
                partial.pieces.append(text)
                literalRemaining = length
                continue
            }
            partial.pieces.append(line)
            let raw = partial
            partial = RawResponse()
            compact()
            return try Self.interpret(raw)
        }
    }

    private func findCRLF() -> Int? {
        var index = position
        while index + 1 < buffer.count {
            if buffer[index] == 0x0D, buffer[index + 1] == 0x0A { return index }
            index += 1
        }
        return nil
    }

    private mutating func compact() {
        if position > 65_536 {
            buffer.removeFirst(position)
            position = 0
        }
    }

    /// `…{123}` or `…{123+}` at the end of a line: the text before it and the length.
    static func literalAnnouncement(_ line: [UInt8]) -> ([UInt8], Int)? {
        guard line.last == UInt8(ascii: "}"), let open = line.lastIndex(of: UInt8(ascii: "{")) else { return nil }
        var digits = line[(open + 1)..<(line.count - 1)]
        if digits.last == UInt8(ascii: "+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count < 12, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let length = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return (Array(line[..<open]), length)
    }

    static func interpret(_ raw: RawResponse) throws(Error) -> IMAPResponse {
        let first = String(decoding: raw.pieces[0], as: UTF8.self)
        if first == "+" || first.hasPrefix("+ ") {
            return .continuation(String(first.dropFirst(2)))
        }
        guard let space = first.firstIndex(of: " ") else { throw .malformed(first) }
        let tag = String(first[..<space])
        let rest = first[first.index(after: space)...]
        if tag == "*" {
            return .untagged(interpretUntagged(rest, raw: raw))
        }
        guard let status = statusResponse(rest), [.ok, .no, .bad].contains(status.status) else { throw .malformed(first) }
        return .tagged(tag: tag, status)
    }

    static func statusResponse(_ text: Substring) -> IMAPStatusResponse? {
        let word = text.prefix { $0 != " " }
        guard let status = IMAPStatus(rawValue: word.uppercased()) else { return nil }
        var rest = text.dropFirst(word.count).drop { $0 == " " }
        var code: String?
        if rest.first == "[", let close = rest.firstIndex(of: "]") {
            code = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...].drop { $0 == " " }
        }
        return IMAPStatusResponse(status: status, code: code, text: String(rest))
    }

    static func interpretUntagged(_ text: Substring, raw: RawResponse) -> IMAPUntagged {
        if let status = statusResponse(text) { return .status(status) }
        let words = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard let keyword = words.first?.uppercased() else { return .other(String(text)) }
        if keyword == "CAPABILITY" { return .capability(IMAPUntagged.capabilitySet(text.dropFirst(11))) }
        if keyword == "SEARCH" {
            return .search(text.dropFirst(6).split(separator: " ").compactMap { UInt32($0) })
        }
        if words.count >= 2, let number = Int(words[0]) {
            switch words[1].uppercased() {
            case "EXISTS": return .exists(number)
            case "EXPUNGE": return .expunge(number)
            case "FETCH": return fetch(sequence: number, raw: raw)
            default: break
            }
        }
        return .other(String(text))
    }

    /// `* n FETCH (… UID u … BODY[] {len}<literal> …)`: the UID and the literal after `BODY[]`.
    static func fetch(sequence: Int, raw: RawResponse) -> IMAPUntagged {
        var uid: UInt32?
        var body: [UInt8]?
        for (index, piece) in raw.pieces.enumerated() {
            let text = String(decoding: piece, as: UTF8.self).uppercased()
            if uid == nil, let range = text.range(of: "(UID ") ?? text.range(of: " UID ") {
                uid = UInt32(text[range.upperBound...].prefix { $0.isNumber })
            }
            if index < raw.literals.count, text.hasSuffix("BODY[] ") || text.hasSuffix("BODY[]") {
                body = raw.literals[index]
            }
        }
        return .fetch(sequence: sequence, uid: uid, body: body)
    }
}
