/// A statement the reader saw but did not evaluate (an `if` block, a function call, an include…).
public struct PHPSkippedStatement: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    /// The statement's first token (`if`, `include`, `$x`).
    public var start: String

    public var description: String { "line \(line): statement starting with '\(start)' not evaluated" }
}
