/// A parsed MIME entity (a whole message or one body part). Multipart entities hold their parts in
/// `parts`; message/rfc822 and text/rfc822-headers entities hold the enclosed message as their only part.
public struct BounceMessage: Sendable {
    public let headers: MessageHeaders
    public let contentType: ContentType
    /// The body after Content-Transfer-Encoding decoding (for multiparts: the preamble-to-epilogue bytes).
    public let body: [UInt8]
    public let parts: [BounceMessage]

    /// Nesting deeper than this is treated as an opaque body, so hostile input cannot exhaust the stack.
    static let maximumDepth = 16

    public init(bytes: [UInt8]) {
        self.init(slice: bytes[...], depth: 0, defaultType: .textPlain)
    }

    init(headers: MessageHeaders, contentType: ContentType, body: [UInt8], parts: [BounceMessage]) {
        self.headers = headers
        self.contentType = contentType
        self.body = body
        self.parts = parts
    }

    init(slice: ArraySlice<UInt8>, depth: Int, defaultType: ContentType) {
        var input = slice
        // An mbox "From " line before the headers is not a header.
        if input.starts(with: Array("From ".utf8)), let newline = input.firstIndex(of: 0x0A) {
            input = input[(newline + 1)...]
        }
        let (headerEnd, bodyStart) = HeaderSectionParser.bodyStart(input)
        let fields = HeaderSectionParser.parseFields(input[input.startIndex..<headerEnd])
        let headers = MessageHeaders(fields)
        let rawBody = bodyStart <= input.endIndex ? input[bodyStart..<input.endIndex] : []
        let declared = headers.raw("Content-Type")
        let contentType = declared == nil ? defaultType : ContentType(parsing: declared)
        let body = TransferDecoding.decode(rawBody, encoding: headers.raw("Content-Transfer-Encoding"))
        var parts: [BounceMessage] = []
        if depth < Self.maximumDepth {
            switch contentType.mediaType {
            case _ where contentType.isMultipart:
                let childDefault = contentType.subtype == "digest"
                    ? ContentType(type: "message", subtype: "rfc822", parameters: [:]) : .textPlain
                if let boundary = contentType.boundary, !boundary.isEmpty {
                    parts = MultipartSplitter.split(body[...], boundary: boundary).map {
                        BounceMessage(slice: $0, depth: depth + 1, defaultType: childDefault)
                    }
                }
            case "message/rfc822", "message/global", "text/rfc822-headers", "message/rfc822-headers",
                 "message/global-headers", "message/partial":
                parts = [BounceMessage(slice: body[...], depth: depth + 1, defaultType: .textPlain)]
            default:
                break
            }
        }
        self.init(headers: headers, contentType: contentType, body: body, parts: parts)
    }

    /// The body as text in its declared charset.
    public var text: String { TextDecoding.string(body, charset: contentType.charset) }

    /// This entity and the entities below it that belong to it, not to an enclosed message/rfc822.
    public var ownEntities: [BounceMessage] {
        var result: [BounceMessage] = [self]
        guard contentType.isMultipart else { return result }
        for part in parts { result.append(contentsOf: part.ownEntities) }
        return result
    }

    /// This entity and every entity below it, depth first.
    public var allEntities: [BounceMessage] {
        var result: [BounceMessage] = [self]
        for part in parts { result.append(contentsOf: part.allEntities) }
        return result
    }
}
