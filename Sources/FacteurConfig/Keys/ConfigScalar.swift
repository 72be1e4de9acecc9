/// A value type a scalar configuration key can hold. The same text parser serves the YAML file and
/// the environment, so `true`, `yes` and `1` mean the same in both.
protocol ConfigScalar: Sendable {
    init?(configText: String)
    var configText: String { get }
    /// How an error message names what was expected: "an integer", "one of facteur, phplist".
    static var expectedDescription: String { get }
}

extension String: ConfigScalar {
    init?(configText: String) { self = configText }
    var configText: String { self }
    static var expectedDescription: String { "a string" }
}

extension Int: ConfigScalar {
    init?(configText: String) {
        self.init(configText.trimmingSpaces.filter { $0 != "_" })
    }
    var configText: String { String(self) }
    static var expectedDescription: String { "an integer" }
}

extension Double: ConfigScalar {
    init?(configText: String) {
        guard let value = Double(configText.trimmingSpaces), value.isFinite else { return nil }
        self = value
    }
    var configText: String { self == rounded() ? String(Int(self)) : String(self) }
    static var expectedDescription: String { "a number" }
}

extension Bool: ConfigScalar {
    init?(configText: String) {
        switch configText.trimmingSpaces.lowercased() {
        case "true", "yes", "on", "1": self = true
        case "false", "no", "off", "0": self = false
        default: return nil
        }
    }
    var configText: String { self ? "true" : "false" }
    static var expectedDescription: String { "true or false" }
}

/// Option enums parse from their raw value, case-insensitively.
protocol ConfigOption: ConfigScalar, RawRepresentable<String>, CaseIterable {}

extension ConfigOption {
    init?(configText: String) {
        self.init(rawValue: configText.trimmingSpaces.lowercased())
    }
    var configText: String { rawValue }
    static var expectedDescription: String {
        "one of " + allCases.map(\.rawValue).joined(separator: ", ")
    }
}

extension StartTLSPolicy: ConfigOption {}
extension BouncePolicy: ConfigOption {}
extension BounceOverrideAction: ConfigOption {}
extension LogLevel: ConfigOption {}

extension String {
    var trimmingSpaces: Substring {
        let start = firstIndex(where: { !$0.isWhitespace }) ?? endIndex
        let end = lastIndex(where: { !$0.isWhitespace }).map { index(after: $0) } ?? start
        return self[start..<end]
    }
}

extension Substring {
    func lowercased() -> String { String(self).lowercased() }
}
