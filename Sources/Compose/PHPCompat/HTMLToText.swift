import Foundation

// PHPList's own HTML-to-text conversion (HTML2Text in admin/commonlib/lib/maillib.php) and its text-to-HTML
// counterpart (parseText in sendemaillib.php), step by step, so a campaign without a hand-written text part
// gets the text PHPList would generate. Runs at compile time only.
enum HTMLToText {
    private static let script = PCRE(#"<script[^>]*>(.*?)<\/script\s*>"#, "is")
    private static let style = PCRE(#"<style[^>]*>(.*?)<\/style\s*>"#, "is")
    private static let anchor = PCRE(#"<a[^>]*?href=["'](.*?)["'][^>]*?>(.*?)<\/a>"#, "ims")
    private static let bold = PCRE(#"<b>(.*?)<\/b\s*>"#, "is")
    private static let heading = PCRE(#"<h[\d]>(.*?)<\/h[\d]\s*>"#, "is")
    private static let italic = PCRE(#"<i>(.*?)<\/i\s*>"#, "is")
    private static let endRow = PCRE(#"<\/tr\s*?>"#, "i")
    private static let endPara = PCRE(#"<\/p\s*?>"#, "i")
    private static let br = PCRE(#"<br[^>]*?>"#, "i")
    private static let brSlash = PCRE(#"<br[^>]*?\/>"#, "i")
    private static let table = PCRE(#"<table"#, "i")
    private static let urlText = PCRE(#"\[URLTEXT\](.*?)\[ENDURLTEXT\]\[LINK\](.*?)\[ENDLINK\]"#, "ims")
    private static let leftoverAnchor = PCRE(#"<a href=["'](.*?)["'][^>]*>(.*?)<\/a>"#, "is")
    private static let blankLines = PCRE(#"\n\s*\n\s*\n"#)
    private static let charEntities: [(PCRE, String)] = [
        (PCRE("&(quot|#34);", "i"), "\""), (PCRE("&(amp|#38);", "i"), "&"), (PCRE("&(lt|#60);", "i"), "<"),
        (PCRE("&(gt|#62);", "i"), ">"), (PCRE("&(nbsp|#160);", "i"), " "), (PCRE("&(iexcl|#161);", "i"), "\u{A1}"),
        (PCRE("&(cent|#162);", "i"), "\u{A2}"), (PCRE("&(pound|#163);", "i"), "\u{A3}"),
        (PCRE("&(copy|#169);", "i"), "\u{A9}"), (PCRE("&rsquo;", "i"), "'"), (PCRE("&ndash;", "i"), "-"),
    ]

    /// HTML2Text($text).
    static func convert(_ html: String) -> String {
        var text = PHPString.replace(html, "\r", with: "")
        text = script.replace(text, with: "")
        text = style.replace(text, with: "")
        text = anchor.replace(text, with: "[URLTEXT]$2[ENDURLTEXT][LINK]$1[ENDLINK]\n")
        text = bold.replace(text, with: "*$1*")
        text = heading.replace(text, with: "**$1**\n")
        text = italic.replace(text, with: "/$1/")
        text = endRow.replace(text, with: "</tr>\n\n")
        text = endPara.replace(text, with: "</p>\n\n")
        text = br.replace(text, with: "<br>\n")
        text = brSlash.replace(text, with: "<br/>\n")
        text = table.replace(text, with: "\n\n<table")
        text = PHPString.stripTags(text)

        for m in urlText.matches(in: text) {
            let linktext = m[1]
            let linkurl = m[2]
            let replacement: String
            if PHPString.trim(linktext) == PHPString.trim(linkurl)
                || "http://" + PHPString.trim(linktext) == PHPString.trim(linkurl) {
                replacement = linkurl
            } else if linkurl.contains("#") {
                replacement = linktext
            } else {
                replacement = linktext + " <" + linkurl + ">"
            }
            text = PHPString.replace(text, m.whole, with: replacement)
        }
        text = leftoverAnchor.replace(text, with: "[URLTEXT]$2[ENDURLTEXT][LINK]$1[ENDLINK]", limit: 500)

        for (pattern, replacement) in charEntities {
            text = pattern.replace(text, with: NSRegularExpressionEscaped(replacement))
        }
        text = PHPString.htmlEntityDecode(text)

        text = PHPString.replace(text, "###NL###", with: "\n")
        text = PHPString.replace(text, "\n ", with: "\n")
        text = PHPString.replace(text, "\t", with: " ")
        while PHPString.contains(text, "  ") { text = PHPString.replace(text, "  ", with: " ") }
        while blankLines.test(text) { text = blankLines.replace(text, with: "\n\n") }
        return PHPString.wordwrap(text, width: 70)
    }

    private static let email = PCRE(#"([\._a-z0-9-]+@[\.a-z0-9-]+)"#, "i")
    private static let linkPattern = PCRE(#"(.*)<a.*href\s*=\s*\"(.*?)\"\s*(.*?)>(.*?)<\s*\/a\s*>(.*)"#, "is")
    private static let safeScheme = PCRE(#"^(http:)|(mailto:)|(ftp:)|(https:)"#, "i")
    private static let www = PCRE(#"(www\.[a-zA-Z0-9\.\/#~:?+=&%@!_\-]+)"#, "i")
    private static let dupScheme = PCRE(#"(https?:\/\/)http?:\/\/"#, "i")
    private static let dupFtp = PCRE(#"(ftp:\/\/)http?:\/\/"#, "i")
    private static let bareURL = PCRE(#"(https?:\/\/)(?!www)([a-zA-Z0-9\.\/#~:?+=&%@!_\-]+)"#, "i")
    private static let wwwURL = PCRE(#"(https?:\/\/)(www\.)([a-zA-Z0-9\.\/#~:?+=&%@!\-_]+)"#, "i")
    private static let fullStop = PCRE(#"<a href=\"(.*?)\.\" class=\"url\" target=\"_blank\">(.*)\.<\/a>"#, "i")

    /// parseText($text): plain text to the HTML PHPList sends for a text campaign or a text footer.
    static func parseText(_ input: String) -> String {
        var text = PHPString.ltrim(input)
        text = email.replace(text, with: "<a href=\"mailto:$1\" class=\"email\">$1</a>")
        var links: [String] = []
        while let m = linkPattern.firstMatch(in: text) {
            var url = m[2]
            if !safeScheme.test(url) { url = PHPString.replace(url, ":", with: "") }
            links.append("<a href=\"" + url + "\" " + m[3] + ">" + m[4] + "</a>")
            text = m[1] + "%%\(links.count - 1)%%" + m[5]
        }
        text = www.replace(text, with: "http://$1")
        text = dupScheme.replace(text, with: "$1")
        text = dupFtp.replace(text, with: "$1")
        text = bareURL.replace(text, with: "<a href=\"$1$2\" class=\"url\" target=\"_blank\">$2</a>")
        text = wwwURL.replace(text, with: "<a href=\"$1$2$3\" class=\"url\" target=\"_blank\">$2$3</a>")
        text = fullStop.replace(text, with: "<a href=\"$1\" class=\"url\" target=\"_blank\">$2</a>.")
        for (j, link) in links.enumerated() {
            text = PHPString.replace(text, "%%\(j)%%", with: link)
        }
        text = PHPString.replace(text, "\r", with: "")
        text = PHPString.replace(text, "\n", with: "<br />\n")
        return text
    }
}

/// Escapes `$` and `\` so a literal can be used as an NSRegularExpression template.
func NSRegularExpressionEscaped(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "$", with: "\\$")
}
