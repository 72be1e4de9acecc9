/// Splits a SQL script into statements at `;` outside quotes, backticks and comments, the way the
/// `mariadb` client does for the simple scripts migrations are (no DELIMITER changes).
public enum SQLScript {
    public struct Statement: Sendable, Equatable {
        public let text: String
        /// 1-based line of the statement's first character in the script.
        public let line: Int
    }

    public static func statements(in script: String) -> [Statement] {
        var result: [Statement] = []
        var current = ""
        var startLine = 1
        var line = 1
        var quote: Character?
        var lineComment = false
        var blockComment = false
        var chars = Array(script)
        chars.append("\n")
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "\n" { line += 1 }
            if lineComment {
                if c == "\n" { lineComment = false }
            } else if blockComment {
                if c == "*", next == "/" { blockComment = false; i += 1 }
            } else if let q = quote {
                current.append(c)
                if c == "\\", q != "`", let n = next { current.append(n); i += 1 }
                else if c == q { quote = nil }
            } else if c == "-", next == "-", (i + 2 >= chars.count || chars[i + 2].isWhitespace) {
                lineComment = true
            } else if c == "#" {
                lineComment = true
            } else if c == "/", next == "*" {
                blockComment = true
                i += 1
            } else if c == ";" {
                let text = current.trimmingWhitespace()
                if !text.isEmpty { result.append(Statement(text: text, line: startLine)) }
                current = ""
            } else {
                if current.allSatisfy(\.isWhitespace), !c.isWhitespace { startLine = line - (c == "\n" ? 1 : 0) }
                if c == "'" || c == "\"" || c == "`" { quote = c }
                current.append(c)
            }
            i += 1
        }
        let tail = current.trimmingWhitespace()
        if !tail.isEmpty { result.append(Statement(text: tail, line: startLine)) }
        return result
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
