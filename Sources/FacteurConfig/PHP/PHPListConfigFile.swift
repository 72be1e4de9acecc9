import Foundation
import PHPList

/// The settings of a PHPList `config.php`, read without running PHP.
///
/// `variables` and `constants` hold every value the reader could evaluate; the typed accessors in
/// `PHPListConfigFile+Settings.swift` apply PHPList 3.6's defaults for what Facteur needs.
public struct PHPListConfigFile: Sendable, Equatable {
    /// The file the settings came from, for messages.
    public var path: String
    /// `$name = value;` assignments, by name without the dollar sign; the last assignment wins.
    public var variables: [String: PHPValue]
    /// `define('NAME', value);` constants; the first definition wins, as in PHP.
    public var constants: [String: PHPValue]
    /// Statements seen but not evaluated (if blocks, function calls…); settings inside them are ignored.
    public var skippedStatements: [PHPSkippedStatement]

    public init(path: String, variables: [String: PHPValue] = [:], constants: [String: PHPValue] = [:],
                skippedStatements: [PHPSkippedStatement] = []) {
        self.path = path
        self.variables = variables
        self.constants = constants
        self.skippedStatements = skippedStatements
    }

    /// Parses PHP source text; `path` is only used in error messages.
    public init(parsing text: String, path: String) throws(PHPConfigError) {
        let tokens = try PHPTokenizer.tokenize(text, file: path)
        var parser = PHPConfigParser(tokens: tokens, file: path)
        try parser.parse()
        self.init(path: path, variables: parser.variables, constants: parser.constants,
                  skippedStatements: parser.skipped)
    }

    /// Reads and parses the file at `path`.
    public init(contentsOfFile path: String) throws(PHPConfigError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(file: path, reason: FileReading.reason(for: error))
        }
        // PHPList installs are old; Latin-1 files exist, and their settings are ASCII anyway.
        let text = String(data: data, encoding: .utf8) ?? String(decoding: data, as: UTF8.self)
        try self.init(parsing: text, path: path)
    }
}
