import Foundation

/// The files of a PHPList installation as an operator has them for the sample campaign: PHPList's
/// config.php (envelope, attachment folder, manual text part) and a facteur.yaml naming it, the database
/// and one relay `sink`.
public enum InstallationFiles {
    /// Writes both files into `directory` and returns the facteur.yaml path. `relayYAML` adds keys to the
    /// relay (e.g. `max_rate: 100`), `extraYAML` adds top-level sections (e.g. `http:`), each as YAML lines.
    public static func write(into directory: URL, databaseURL: String, relayURL: String, connections: Int = 4,
                             relayYAML: [String] = [], extraYAML: [String] = []) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try """
            <?php
            $message_envelope = 'bounces@example.org';
            $attachment_repository = '\(TestServices.compatFile("phplist-3.6.15/attachments").path)';
            define('USE_MANUAL_TEXT_PART', 1);
            """.write(to: directory.appendingPathComponent("config.php"), atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("facteur.yaml").path
        let lines = [
            "phplist:", "  config_php: config.php",
            "database:", "  url: \(databaseURL)",
            "relays:", "  - name: sink", "    url: \(relayURL)", "    max_connections: \(connections)",
        ] + relayYAML.map { "    " + $0 } + extraYAML
        try (lines.joined(separator: "\n") + "\n").write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }
}
