import FacteurConfig
import Foundation
import SMTP
import Testing
import Worker

/// A relay's AUTH mechanism and RFC 5321 timeouts, written in facteur.yaml, reach the SMTP client.
@Suite struct RelayConfigurationMappingTests {
    private func load(_ yaml: String) throws -> FacteurConfiguration {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("facteur-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try FacteurConfiguration.load(configFile: file.path, phplistConfigPath: nil, environment: [:])
    }

    @Test func authAndTimeoutsFromTheFile() throws {
        let configuration = try load("""
            database:
              url: mysql://root@127.0.0.1/phplist
            relays:
              - name: relay-a
                url: smtp://user:secret@127.0.0.1:2525
                auth: cram-md5
                timeout_connect: 5
                timeout_command: 60
                timeout_data_initiation: 30
                timeout_data_block: 45
                timeout_data_termination: 90
                timeout_idle: 20
            """)
        #expect(configuration.validate().filter { $0.severity == .error }.isEmpty)
        let smtp = try SMTPRelayConfiguration(configured: configuration.relays[0])
        #expect(smtp.authMechanism == .cramMD5)
        #expect(smtp.timeouts.connect == 5)
        #expect(smtp.timeouts.seconds(for: .ehlo) == 60)
        #expect(smtp.timeouts.seconds(for: .rcptTo) == 60)
        #expect(smtp.timeouts.seconds(for: .dataInitiation) == 30)
        #expect(smtp.timeouts.seconds(for: .dataBlock) == 45)
        #expect(smtp.timeouts.seconds(for: .dataTermination) == 90)
        #expect(smtp.timeouts.seconds(for: .idle) == 20)
    }

    @Test func badAuthAndTimeoutsAreNamed() throws {
        let configuration = try load("""
            database:
              url: mysql://root@127.0.0.1/phplist
            relays:
              - name: relay-a
                url: smtp://127.0.0.1:2525
                auth: kerberos
                timeout_data_termination: 0
            """)
        let errors = configuration.validate().filter { $0.severity == .error }.map { "\($0)" }
        #expect(errors.contains { $0.contains("auth must be plain, login, cram-md5 or xoauth2, found 'kerberos'") })
        #expect(errors.contains { $0.contains("timeout_data_termination must be a number of seconds greater than 0") })
        #expect(throws: SMTPError.self) { try SMTPRelayConfiguration(configured: configuration.relays[0]) }
    }
}
