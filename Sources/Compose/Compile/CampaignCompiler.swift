import PHPList
import Foundation

/// Builds a `CompiledCampaign` by running PHPList 3.6.15's precacheMessage and sendEmail steps once, on
/// "symbolic" text where every subscriber-dependent value is a marker. What is left per subscriber is
/// filling slots and encoding (see `CompiledCampaign.render`).
struct CampaignCompiler {
    let content: CampaignContent
    let settings: ComposeSettings
    let table = SlotTable()
    var links: [LinkDefinition] = []

    init(content: CampaignContent, settings: ComposeSettings) {
        self.content = content
        self.settings = settings
    }

    // MARK: precacheMessage / loadMessageData

    struct Sender {
        var fromName: String
        var fromEmail: String
        var replyToName: String?
        var replyToEmail: String?
    }

    private static let addressInField = PCRE(#"([^ ]+@[^ ]+)"#)

    func sender() -> Sender {
        let defaultFrom = (settings.messageFromAddress ?? "").isEmpty ? settings.adminAddress
            : settings.messageFromAddress!
        var fromName: String
        var fromEmail: String
        let field = content.fromField
        if let m = Self.addressInField.firstMatch(in: field) {
            fromName = PHPString.replace(field, m.whole, with: "")
            fromEmail = PHPString.replace(PHPString.replace(m.whole, "<", with: ""), ">", with: "")
            fromName = PHPString.replace(PHPString.trim(fromName), "\"", with: "")
        } else if PHPString.foundAfterStart(field, " ") {
            fromName = field
            fromEmail = defaultFrom
        } else {
            fromEmail = defaultFrom
            fromName = field
        }
        if let m = Self.addressInField.firstMatch(in: fromName) {
            fromName = PHPString.replace(fromName, m.whole, with: "")
        }
        fromEmail = PHPString.replace(fromEmail, ",", with: "")
        fromName = PHPString.trim(PHPString.replace(fromName, ",", with: ""))
        while PHPString.foundAfterStart(fromName, "  ") { fromName = PHPString.replace(fromName, "  ", with: " ") }
        if fromName.isEmpty { fromName = fromEmail }

        var s = Sender(fromName: fromName, fromEmail: fromEmail)
        let reply = content.replyTo
        if let m = Self.addressInField.firstMatch(in: reply) {
            s.replyToEmail = PHPString.replace(PHPString.replace(m.whole, "<", with: ""), ">", with: "")
            s.replyToName = PHPString.replace(PHPString.trim(PHPString.replace(reply, m.whole, with: "")), "\"",
                                              with: "")
        } else if PHPString.foundAfterStart(reply, " ") {
            s.replyToName = reply
            s.replyToEmail = "listmaster@\(settings.domain)"
        } else if !reply.isEmpty {
            s.replyToEmail = reply + "@\(settings.domain)"
            s.replyToName = reply + "@\(settings.domain)"
        }
        return s
    }

    // MARK: the message body, as sendEmail builds it

    struct Parts {
        var html: String
        var text: String
        var subject: String
    }

    mutating func buildSymbolicParts(sender: Sender) -> Parts {
        let c = content
        let id = String(c.id)
        var body = c.message
        var manualText = settings.useManualTextPart ? c.textMessage : ""
        let footer = c.footer
        var textFooter: String
        var htmlFooter: String
        if PHPString.hasTags(footer) {
            textFooter = HTMLToText.convert(footer)
            htmlFooter = footer
        } else {
            textFooter = footer
            htmlFooter = HTMLToText.parseText(footer)
        }
        let htmlFormatted = c.htmlFormatted ?? PHPString.hasTags(body)
        for (key, value) in [("subject", c.subject), ("id", id), ("fromname", sender.fromName),
                             ("fromemail", sender.fromEmail)] {
            body = PHPString.ireplace(body, "[\(key)]", with: value)
            manualText = PHPString.ireplace(manualText, "[\(key)]", with: value)
            textFooter = PHPString.ireplace(textFooter, "[\(key)]", with: value)
            htmlFooter = PHPString.ireplace(htmlFooter, "[\(key)]", with: value)
        }

        // Text and HTML versions.
        let textContent: String
        let htmlContent: String
        if htmlFormatted {
            textContent = manualText.isEmpty ? HTMLToText.convert(body) : manualText
            htmlContent = body
        } else {
            textContent = manualText.isEmpty ? body : manualText
            htmlContent = HTMLToText.parseText(body)
        }
        var html: String
        if let template = c.template, !template.html.isEmpty {
            html = PHPString.replace(template.html, "[CONTENT]", with: htmlContent)
        } else {
            html = htmlContent
        }
        let addDefaultStyle = (c.template?.html ?? "").isEmpty
        var text = textContent

        // Footer and signature.
        let htmlSignature: String
        let textSignature: String
        switch settings.poweredBy {
        case .image:
            let v = settings.version
            htmlSignature = "<p class=\"poweredby\" style=\"text-align:center\"><a href=\"https://www.phplist.com/"
                + "poweredby?utm_source=pl\(v)&amp;utm_medium=poweredhostedimg&amp;utm_campaign=phpList\" "
                + "title=\"visit the phpList website\" ><img src=\"powerphplist.png\" title=\"powered by phpList "
                + "version \(v), &copy; phpList ltd\" alt=\"powered by phpList \(v), &copy; phpList ltd\" "
                + "border=\"0\" /></a></p>"
            textSignature = "\n\n-- powered by phpList, www.phplist.com --\n\n"
        case .text:
            let v = settings.version
            htmlSignature = "<div style=\"clear: both; font-family: arial, verdana, sans-serif; font-size: 8px; "
                + "font-variant: small-caps; font-weight: normal; padding: 2px; padding-left:10px;padding-top:20px;"
                + "\">powered by <a href=\"https://www.phplist.com/poweredby?utm_source=download\(v)&amp;"
                + "utm_medium=poweredtxt&amp;utm_campaign=phpList\" target=\"_blank\" title=\"powered by phpList "
                + "version \(v), &copy; phpList ltd\">phpList</a></div>"
            textSignature = "\n\n-- powered by phpList, www.phplist.com --\n\n"
        case .none:
            htmlSignature = ""
            textSignature = ""
        }
        if PHPString.contains(html, "[FOOTER]") {
            html = PHPString.ireplace(html, "[FOOTER]", with: htmlFooter)
        } else if !htmlFooter.isEmpty {
            html = Self.addHTMLFooter(html, "<br />" + htmlFooter)
        }
        if PHPString.contains(html, "[SIGNATURE]") {
            html = PHPString.ireplace(html, "[SIGNATURE]", with: htmlSignature)
        } else if !htmlSignature.isEmpty {
            html = Self.addHTMLFooter(html, "\n" + htmlSignature)
        }
        if PHPString.foundAfterStart(text, "[FOOTER]") {
            text = PHPString.ireplace(text, "[FOOTER]", with: textFooter)
        } else {
            text += "\n\n" + textFooter
        }
        if PHPString.foundAfterStart(text, "[SIGNATURE]") {
            text = PHPString.ireplace(text, "[SIGNATURE]", with: textSignature)
        } else if !textSignature.isEmpty {
            text += "\n" + textSignature
        }

        // [FORWARD:id:text]
        let uid = table.marker(.uniqid)
        let forwardURL = settings.urls.forward
        let fsep = forwardURL.contains("?") ? "&" : "?"
        html = Self.forwardPattern.replace(html) { m in
            let (mid, label) = Self.forwardTarget(m[1])
            guard !mid.isEmpty && mid != "0" else { return "" }
            let url = "\(forwardURL)\(fsep)uid=\(uid)&mid=\(mid)"
            return "<a href=\"\(PHPStrings.htmlSpecialChars(url))\">\(label)</a>"
        }
        text = Self.forwardPattern.replace(text) { m in
            let (mid, label) = Self.forwardTarget(m[1])
            guard !mid.isEmpty && mid != "0" else { return "" }
            return "\(label) \(forwardURL)\(fsep)uid=\(uid)&mid=\(mid)"
        }

        // Open tracking pixel.
        let pixel = "<img src=\"\(settings.publicRoot)/ut.php?u=\(uid)&amp;m=\(id)\" width=\"1\" height=\"1\" "
            + "border=\"0\" alt=\"\" />"
        if settings.alwaysAddUserTrack {
            if (PHPString.indexCaseInsensitive(of: Array("</body>".utf8), in: Array(html.utf8)) ?? 0) > 0 {
                html = PHPString.replace(html, "</body>", with: pixel + "</body>")
            } else {
                html += pixel
            }
        } else if let hit = PHPString.indexCaseInsensitive(of: Array("[USERTRACK]".utf8), in: Array(html.utf8)) {
            var bytes = Array(html.utf8)
            bytes.replaceSubrange(hit..<hit + 11, with: Array(pixel.utf8))
            html = String(decoding: bytes, as: UTF8.self)
        }
        html = PHPString.ireplace(html, "[USERTRACK]", with: "")
        text = PHPString.ireplace(text, "[USERTRACK]", with: "")

        // [CONTACT] / [CONTACT:n]
        let vcard = settings.urls.vcard
        html = Self.contactPattern.replace(html) { _ in
            "<a href=\"\(PHPString.htmlentities(vcard))\">\(settings.strings.contactMessage)</a>"
        }
        text = Self.contactPattern.replace(text) { _ in
            "\(settings.strings.contactMessage) \(PHPString.htmlentities(vcard))"
        }

        // Placeholders, in PHPList's order: $html/$text, admin attributes, user columns, attributes.
        let usesLists = PHPString.containsCaseInsensitive(c.message, "[LISTS]")
        html = Placeholders.parse(html, placeholderEntries(html: true, signature: htmlSignature,
                                                           footer: htmlFooter, usesLists: usesLists))
        text = Placeholders.parse(text, placeholderEntries(html: false, signature: textSignature,
                                                           footer: textFooter, usesLists: usesLists))
        var subject = c.subject
        if settings.personaliseSubject {
            subject = Placeholders.parse(subject, placeholderEntries(html: false, signature: textSignature,
                                                                     footer: textFooter, usesLists: usesLists))
            subject = Self.applyDefaults(subject)
        }

        // Click tracking.
        if settings.clickTrack {
            html = trackHTMLLinks(html)
            text = trackTextLinks(text)
        }

        // Fallback defaults for placeholders nobody resolved.
        html = Self.applyDefaults(html)
        text = Self.applyDefaults(text)

        // <html><head><body> scaffolding.
        if !Self.bodyPair.test(html) { html = "<body>" + html + "</body>" }
        if !Self.headPair.test(html) {
            let style = addDefaultStyle ? settings.htmlEmailStyle : ""
            html = "<head>\n        <meta content=\"text/html;charset=UTF-8\" http-equiv=\"Content-Type\">\n"
                + "        <meta content=\"width=device-width\"/>\n        <title></title>" + style + "</head>" + html
        }
        if !Self.htmlPair.test(html) { html = "<html>" + html + "</html>" }
        html = Self.afterHTML.replace(html, with: "</html>", limit: -1)
        html = PHPString.ireplace(html, "<p><!DOCTYPE", with: "<!DOCTYPE")
        html = PHPString.ireplace(html, "</html></p>", with: "</html>")
        return Parts(html: html, text: text, subject: subject)
    }

    private static let forwardPattern = PCRE(#"\[FORWARD:([^\]]+?)\]"#, "m")
    private static let contactPattern = PCRE(#"\[CONTACT\:?(\d+)?\]"#, "i")
    private static let bodyPair = PCRE("<body.*</body>", "ims")
    private static let headPair = PCRE("<head.*</head>", "ims")
    private static let htmlPair = PCRE("<html.*</html>", "ims")
    private static let afterHTML = PCRE("</html>.*", "msi")
    private static let defaultsPattern = PCRE(#"\[.*?\%\%([^\]]+?)\]"#, "i")

    private static func forwardTarget(_ spec: String) -> (String, String) {
        if PHPString.foundAfterStart(spec, ":") {
            let parts = spec.components(separatedBy: ":")
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        let digits = spec.prefix { $0.isNumber }
        return (digits.isEmpty ? "0" : String(Int(digits) ?? 0), "this link")
    }

    /// addHTMLFooter: before every </body> (any case), or appended.
    static func addHTMLFooter(_ message: String, _ footer: String) -> String {
        let pattern = PCRE("</body>", "i")
        if pattern.test(message) {
            return pattern.replace(message, with: NSRegularExpressionEscaped(footer) + "</body>")
        }
        return message + footer
    }

    /// The final `[anything%%default]` pass.
    static func applyDefaults(_ s: String) -> String {
        var s = s
        for m in defaultsPattern.matches(in: s) {
            s = PHPString.ireplace(s, m.whole, with: m[1])
        }
        return s
    }

    // MARK: placeholder tables

    private func placeholderEntries(html: Bool, signature: String, footer: String,
                                             usesLists: Bool) -> [PlaceholderEntry] {
        let uid = table.marker(.uniqid)
        let email = table.marker(.email)
        let urls = settings.urls
        let strings = settings.strings
        func sep(_ url: String) -> String { url.contains("?") ? (html ? "&amp;" : "&") : "?" }
        var e: [PlaceholderEntry] = []
        func add(_ key: String, _ value: String) { e.append(PlaceholderEntry(key: key, value: .fixed(value))) }
        if usesLists {
            let m = table.marker(.lists(separator: html ? "<br/>" : "\n", none: strings.noListsFound))
            add("lists", m)
        }
        let unsub = urls.unsubscribe
        let textSep = { (url: String) in url.contains("?") ? "&" : "?" }
        if html {
            add("unsubscribe", "<a href=\"\(unsub)\(sep(unsub))uid=\(uid)\">\(strings.unsubscribe)</a>")
            add("unsubscribeurl", "\(unsub)\(sep(unsub))uid=\(uid)")
            add("blacklist", "<a href=\"\(urls.blacklist)\(sep(urls.blacklist))email=\(email)\">\(strings.unsubscribe)</a>")
            add("blacklisturl", "\(urls.blacklist)\(sep(urls.blacklist))email=\(email)")
            add("subscribe", "<a href=\"\(urls.subscribe)\">\(strings.thisLink)</a> ")
            add("subscribeurl", urls.subscribe)
            add("forward", "<a href=\"\(urls.forward)\(sep(urls.forward))uid=\(uid)&amp;mid=\(content.id)\">\(strings.thisLink)</a> ")
            add("forwardurl", "\(urls.forward)\(sep(urls.forward))uid=\(uid)&amp;mid=\(content.id)")
            add("messageid", String(content.id))
            add("forwardform", "")
            add("preferences", "<a href=\"\(urls.preferences)\(sep(urls.preferences))uid=\(uid)\">\(strings.thisLink)</a> ")
            add("preferencesurl", "\(urls.preferences)\(sep(urls.preferences))uid=\(uid)")
            add("confirmationurl", "\(urls.confirmation)\(sep(urls.confirmation))uid=\(uid)")
        } else {
            add("unsubscribe", "\(unsub)\(textSep(unsub))uid=\(uid)")
            add("jumpoff", "\(unsub)\(textSep(unsub))uid=\(uid)&jo=1")
            add("unsubscribeurl", "\(unsub)\(textSep(unsub))uid=\(uid)")
            add("jumpoffurl", "\(unsub)\(textSep(unsub))uid=\(uid)&jo=1")
            add("blacklist", "\(urls.blacklist)\(textSep(urls.blacklist))email=\(email)")
            add("blacklisturl", "\(urls.blacklist)\(textSep(urls.blacklist))email=\(email)")
            add("subscribe", urls.subscribe)
            add("subscribeurl", urls.subscribe + " ")
            add("forward", "\(urls.forward)\(textSep(urls.forward))uid=\(uid)&mid=\(content.id) ")
            add("forwardurl", "\(urls.forward)\(textSep(urls.forward))uid=\(uid)&mid=\(content.id) ")
            add("messageid", String(content.id))
            add("signature", signature)
            add("preferences", "\(urls.preferences)\(textSep(urls.preferences))uid=\(uid)")
            add("preferencesurl", "\(urls.preferences)\(textSep(urls.preferences))uid=\(uid)")
            add("confirmationurl", "\(urls.confirmation)\(textSep(urls.confirmation))uid=\(uid)")
        }
        add("userid", uid)
        add("website", settings.website)
        add("domain", settings.domain)
        add("organisation_name", settings.organisationName)
        add("contacturl", PHPStrings.htmlSpecialChars(urls.vcard))
        add("footer", footer)
        if html { add("signature", signature) }
        add("subject", content.subject)
        for (key, value) in content.adminAttributes { add(key, value) }

        // User table columns (phplist_user_user order for the ones Facteur knows).
        let table = self.table
        e.append(PlaceholderEntry(key: "id", value: .dynamic { _, _ in table.marker(.subscriberID) }))
        e.append(PlaceholderEntry(key: "email", value: .fixed(email)))
        e.append(PlaceholderEntry(key: "uniqid", value: .fixed(uid)))
        let uuidMarker = table.marker(.subscriberUUID)
        e.append(PlaceholderEntry(key: "uuid", value: .fixed(uuidMarker)))
        let htmlEmailMarker = table.marker(.htmlEmail)
        e.append(PlaceholderEntry(key: "htmlemail", value: .fixed(htmlEmailMarker)))
        for column in Self.otherUserColumns {
            e.append(PlaceholderEntry(key: column, value: .dynamic { _, defaultValue in
                table.marker(.column(name: column, ifEmpty: defaultValue))
            }))
        }
        for name in settings.attributeNames where name.utf8.count <= 30 {
            let key = Self.cleanAttributeName(name)
            e.append(PlaceholderEntry(key: key, value: .dynamic { original, defaultValue in
                table.marker(.attribute(name: name, ifAbsent: defaultValue ?? original, ifEmpty: defaultValue))
            }))
        }
        return e
    }

    /// Columns of phplist_user_user usable as placeholders besides id/email/uniqid/uuid/htmlemail.
    static let otherUserColumns = ["confirmed", "blacklisted", "optedin", "bouncecount", "entered", "modified",
                                   "subscribepage", "rssfrequency", "passwordchanged", "disabled", "extradata",
                                   "foreignkey"]

    /// cleanAttributeName: drops ( ) / \ * . so the name works in a pattern.
    static func cleanAttributeName(_ name: String) -> String {
        String(name.unicodeScalars.filter { !"()/\\*.".unicodeScalars.contains($0) })
    }

    // MARK: click tracking

    private static let anchorPattern = PCRE(#"<a (.*?)href=(["'])(.*?)\2([^>]*?)>(.*?)<\/a>"#, "ims")
    private static let textURLPattern = PCRE(#"(https?://[^\s\>\}\,]+)"#, "mis")

    private mutating func trackHTMLLinks(_ html: String) -> String {
        let root = "\(settings.publicScheme)://\(settings.website)\(settings.pageRoot)/lt.php"
        return Self.anchorPattern.replace(html) { m in
            var link = CleanURL.clean(PHPString.trim(m[3]))
            link = PHPString.replace(link, "\"", with: "")
            if link.hasSuffix(".") { link.removeLast() }
            let linktext = PHPString.stripTags(m[5])
            let phishing = PHPString.containsCaseInsensitive(linktext, "https://")
                || PHPString.containsCaseInsensitive(linktext, "http://")
            let isWeb = link.lowercased().hasPrefix("http") || PHPString.containsCaseInsensitive(link, "ftp")
            guard !phishing, isWeb, !PHPString.foundAfterStart(link, root) else { return m.whole }
            let url = CleanURL.clean(link, disallowed: ["PHPSESSID", "uid"])
            let index = addLink(url: url, personalise: PHPString.contains(link, "uid="))
            let tid = table.marker(.htmlTID(link: index))
            return "<a \(m[1])href=\"\(root)?tid=\(tid)\" \(m[4])>\(m[5])</a>"
        }
    }

    private mutating func trackTextLinks(_ text: String) -> String {
        let root = "\(settings.publicScheme)://\(settings.website)\(settings.pageRoot)/lt.php"
        return Self.textURLPattern.replace(text) { m in
            var link = CleanURL.clean(m.whole)
            if link.hasSuffix(".") { link.removeLast() }
            let isWeb = link.lowercased().hasPrefix("http") || PHPString.containsCaseInsensitive(link, "ftp")
            guard isWeb else { return m.whole }
            let url = CleanURL.clean(link, disallowed: ["PHPSESSID", "uid"])
            let index = addLink(url: url, personalise: PHPString.contains(link, "uid="))
            return "\(root)?tid=" + table.marker(.textTID(link: index))
        }
    }

    private mutating func addLink(url: String, personalise: Bool) -> Int {
        if SlotTable.containsMarker(url) {
            links.append(LinkDefinition(fixedURL: nil, urlPieces: table.pieces(url), personalise: personalise))
        } else {
            links.append(LinkDefinition(fixedURL: url, urlPieces: [], personalise: personalise))
        }
        return links.count - 1
    }
}
