/// The human-readable part of a bounce: the text of its own text/* parts, not of returned messages.
enum ReportText {
    static func of(_ message: BounceMessage) -> String {
        var texts: [String] = []
        collect(message, into: &texts)
        return texts.joined(separator: "\n")
    }

    private static func collect(_ entity: BounceMessage, into texts: inout [String]) {
        let type = entity.contentType
        if type.isMultipart, !entity.parts.isEmpty {
            // multipart/alternative: the plain variant is enough.
            if type.subtype == "alternative", let plain = entity.parts.first(where: { $0.contentType.mediaType == "text/plain" }) {
                collect(plain, into: &texts)
                return
            }
            for part in entity.parts { collect(part, into: &texts) }
            return
        }
        switch type.mediaType {
        case _ where type.isMultipart: // boundary missing from the body: read it as text
            texts.append(normalizedLines(entity.text))
        case "text/plain", "text/enriched":
            texts.append(normalizedLines(entity.text))
        case "text/html":
            texts.append(normalizedLines(HTMLText.strip(entity.text)))
        case _ where type.type == "text" && !type.subtype.contains("headers"):
            texts.append(normalizedLines(entity.text))
        default:
            break
        }
    }

    /// Uses "\n" only, whatever mixture of line ends the part had.
    static func normalizedLines(_ text: String) -> String {
        guard text.contains("\r") else { return text }
        return text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\r\n" || $0 == "\r" || $0 == "\n" })
            .joined(separator: "\n")
    }
}

/// Crude HTML-to-text for bounces sent only as HTML (Exchange, Outlook.com): drops tags and decodes
/// the few entities that occur in addresses and status texts.
enum HTMLText {
    static func strip(_ html: String) -> String {
        var output = ""
        var inTag = false
        var tagName = ""
        for character in html {
            if character == "<" { inTag = true; tagName = ""; continue }
            if inTag {
                if character == ">" {
                    inTag = false
                    let name = tagName.lowercased()
                    if name.hasPrefix("br") || name.hasPrefix("p") || name.hasPrefix("/p") || name.hasPrefix("div")
                        || name.hasPrefix("/div") || name.hasPrefix("tr") || name.hasPrefix("/tr") || name.hasPrefix("li") {
                        output.append("\n")
                    }
                } else {
                    tagName.append(character)
                }
                continue
            }
            output.append(character)
        }
        return output.replacingEntities()
    }
}

extension String {
    fileprivate func replacingEntities() -> String {
        guard contains("&") else { return self }
        var result = self
        for (entity, replacement) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&")] {
            result = result.replacing(entity, with: replacement)
        }
        return result
    }
}
