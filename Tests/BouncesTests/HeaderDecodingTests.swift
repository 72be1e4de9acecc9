import Testing
@testable import Bounces

@Suite struct HeaderDecodingTests {
    @Test func unfoldsContinuationLines() {
        let message = BounceMessage(bytes: Array("Subject: first\r\n second\r\n\tthird\r\nTo: a@b.example\r\n\r\nbody".utf8))
        #expect(message.headers["Subject"] == "first second third")
        #expect(message.headers["to"] == "a@b.example")
    }

    @Test func decodesBase64AndQEncodedWords() {
        #expect(EncodedWordDecoder.decode("=?UTF-8?B?w6ljaGVj?= de remise") == "échec de remise")
        #expect(EncodedWordDecoder.decode("=?iso-8859-15?Q?Abwesenheitsnotiz_f=FCr?= Max") == "Abwesenheitsnotiz für Max")
    }

    @Test func dropsWhitespaceBetweenAdjacentEncodedWords() {
        #expect(EncodedWordDecoder.decode("=?utf-8?q?Out_of?= =?utf-8?q?_Office?=") == "Out of Office")
    }

    @Test func decodesJapaneseCharsets() {
        // "不在" in ISO-2022-JP (base64) and Shift_JIS (Q).
        #expect(EncodedWordDecoder.decode("=?ISO-2022-JP?B?GyRCSVQ6XxsoQg==?=") == "不在")
        #expect(EncodedWordDecoder.decode("=?shift_jis?Q?=95s=8D=DD?=") == "不在")
        #expect(TextDecoding.string([0xC9, 0xD4, 0xBA, 0xDF], charset: "euc-jp") == "不在")
    }

    @Test func unknownCharsetFallsBackInsteadOfFailing() {
        #expect(EncodedWordDecoder.decode("=?x-unknown?Q?caf=E9?=") == "café")
        #expect(EncodedWordDecoder.decode("=?utf-8?X?broken?=") == "=?utf-8?X?broken?=")
    }

    @Test func decodesUTF7AsExchangeDeclaresIt() {
        #expect(TextDecoding.string(Array("Hi +AKM-1 +ZeVnLIqe-".utf8), charset: "unicode-1-1-utf-7") == "Hi £1 日本語")
    }

    @Test func parsesContentTypeParameters() {
        let type = ContentType(parsing: "multipart/report; report-type=delivery-status;\n boundary=\"a;b=c\"")
        #expect(type.mediaType == "multipart/report")
        #expect(type.boundary == "a;b=c")
        #expect(type.parameters["report-type"] == "delivery-status")
    }
}
