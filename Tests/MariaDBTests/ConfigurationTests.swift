import MariaDB
import Testing

@Suite struct ConfigurationTests {
    @Test func parsesFullURLWithPercentEncodedCredentials() throws {
        let configuration = try MariaDBConfiguration(url: "mysql://ph%40list:p%3Ass%2Fw@db.example.org:3307/phplist?tls=required&ca=/etc/ca.pem")
        #expect(configuration.user == "ph@list")
        #expect(configuration.password == "p:ss/w")
        #expect(configuration.host == "db.example.org")
        #expect(configuration.port == 3307)
        #expect(configuration.database == "phplist")
        #expect(configuration.tls == .required)
        #expect(configuration.caFile == "/etc/ca.pem")
        #expect(configuration.connectTimeout == 10)
    }

    @Test func appliesDefaults() throws {
        let configuration = try MariaDBConfiguration(url: "mysql://root@127.0.0.1")
        #expect(configuration.port == 3306)
        #expect(configuration.password == nil)
        #expect(configuration.database == nil)
        #expect(configuration.tls == .off)
        #expect(configuration.socket == nil)
    }

    @Test func acceptsUnixSocket() throws {
        let configuration = try MariaDBConfiguration(url: "mysql://phplist:secret@localhost/phplist?socket=/run/mysqld/mysqld.sock")
        #expect(configuration.socket == "/run/mysqld/mysqld.sock")
        #expect(configuration.database == "phplist")
    }

    @Test func redactedNeverShowsThePassword() throws {
        let configuration = try MariaDBConfiguration(url: "mysql://u:topsecret@h:1234/db")
        #expect(configuration.redacted == "mysql://u@h:1234/db")
        #expect(!"\(configuration)".isEmpty)
        #expect(try MariaDBConfiguration(url: configuration.url) == configuration)
    }

    @Test(arguments: [
        ("postgres://u@h/db", "scheme"),
        ("mysql://u:pw@/db", "no host"),
        ("mysql://u@h:99999/db", "out of range"),
        ("mysql://u@h/db/extra", "single database"),
        ("mysql://u@h/db?tls=maybe", "tls must be"),
        ("mysql://u@h/db?colour=blue", "unknown parameter"),
        ("not a url at all", "scheme"),
    ])
    func rejectsBadURLsWithAReason(url: String, reason: String) {
        do {
            _ = try MariaDBConfiguration(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            guard case .invalidURL(_, let message) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(message.contains(reason), "\(message)")
        }
    }

    @Test func badURLErrorHidesThePassword() {
        do {
            _ = try MariaDBConfiguration(url: "mysql://u:hunter2@h:99999/db")
            Issue.record("accepted")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.description.contains("u:***@h"))
        }
    }

    @Test func dateTimeConvertsToAndFromUTC() throws {
        let value = MariaDBDateTime(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 58, microsecond: 250_000)
        #expect(value.sql == "2024-02-29 23:59:58.250000")
        #expect(MariaDBDateTime(date: value.date) == value)
        #expect(MariaDBDateTime(year: 1970, month: 1, day: 1).date.timeIntervalSince1970 == 0)
        #expect(MariaDBDateTime(sql: "1969-12-31 23:59:59")?.date.timeIntervalSince1970 == -1)
        #expect(MariaDBDateTime(sql: "2026-11-29") == MariaDBDateTime(year: 2026, month: 11, day: 29))
        #expect(MariaDBDateTime(sql: "2026-11-29 7:00") == nil)
    }
}
