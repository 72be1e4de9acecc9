import FacteurTesting
import Foundation
@testable import FacteurConfig

/// A fresh directory per test for YAML and PHP files; removed when the value goes away.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}

/// The reference files PHPList produced, in compat/ (one copy for every test target).
enum Fixtures {
    static func path(_ name: String) throws -> String {
        TestServices.compatFile("phplist-3.6.15/\(name)").path
    }
}

/// Loads YAML text as if it were a file, without PHPList or environment.
func loadYAML(_ yaml: String, environment: [String: String] = [:]) throws -> FacteurConfiguration {
    let directory = try ScratchDirectory()
    let path = try directory.write("facteur.yaml", yaml)
    return try FacteurConfiguration.load(configFile: path, phplistConfigPath: nil, environment: environment)
}

/// The error `body` throws, or nil.
func configurationError(_ body: () throws -> Void) -> ConfigurationError? {
    do {
        try body()
        return nil
    } catch let error as ConfigurationError {
        return error
    } catch {
        return nil
    }
}
