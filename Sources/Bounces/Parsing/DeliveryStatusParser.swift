import SMTP

/// RFC 3464 message/delivery-status bodies: per-message fields, then one group of fields per recipient.
enum DeliveryStatusParser {
    struct Entry {
        var finalRecipient: String?
        var originalRecipient: String?
        var action: BouncedRecipient.Action = .unknown
        var status: EnhancedStatus?
        var statusText: String?
        var diagnostic: String = ""
        /// RFC 3464 diagnostic-type ("smtp", "x-unix" for a local delivery program's exit status).
        var diagnosticType: String = ""
        var remoteMTA: String?
        var address: String? { finalRecipient ?? originalRecipient }

        /// The parenthesised comment after the code in a Status field, if any.
        var statusComment: String? {
            guard let text = statusText, let open = text.firstIndex(of: "(") else { return nil }
            let comment = String(text[text.index(after: open)...]).trimming(" )")
            return comment.isEmpty ? nil : comment
        }
    }

    static func parse(_ body: [UInt8]) -> [Entry] {
        // Field groups are separated by blank lines (RFC 3464 §2.1); a marker field closes the group so
        // that groups without the blank line between them are still told apart.
        var fields: [HeaderField] = []
        for block in blocks(body) {
            fields.append(contentsOf: HeaderSectionParser.parseFields(block))
            fields.append(HeaderField(name: groupEnd, rawValue: ""))
        }
        var entries: [Entry] = []
        var current = Entry()
        var currentHasFields = false
        func finish() {
            if currentHasFields, current.address != nil { entries.append(current) }
            current = Entry()
            currentHasFields = false
        }
        for field in fields {
            let value = field.value
            switch field.name.lowercased() {
            case groupEnd:
                finish()
            case "final-recipient":
                if current.finalRecipient != nil { finish() }
                current.finalRecipient = address(from: value)
                currentHasFields = true
            case "original-recipient":
                if current.originalRecipient != nil { finish() }
                current.originalRecipient = address(from: value)
                currentHasFields = true
            case "x-actual-recipient":
                if current.finalRecipient == nil { current.finalRecipient = address(from: value) }
            case "action":
                let word = value.lowercased().split(whereSeparator: { $0 == " " || $0 == "(" }).first.map(String.init) ?? ""
                current.action = BouncedRecipient.Action(rawValue: word) ?? (word.hasPrefix("fail") ? .failed : .unknown)
                currentHasFields = true
            case "status":
                current.statusText = value
                let token = value.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == "\t" }).first.map(String.init) ?? ""
                current.status = EnhancedStatus(token) ?? EnhancedStatus.first(in: value)
                currentHasFields = true
            case "diagnostic-code":
                current.diagnostic = stripTypePrefix(value)
                if let semicolon = value.firstIndex(of: ";") {
                    current.diagnosticType = String(value[..<semicolon]).trimmingWhitespace().lowercased()
                }
                currentHasFields = true
            case "remote-mta":
                current.remoteMTA = stripTypePrefix(value)
            default:
                break
            }
        }
        finish()
        return entries
    }

    private static let groupEnd = "\u{0}group-end"

    private static func blocks(_ body: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        for line in ByteLines.split(body[...]) where line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            result.append(body[start..<line.startIndex])
            start = line.endIndex
        }
        result.append(body[start..<body.endIndex])
        return result
    }

    /// "rfc822; <a@b>" → "a@b".
    static func address(from value: String) -> String? {
        let stripped = stripTypePrefix(value)
        if let found = AddressExtractor.firstAddress(in: stripped) { return found }
        let bare = stripped.trimming(" <>\"")
        return bare.isEmpty ? nil : bare
    }

    /// Removes an RFC 3464 type label ("smtp;", "rfc822;", "dns;", "X-Unix;").
    static func stripTypePrefix(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value.trimmingWhitespace() }
        let label = value[..<semicolon]
        guard label.count <= 20, !label.contains(" ") else { return value.trimmingWhitespace() }
        return String(value[value.index(after: semicolon)...]).trimmingWhitespace()
    }
}

extension String {
    func trimming(_ set: String) -> String {
        let unwanted = Set(set.unicodeScalars)
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !unwanted.contains($0) }),
              let last = scalars.lastIndex(where: { !unwanted.contains($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
