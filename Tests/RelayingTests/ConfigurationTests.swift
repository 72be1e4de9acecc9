import FacteurConfig
import Foundation
import Testing
@testable import Relaying

/// `throttle.*` and `retry.*` as an operator writes them.
@Suite struct ConfigurationTests {
    static func load(_ yaml: String, environment: [String: String] = [:]) throws -> FacteurConfiguration {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-relaying-\(UUID().uuidString).yaml")
        try Data(yaml.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try FacteurConfiguration.load(configFile: file.path, phplistConfigPath: nil,
                                             environment: environment.merging(["FACTEUR_DATABASE_URL": "mysql://u@127.0.0.1/db"]) { a, _ in a })
    }

    @Test func providersAndRetryKeysLoadAndDriveTheTypes() throws {
        let configuration = try Self.load("""
            throttle:
              start_rate: 25
              providers:
                - name: gmail
                  domains: [gmail.com, googlemail.com, google.example]
                  max_rate: 20
                  max_concurrent: 4
                - name: corporate
                  domains:
                    - example.com
            retry:
              max_age: 86400
              initial_delay: 120
              jitter: 0.1
            """, environment: ["FACTEUR_RETRY_MAX_DELAY": "1800"])
        #expect(configuration.throttle.startRate == 25)
        #expect(configuration.throttle.providers == [
            ProviderConfiguration(name: "gmail", domains: ["gmail.com", "googlemail.com", "google.example"], maxRate: 20, maxConcurrent: 4),
            ProviderConfiguration(name: "corporate", domains: ["example.com"]),
        ])
        #expect(configuration.validate().isEmpty || configuration.validate().allSatisfy { $0.key == "relays" })
        let table = ProviderTable(configured: configuration.throttle.providers)
        #expect(table.provider(forDomain: "google.example") == "gmail")
        #expect(table.limits(of: "gmail")?.maxConcurrent == 4)
        let schedule = RetrySchedule(configuration.retry)
        #expect(schedule == RetrySchedule(maxAge: 86_400, initialDelay: 120, maxDelay: 1_800, jitter: 0.1))
        #expect(configuration.redacted.contains("throttle.providers[0]: { name: gmail, max_rate: 20, max_concurrent: 4, domains: [gmail.com, googlemail.com, google.example] }"))
        #expect(configuration.redacted.contains("retry.max_age: 86400"))
    }

    @Test func badValuesAreReportedWithTheirKeys() throws {
        let configuration = try Self.load("""
            throttle:
              start_rate: 0
              providers:
                - name: a
                  domains: [x.example]
                  max_rate: -1
                - name: b
                  domains: [x.example]
                - name: ""
            retry:
              initial_delay: 600
              max_delay: 60
              jitter: 1.5
            """)
        let keys = Set(configuration.validate().map(\.key))
        for key in ["throttle.start_rate", "throttle.providers[0].max_rate", "throttle.providers[1].domains",
                    "throttle.providers[2].name", "throttle.providers[2].domains", "retry.max_delay", "retry.jitter"] {
            #expect(keys.contains(key), "no problem reported for \(key): \(keys.sorted())")
        }
        #expect(throws: ConfigurationError.self) {
            _ = try Self.load("throttle:\n  providers:\n    - name: a\n      domain: [x.example]\n")
        }
    }
}
