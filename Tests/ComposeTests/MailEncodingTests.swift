@testable import Compose
import Testing

/// The PHP/PHPMailer encodings reproduced byte for byte.
@Suite struct MailEncodingTests {
    func qp(_ s: String) -> String {
        var out: [UInt8] = []
        MailEncoding.quotedPrintable(Array(s.utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func quotedPrintableFollowsPHP() {
        #expect(qp("x=y") == "x=3Dy")
        #expect(qp("é") == "=C3=A9")
        #expect(qp("a \r\nb") == "a=20\r\nb")          // space before CRLF is encoded
        #expect(qp("a ") == "a ")                        // but not at the very end (PHP)
        #expect(qp("a\nb") == "a=0Ab")                   // a bare LF is a control character
        #expect(qp("tab\there") == "tab=09here")
        #expect(qp(String(repeating: "a", count: 80)) == String(repeating: "a", count: 75) + "=\r\n" + "aaaaa")
        // A two-byte character that does not fit moves to the next line whole.
        #expect(qp(String(repeating: "a", count: 73) + "é") == String(repeating: "a", count: 73) + "=\r\n=C3=A9")
    }

    @Test func wrapTextFollowsPHPMailer() {
        func wrap(_ s: String, _ n: Int) -> String {
            String(decoding: MailEncoding.wrapText(Array(s.utf8), length: n), as: UTF8.self)
        }
        #expect(wrap("aaa bbb", 5) == "aaa\r\nbbb\r\n")
        #expect(wrap("aaa bbb\n", 7) == "aaa bbb\r\n")
        #expect(wrap("aaaaaaaaaa bb", 5) == "aaaaaaaaaa\r\nbb\r\n")   // long words are not cut
        #expect(wrap("a\r\n\r\nb", 5) == "a\r\n\r\nb\r\n")
        #expect(wrap(" x", 5) == " x\r\n")
        #expect(wrap("one two three four", 9) == "one two\r\nthree\r\nfour\r\n")
    }

    @Test func base64LinesAre76Columns() {
        let data = Array(0..<255).map(UInt8.init)
        let lines = String(decoding: MailEncoding.base64Lines(data), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.dropLast(2).allSatisfy { $0.count == 76 })
        #expect(lines.last == "")
        #expect(String(decoding: MailEncoding.base64Lines([]), as: UTF8.self) == "\r\n")
    }

    @Test func headerEncodingPicksLikePHPMailer() {
        #expect(HeaderEncoding.encode("Plain subject") == "Plain subject")
        #expect(HeaderEncoding.encode("Café crème") == "=?UTF-8?Q?Caf=C3=A9_cr=C3=A8me?=")
        #expect(HeaderEncoding.encode("a=b?_c é") == "=?UTF-8?Q?a=3Db=3F=5Fc_=C3=A9?=")
        #expect(HeaderEncoding.address("news@example.org", name: "Example News") == "Example News <news@example.org>")
        #expect(HeaderEncoding.address("news@example.org", name: "Example, Inc.") == "\"Example, Inc.\" <news@example.org>")
        #expect(HeaderEncoding.address("news@example.org", name: "") == "news@example.org")
        let long = HeaderEncoding.encode(String(repeating: "ж", count: 60))
        let words = long.components(separatedBy: "\r\n ")
        #expect(words.count > 1 && words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.count <= 75 })
    }

    @Test func htmlToTextMatchesPHPListsFooterConversion() {
        let footer = "--\n<div class=\"footer\"><p>This message was sent to [EMAIL] by [FROMEMAIL].</p>\n"
            + "<p>To change your details visit your <a href=\"[PREFERENCESURL]\">preferences page</a>.<br/>\n"
            + "Or you can <a href=\"[UNSUBSCRIBEURL]\">opt-out completely</a> from all future mailings.</p></div>"
        #expect(HTMLToText.convert(footer) == "--\nThis message was sent to [EMAIL] by [FROMEMAIL].\n\n"
            + "To change your details visit your preferences page <[PREFERENCESURL]>\n.\n\n"
            + "Or you can opt-out completely <[UNSUBSCRIBEURL]>\nfrom all future mailings.\n\n")
        #expect(HTMLToText.convert("<h1>Title</h1><p>A &amp; B&nbsp;&ndash; <b>bold</b> <i>it</i></p>")
            == "**Title**\nA & B - *bold* /it/\n\n")
        #expect(HTMLToText.convert("<a href=\"https://x.example/\">https://x.example/</a>") == "https://x.example/\n")
    }

    @Test func cleanURLDropsPersonalParameters() {
        #expect(CleanURL.clean("http://h/lists/?p=preferences&uid=abc", disallowed: ["PHPSESSID", "uid"])
            == "http://h/lists/?p=preferences")
        #expect(CleanURL.clean("http://h/?a=1&amp;uid=x&amp;b=2", disallowed: ["PHPSESSID", "uid"]) == "http://h/?a=1&b=2")
        #expect(CleanURL.clean("https://x.example/?q=a&amp;b") == "https://x.example/?q=a&b")
        #expect(CleanURL.clean("http://h:8080/p?x=%41&uid=1#frag", disallowed: ["uid"]) == "http://h:8080/p?x=A#frag")
    }
}
