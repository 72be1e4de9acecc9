import FacteurTesting
import Foundation

/// The files of `scripts/monitoring/`.
enum MonitoringFiles {
    static func url(_ name: String) -> URL {
        TestServices.repositoryRoot.appendingPathComponent("scripts/monitoring").appendingPathComponent(name)
    }

    /// The `facteur_…` names a file's queries use (the dashboard's `expr`s, the rules' `expr`s).
    static func metricNames(in name: String) throws -> Set<String> {
        let text = try String(contentsOf: url(name), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: "facteur_[a-z0-9_]+")
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }
}
