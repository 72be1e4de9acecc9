/// Why a PHPList `config.php` could not be read. Names the file (and line) so an operator can open it there.
public enum PHPConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or is not UTF-8 text.
    case unreadable(file: String, reason: String)
    /// The file is not PHP this reader can follow; `expected` says what was missing, in words.
    case syntax(file: String, line: Int, expected: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read PHPList configuration: \(reason)"
        case .syntax(let file, let line, let expected):
            return "\(file):\(line): expected \(expected)"
        }
    }
}
