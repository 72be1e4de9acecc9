import FacteurTesting
import Foundation
import Testing

/// The Grafana dashboard loads as JSON and the alert rules pass promtool (syntax and their unit tests).
@Suite struct MonitoringFilesTests {
    @Test func dashboardIsGrafanaJSONWithQueries() throws {
        let data = try Data(contentsOf: MonitoringFiles.url("facteur-dashboard.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(dashboard["uid"] as? String == "facteur")
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        #expect(panels.count >= 10)
        for panel in panels {
            let targets = try #require(panel["targets"] as? [[String: Any]], "panel \(panel["title"] ?? "?") has no targets")
            #expect(targets.allSatisfy { ($0["expr"] as? String)?.contains("facteur_") == true })
        }
    }

    @Test func alertRulesPassPromtool() throws {
        guard let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: FileManager.default.isExecutableFile) else {
            if SinkRequirement.isCI {
                Issue.record("promtool is not installed (Debian package prometheus; scripts/services.sh installs it)")
            } else {
                print("SKIPPED alertRulesPassPromtool: promtool not installed (apt-get install prometheus, or scripts/services.sh up)")
            }
            return
        }
        for arguments in [["check", "rules", "facteur-alerts.yml"], ["test", "rules", "facteur-alerts.test.yml"]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: promtool)
            process.arguments = arguments
            process.currentDirectoryURL = MonitoringFiles.url("")
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "promtool \(arguments.joined(separator: " ")):\n\(text)")
        }
    }
}
