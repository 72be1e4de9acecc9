/// One finding of `FacteurConfiguration.validate()`, printed by `facteur check` on one line.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        /// Facteur would misbehave or refuse to start.
        case error
        /// Probably not what the operator meant, but workable.
        case warning
    }

    public var severity: Severity
    /// The key the problem is about ("compose.verp", "relays[1].weight").
    public var key: String
    /// A sentence naming the key, the value (never a secret) and the consequence.
    public var message: String

    public init(_ severity: Severity, key: String, _ message: String) {
        self.severity = severity
        self.key = key
        self.message = message
    }

    public var description: String { "\(severity.rawValue): \(message)" }
}
