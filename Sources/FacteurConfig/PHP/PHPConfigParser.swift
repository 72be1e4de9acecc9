import PHPList

/// Reads the statements a PHPList `config.php` is made of, without running PHP.
///
/// Understood: `$name = value;`, `$name .= value;`, `define('NAME', value);` where value is a literal,
/// an array, a known variable or constant, or `.`/arithmetic of those. Anything else (if blocks, function
/// calls, includes, values computed at run time) is skipped and listed in `skipped`, so a check can say
/// which lines Facteur did not take into account. Only brackets that never close stop the reader.
struct PHPConfigParser {
    private let tokens: [PHPToken]
    private let file: String
    private var index = 0
    private(set) var variables: [String: PHPValue] = [:]
    private(set) var constants: [String: PHPValue] = [:]
    private(set) var skipped: [PHPSkippedStatement] = []

    init(tokens: [PHPToken], file: String) {
        self.tokens = tokens
        self.file = file
    }

    mutating func parse() throws(PHPConfigError) {
        while index < tokens.count {
            let start = index
            if tokens[index].isStatementEnd {
                index += 1
                continue
            }
            if parseAssignment() || parseDefine() {
                continue
            }
            index = start
            try skipStatement()
        }
    }

    // MARK: - Statements

    private var current: PHPToken? { index < tokens.count ? tokens[index] : nil }

    private mutating func take(_ symbol: String) -> Bool {
        guard current?.kind == .symbol(symbol) else { return false }
        index += 1
        return true
    }

    /// `$name = expr;` and `$name .= expr;`
    private mutating func parseAssignment() -> Bool {
        guard case .variable(let name)? = current?.kind else { return false }
        index += 1
        let appends: Bool
        if take("=") {
            appends = false
        } else if take(".=") {
            appends = true
        } else {
            return false
        }
        guard var value = parseExpression(), takeStatementEnd() else { return false }
        if appends {
            guard let left = variables[name]?.stringValue, let right = value.stringValue else { return false }
            value = .string(left + right)
        }
        variables[name] = value
        return true
    }

    /// `define('NAME', expr);` and `define("NAME", expr, true);`
    private mutating func parseDefine() -> Bool {
        guard case .identifier(let word)? = current?.kind, word.lowercased() == "define" else { return false }
        index += 1
        guard take("("), let nameValue = parseExpression(), case .string(let name) = nameValue,
              take(","), let value = parseExpression() else { return false }
        if take(","), parseExpression() == nil { return false }
        guard take(")"), takeStatementEnd() else { return false }
        // PHP keeps the first definition; a second define() of the same name only warns.
        if constants[name] == nil {
            constants[name] = value
        }
        return true
    }

    private mutating func takeStatementEnd() -> Bool {
        if let token = current, token.isStatementEnd {
            index += 1
            return true
        }
        return current == nil
    }

    /// Skips one statement: up to its `;`, or to the `}` closing a block it opened (`if (…) { … }`).
    private mutating func skipStatement() throws(PHPConfigError) {
        guard let first = current else { return }
        var open: [PHPToken] = []
        while let token = current {
            index += 1
            switch token.kind {
            case .symbol("("), .symbol("["), .symbol("{"):
                open.append(token)
            case .symbol(")"), .symbol("]"), .symbol("}"):
                guard let opener = open.popLast() else {
                    throw .syntax(file: file, line: token.line, expected: "a statement, not an unmatched '\(token.summary)'")
                }
                let wanted = Self.closer(of: opener)
                guard token.kind == .symbol(wanted) else {
                    throw .syntax(file: file, line: token.line,
                                  expected: "'\(wanted)' to close the '\(opener.summary)' opened at line \(opener.line), found '\(token.summary)'")
                }
                if open.isEmpty, token.kind == .symbol("}") {
                    record(first)
                    return
                }
            case .symbol(";") where open.isEmpty, .closeTag where open.isEmpty:
                record(first)
                return
            default:
                break
            }
        }
        if let opener = open.last {
            throw .syntax(file: file, line: opener.line,
                          expected: "'\(Self.closer(of: opener))' to close the '\(opener.summary)' opened here")
        }
        record(first)
    }

    private mutating func record(_ first: PHPToken) {
        skipped.append(PHPSkippedStatement(line: first.line, start: first.summary))
    }

    private static func closer(of opener: PHPToken) -> String {
        switch opener.kind {
        case .symbol("("): return ")"
        case .symbol("["): return "]"
        default: return "}"
        }
    }

    // MARK: - Expressions (nil: not something this reader can evaluate)

