/// Splits a PHP file into tokens. Text outside `<?php … ?>` is skipped, as are comments.
///
/// It only fails where PHP itself would refuse the file in a way that makes the rest unreadable:
/// an unterminated string, comment or heredoc. Each error names the line where the construct began,
/// which is where an operator has to look.
struct PHPTokenizer {
    private let bytes: [UInt8]
    private let file: String
    private var position = 0
    private var line = 1
    private var tokens: [PHPToken] = []

    init(text: String, file: String) {
        self.bytes = Array(text.utf8)
        self.file = file
    }

    static func tokenize(_ text: String, file: String) throws(PHPConfigError) -> [PHPToken] {
        var tokenizer = PHPTokenizer(text: text, file: file)
        try tokenizer.run()
        return tokenizer.tokens
    }

    private mutating func run() throws(PHPConfigError) {
        skipInlineHTML()
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                position += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0B, 0x0C:
                position += 1
            case UInt8(ascii: "#"):
                skipLineComment()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                skipLineComment()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                try skipBlockComment()
            case UInt8(ascii: "?") where peek(1) == UInt8(ascii: ">"):
                emit(.closeTag)
                position += 2
                // PHP swallows a single newline right after the closing tag.
                if peek(0) == UInt8(ascii: "\r") { position += 1 }
                if peek(0) == UInt8(ascii: "\n") { position += 1; line += 1 }
                skipInlineHTML()
            case UInt8(ascii: "'"):
                try readSingleQuoted()
            case UInt8(ascii: "\""):
                try readDoubleQuoted()
            case UInt8(ascii: "<") where starts(with: "<<<"):
                try readHeredoc()
            case UInt8(ascii: "$") where isIdentifierStart(peek(1)):
                position += 1
                emit(.variable(readIdentifier()))
            case _ where isDigit(byte),
                 UInt8(ascii: ".") where isDigit(peek(1)):
                readNumber()
            case _ where isIdentifierStart(byte) || byte == UInt8(ascii: "\\"):
                emit(.identifier(readIdentifier()))
            default:
                readSymbol()
            }
        }
    }

    // MARK: - Helpers

    private func peek(_ offset: Int) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    private func starts(with text: String) -> Bool {
        let pattern = Array(text.utf8)
        guard position + pattern.count <= bytes.count else { return false }
        return Array(bytes[position..<position + pattern.count]) == pattern
    }

    private func startsCaseInsensitive(with text: String) -> Bool {
        let pattern = Array(text.lowercased().utf8)
        guard position + pattern.count <= bytes.count else { return false }
        return bytes[position..<position + pattern.count].map(lowercased) == pattern
    }

    private func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }

    private func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= 48 && byte <= 57
    }

    private func isIdentifierStart(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 || byte >= 0x80
    }

    private func isIdentifierPart(_ byte: UInt8?) -> Bool {
        isIdentifierStart(byte) || isDigit(byte)
    }

    private mutating func emit(_ kind: PHPToken.Kind, line: Int? = nil) {
        tokens.append(PHPToken(kind: kind, line: line ?? self.line))
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    // MARK: - Outside PHP

    /// Skips text up to and including the next opening tag (`<?php`, `<?=` or `<?`).
    private mutating func skipInlineHTML() {
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: "\n") { line += 1 }
            if bytes[position] == UInt8(ascii: "<"), peek(1) == UInt8(ascii: "?") {
                position += 2
                if startsCaseInsensitive(with: "php") {
                    position += 3
                } else if peek(0) == UInt8(ascii: "=") {
                    position += 1
                }
                return
            }
            position += 1
        }
    }

    // MARK: - Comments

    private mutating func skipLineComment() {
        while position < bytes.count, bytes[position] != UInt8(ascii: "\n") {
            // A line comment ends at `?>` too, as in PHP.
            if bytes[position] == UInt8(ascii: "?"), peek(1) == UInt8(ascii: ">") { return }
            position += 1
        }
    }

    private mutating func skipBlockComment() throws(PHPConfigError) {
        let startLine = line
        position += 2
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
                position += 2
                return
            }
            if bytes[position] == UInt8(ascii: "\n") { line += 1 }
            position += 1
        }
        throw .syntax(file: file, line: startLine, expected: "'*/' to close the comment that starts here")
    }

    // MARK: - Names, numbers, symbols

    private mutating func readIdentifier() -> String {
        let start = position
        while position < bytes.count, isIdentifierPart(bytes[position]) || bytes[position] == UInt8(ascii: "\\") {
            position += 1
        }
        return text(start..<position)
    }

    private mutating func readNumber() {
        let start = position
        if bytes[position] == UInt8(ascii: "0"), let marker = peek(1).map(lowercased),
           marker == UInt8(ascii: "x") || marker == UInt8(ascii: "b") || marker == UInt8(ascii: "o") {
            position += 2
            while position < bytes.count, isIdentifierPart(bytes[position]) { position += 1 }
            let digits = text(start + 2..<position).filter { $0 != "_" }
            let radix = marker == UInt8(ascii: "x") ? 16 : marker == UInt8(ascii: "b") ? 2 : 8
            emit(.int(Int(digits, radix: radix) ?? 0))
            return
        }
        var isFloat = false
        while position < bytes.count {
            let byte = bytes[position]
            if isDigit(byte) || byte == UInt8(ascii: "_") {
                position += 1
            } else if byte == UInt8(ascii: "."), !isFloat, isDigit(peek(1)) || !isIdentifierStart(peek(1)) {
                // `1.5` and `1.` are floats; `1 . 'x'` has spaces, so `.` directly after digits is a float point.
                isFloat = true
                position += 1
            } else if lowercased(byte) == UInt8(ascii: "e"),
                      isDigit(peek(1)) || ((peek(1) == UInt8(ascii: "-") || peek(1) == UInt8(ascii: "+")) && isDigit(peek(2))) {
                isFloat = true
                position += 2
            } else {
                break
            }
        }
        let literal = text(start..<position).filter { $0 != "_" }
        if !isFloat, literal.count > 1, literal.hasPrefix("0"), let octal = Int(literal.dropFirst(), radix: 8) {
            emit(.int(octal))
        } else if !isFloat, let value = Int(literal) {
            emit(.int(value))
        } else {
            emit(.double(Double(literal) ?? 0))
        }
    }

    private static let multiByteSymbols = ["===", "!==", "<=>", "**=", "...", "??=",
                                           "=>", ".=", "==", "!=", "<>", "<=", ">=", "&&", "||", "??",
                                           "::", "->", "++", "--", "+=", "-=", "*=", "/=", "**", "<<", ">>"]

    private mutating func readSymbol() {
        for symbol in Self.multiByteSymbols where starts(with: symbol) {
            emit(.symbol(symbol))
            position += symbol.utf8.count
            return
        }
        emit(.symbol(String(decoding: [bytes[position]], as: UTF8.self)))
        position += 1
    }

    // MARK: - Strings

    private mutating func readSingleQuoted() throws(PHPConfigError) {
        let startLine = line
        position += 1
        var value: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "'") {
                position += 1
                emit(.string(String(decoding: value, as: UTF8.self)), line: startLine)
                return
            }
            if byte == UInt8(ascii: "\\"), let next = peek(1), next == UInt8(ascii: "'") || next == UInt8(ascii: "\\") {
                value.append(next)
                position += 2
                continue
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            value.append(byte)
            position += 1
        }
        throw .syntax(file: file, line: startLine, expected: "a closing ' for the string that starts here")
    }

    private mutating func readDoubleQuoted() throws(PHPConfigError) {
        let startLine = line
        position += 1
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\\") {
                if peek(1) == UInt8(ascii: "\n") { line += 1 }
                position += 2
                continue
            }
            if byte == UInt8(ascii: "\"") {
                let body = Array(bytes[start..<position])
                position += 1
                emit(.interpolated(PHPInterpolation.parts(of: body, escapesQuote: true)), line: startLine)
                return
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            position += 1
        }
        throw .syntax(file: file, line: startLine, expected: "a closing \" for the string that starts here")
    }

    /// `<<<ID`, `<<<"ID"` (heredoc, interpolated) and `<<<'ID'` (nowdoc, literal), with PHP 7.3's
    /// indented closing marker whose indentation is removed from every line.
    private mutating func readHeredoc() throws(PHPConfigError) {
        let startLine = line
        position += 3
        while peek(0) == UInt8(ascii: " ") || peek(0) == UInt8(ascii: "\t") { position += 1 }
        var isNowdoc = false
        var quote: UInt8?
        if peek(0) == UInt8(ascii: "'") || peek(0) == UInt8(ascii: "\"") {
            isNowdoc = peek(0) == UInt8(ascii: "'")
            quote = peek(0)
            position += 1
        }
        let label = readIdentifier()
        if let quote, peek(0) == quote { position += 1 }
        guard !label.isEmpty else {
            throw .syntax(file: file, line: startLine, expected: "a heredoc label after '<<<'")
        }
        // Skip to the end of the opening line.
        while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
        guard position < bytes.count else {
            throw .syntax(file: file, line: startLine, expected: "the heredoc body and its closing '\(label)'")
        }
        position += 1
        line += 1
        var lines: [[UInt8]] = []
        while position < bytes.count {
            var end = position
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let current = Array(bytes[position..<end])
            let indentation = current.prefix(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            let rest = current.dropFirst(indentation.count)
            let labelBytes = Array(label.utf8)
            if rest.starts(with: labelBytes), !isIdentifierPart(rest.dropFirst(labelBytes.count).first) {
                // Closing marker: the statement continues right after the label on this line.
                position += indentation.count + labelBytes.count
                let body = lines.map { Array($0.dropFirst(min(indentation.count, $0.prefix(while: { $0 == 32 || $0 == 9 }).count))) }
                let joined = Array(body.joined(separator: [UInt8(ascii: "\n")]))
                if isNowdoc {
                    emit(.string(String(decoding: joined, as: UTF8.self)), line: startLine)
                } else {
                    emit(.interpolated(PHPInterpolation.parts(of: joined, escapesQuote: false)), line: startLine)
                }
                return
            }
            lines.append(current)
            position = min(end + 1, bytes.count)
            if end < bytes.count { line += 1 }
        }
        throw .syntax(file: file, line: startLine, expected: "the closing '\(label)' of the heredoc that starts here")
    }
}
