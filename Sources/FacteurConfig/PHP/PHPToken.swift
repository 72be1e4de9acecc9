/// One lexical token of a PHP source file, as much as a configuration reader needs.
struct PHPToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// `$name`, without the dollar sign.
        case variable(String)
        /// A bare name: `define`, `true`, `if`, a constant, a function.
        case identifier(String)
        /// A single-quoted string or nowdoc: no interpolation left to do.
        case string(String)
        /// A double-quoted string or heredoc: text and `$variables` to substitute when evaluated.
        case interpolated([PHPStringPart])
        case int(Int)
        case double(Double)
        /// Operators and punctuation: `=`, `;`, `(`, `=>`, `.=`, …
        case symbol(String)
        /// `?>`: ends PHP mode and, like in PHP, ends the current statement.
        case closeTag
    }

    var kind: Kind
    var line: Int

    var isStatementEnd: Bool {
        kind == .symbol(";") || kind == .closeTag
    }

    /// Short text for diagnostics ("if", "$x", "'…'").
    var summary: String {
        switch kind {
        case .variable(let name): return "$" + name
        case .identifier(let name): return name
        case .string, .interpolated: return "a string"
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .symbol(let symbol): return symbol
        case .closeTag: return "?>"
        }
    }
}

/// A piece of a double-quoted string: literal text, a `$variable`, or something only PHP could evaluate.
enum PHPStringPart: Sendable, Equatable {
    case text(String)
    case variable(String)
    /// `{$a->b}` and the like: the string's value is unknown to this reader.
    case unknown
}
