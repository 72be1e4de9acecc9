// libFuzzer entry point for the bounce parsers, compiled by scripts/fuzz-bounces.sh together with the
// parser's sources (MIME, Parsing, Classification) as one module; never part of the package build.
// One parser per binary, chosen at compile time: -D FUZZ_DSN, -D FUZZ_MIME or -D FUZZ_HEADERS.

@_cdecl("LLVMFuzzerTestOneInput")
public func bounceFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    #if FUZZ_DSN
    // RFC 3464 fields straight into the delivery-status reader and the classifier, with the text itself
    // as the human-readable context.
    let entries = DeliveryStatusParser.parse(bytes)
    _ = DeliveryStatusReader.recipients(from: entries, context: String(decoding: bytes, as: UTF8.self))
    _ = BounceParser.inlineDeliveryStatus(String(decoding: bytes, as: UTF8.self))
    #elseif FUZZ_HEADERS
    // Header section, encoded words, Content-Type parameters, charsets and transfer encodings.
    for field in HeaderSectionParser.parseFields(bytes[...]) {
        _ = EncodedWordDecoder.decode(field.rawValue)
        _ = ContentType(parsing: field.rawValue)
        _ = field.value
    }
    let half = bytes.count / 2
    let charset = String(decoding: bytes[..<min(half, 24)], as: UTF8.self)
    _ = TextDecoding.string(bytes[half...], charset: charset)
    _ = TransferDecoding.decode(bytes[half...], encoding: "base64")
    _ = TransferDecoding.decode(bytes[half...], encoding: "quoted-printable")
    _ = UTF7Decoder.decode(bytes)
    _ = EUCJapanese.toISO2022JP(bytes)
    #else
    // The whole message: MIME tree, every report format, classification.
    _ = BounceParser.parse(bytes)
    #endif
    return 0
}
