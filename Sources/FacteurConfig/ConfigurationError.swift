/// Why the configuration could not be loaded. Every case names where to look (file and line, or the
/// environment variable) and never shows a password or token.
public enum ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadableFile(file: String, reason: String)
    case yamlSyntax(file: String, line: Int?, message: String)
    /// A key Facteur does not know: most often a typo, which must not pass silently.
    case unknownKey(file: String, line: Int?, key: String, suggestion: String?)
    case duplicateKey(file: String, line: Int?, key: String, firstLine: Int)
    /// `found` is already safe to show (secrets are described, not quoted).
    case invalidValue(file: String, line: Int?, key: String, expected: String, found: String)
    case invalidEnvironment(variable: String, key: String, expected: String, found: String)
    case phplistConfig(PHPConfigError)
    case noDatabase

    public var description: String {
        switch self {
        case .unreadableFile(let file, let reason):
            return "\(file): cannot read configuration: \(reason)"
        case .yamlSyntax(let file, let line, let message):
            return "\(Self.location(file, line)): not valid YAML: \(message)"
        case .unknownKey(let file, let line, let key, let suggestion):
            return "\(Self.location(file, line)): unknown key '\(key)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .duplicateKey(let file, let line, let key, let firstLine):
            return "\(Self.location(file, line)): key '\(key)' given twice (first at line \(firstLine))"
        case .invalidValue(let file, let line, let key, let expected, let found):
            return "\(Self.location(file, line)): \(key): expected \(expected), found \(found)"
        case .invalidEnvironment(let variable, let key, let expected, let found):
            return "environment variable \(variable) (\(key)): expected \(expected), found \(found)"
        case .phplistConfig(let error):
            return error.description
        case .noDatabase:
            return "no database configured: set database.url or phplist.config_php"
        }
    }

    private static func location(_ file: String, _ line: Int?) -> String {
        line.map { "\(file):\($0)" } ?? file
    }
}
