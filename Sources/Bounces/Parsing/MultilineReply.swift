/// A DSN's Diagnostic-Code sometimes keeps only the first line of a multi-line SMTP reply
/// ("550-5.7.1 …"); Sendmail's transcript in the text part has all of it ("<<< 550-5.7.1 …" lines).
enum MultilineReply {
    static func complete(_ diagnostic: String, from context: String) -> String {
        let head = diagnostic.prefix(4)
        guard head.count == 4, head.prefix(3).allSatisfy(\.isNumber), head.last == "-" else { return diagnostic }
        let code = String(head.prefix(3))
        let lines = context.split(separator: "\n").map { String($0).trimmingWhitespace() }
        let needle = diagnostic.trimmingWhitespace()
        let start = lines.firstIndex { ($0.hasPrefix("<<< ") ? String($0.dropFirst(4)) : $0).hasPrefix(needle) }
        guard let start else { return diagnostic }
        var collected: [String] = []
        for line in lines[start...] {
            let text = line.hasPrefix("<<< ") ? String(line.dropFirst(4)) : line
            guard text.hasPrefix(code + "-") || text.hasPrefix(code + " ") else { break }
            collected.append(String(text.dropFirst(4)))
            if text.hasPrefix(code + " ") { break }
        }
        return collected.isEmpty ? diagnostic : code + " " + collected.joined(separator: " ")
    }
}