    private mutating func parseExpression() -> PHPValue? {
        guard var value = parseAdditive() else { return nil }
        while take(".") {
            guard let right = parseAdditive(), let left = value.stringValue, let tail = right.stringValue else { return nil }
            value = .string(left + tail)
        }
        return value
    }

    private mutating func parseAdditive() -> PHPValue? {
        guard var value = parseMultiplicative() else { return nil }
        while let token = current, token.kind == .symbol("+") || token.kind == .symbol("-") {
            index += 1
            guard let right = parseMultiplicative() else { return nil }
            guard let result = Self.arithmetic(token.summary, value, right) else { return nil }
            value = result
        }
        return value
    }

    private mutating func parseMultiplicative() -> PHPValue? {
        guard var value = parseUnary() else { return nil }
        while let token = current, token.kind == .symbol("*") || token.kind == .symbol("/") || token.kind == .symbol("%") {
            index += 1
            guard let right = parseUnary() else { return nil }
            guard let result = Self.arithmetic(token.summary, value, right) else { return nil }
            value = result
        }
        return value
    }

    private mutating func parseUnary() -> PHPValue? {
        if take("-") {
            guard let operand = parseUnary() else { return nil }
            return Self.arithmetic("-", .int(0), operand)
        }
        if take("+") {
            return parseUnary()
        }
        if take("!") {
            guard let operand = parseUnary() else { return nil }
            return .bool(!operand.boolValue)
        }
        return parsePrimary()
    }

    private mutating func parsePrimary() -> PHPValue? {
        guard let token = current else { return nil }
        index += 1
        switch token.kind {
        case .string(let text):
            return .string(text)
        case .interpolated(let parts):
            var text = ""
            for part in parts {
                switch part {
                case .text(let literal): text += literal
                case .variable(let name):
                    guard let value = variables[name]?.stringValue else { return nil }
                    text += value
                case .unknown: return nil
                }
            }
            return .string(text)
        case .int(let value):
            return .int(value)
        case .double(let value):
            return .double(value)
        case .variable(let name):
            return variables[name]
        case .symbol("("):
            guard let value = parseExpression(), take(")") else { return nil }
            return value
        case .symbol("["):
            return parseArrayElements(closer: "]")
        case .identifier(let name):
            switch name.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            case "array":
                guard take("(") else { return nil }
                return parseArrayElements(closer: ")")
            case "php_eol": return .string("\n")
            default:
                // A constant defined earlier in the file; a function call is run-time only.
                if current?.kind == .symbol("(") { return nil }
                return constants[name]
            }
        default:
            return nil
        }
    }

    private mutating func parseArrayElements(closer: String) -> PHPValue? {
        var elements: [PHPArrayElement] = []
        var nextIndex = 0
        while !take(closer) {
            guard let first = parseExpression() else { return nil }
            let key: PHPArrayKey
            let value: PHPValue
            if take("=>") {
                guard let second = parseExpression() else { return nil }
                switch first {
                case .int(let number): key = .int(number)
                case .string(let text): key = Int(text).map(PHPArrayKey.int) ?? .string(text)
                case .bool(let flag): key = .int(flag ? 1 : 0)
                default: return nil
                }
                value = second
            } else {
                key = .int(nextIndex)
                value = first
            }
            if case .int(let number) = key { nextIndex = max(nextIndex, number + 1) }
            elements.removeAll { $0.key == key }
            elements.append(PHPArrayElement(key: key, value: value))
            if !take(",") {
                guard take(closer) else { return nil }
                break
            }
        }
        return .array(elements)
    }

    private static func arithmetic(_ operation: String, _ left: PHPValue, _ right: PHPValue) -> PHPValue? {
        if case .int(let a) = left, case .int(let b) = right {
            switch operation {
            case "+": return .int(a &+ b)
            case "-": return .int(a &- b)
            case "*": return .int(a &* b)
            case "%": return b == 0 ? nil : .int(a % b)
            case "/": return b == 0 ? nil : (a % b == 0 ? .int(a / b) : .double(Double(a) / Double(b)))
            default: return nil
            }
        }
        guard let a = left.numericValue, let b = right.numericValue else { return nil }
        switch operation {
        case "+": return .double(a + b)
        case "-": return .double(a - b)
        case "*": return .double(a * b)
        case "/": return b == 0 ? nil : .double(a / b)
        default: return nil
        }
    }
}

private extension PHPValue {
    var numericValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        case .bool(let value): return value ? 1 : 0
        case .null: return 0
        case .string(let text): return Double(text)
        case .array: return nil
        }
    }
}
