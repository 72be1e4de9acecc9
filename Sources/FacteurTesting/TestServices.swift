import Foundation
import MariaDB

/// The real services tests run against, located through environment variables
/// (`eval "$(scripts/services.sh env)"` sets them; the defaults match `scripts/services.sh up`).
public enum TestServices {
    /// `FACTEUR_TEST_MYSQL_URL`, default `mysql://root@127.0.0.1:13306`.
    public static var mysqlURL: String {
        ProcessInfo.processInfo.environment["FACTEUR_TEST_MYSQL_URL"] ?? "mysql://root@127.0.0.1:13306"
    }

    /// The test server's configuration, after checking that it answers. When it does not, the error
    /// says how to start it; under CI (`CI` set) the message says the CI set-up is broken.
    /// Either way the test fails visibly: nothing is skipped silently.
    public static func requireMySQL() throws -> MariaDBConfiguration {
        let configuration = try MariaDBConfiguration(url: mysqlURL)
        var probe = configuration
        probe.connectTimeout = min(configuration.connectTimeout, 5)
        do {
            _ = try MariaDBConnection(configuration: probe)
        } catch {
            throw ServiceUnavailable(service: "MariaDB", target: configuration.redacted, underlying: error.description)
        }
        return configuration
    }

    /// The package root: the first directory above this source file holding `Package.swift`.
    public static var repositoryRoot: URL {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        fatalError("no Package.swift above \(#filePath)")
    }

    /// A file under `compat/` (PHPList reference data), e.g. `phplist-3.6.15/schema-3.6.15.sql`.
    public static func compatFile(_ relative: String) -> URL {
        repositoryRoot.appendingPathComponent("compat").appendingPathComponent(relative)
    }

    static var isCI: Bool {
        ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false
    }
}

/// A service a test needs does not answer.
public struct ServiceUnavailable: Error, CustomStringConvertible, Sendable {
    public let service: String
    public let target: String
    public let underlying: String

    public init(service: String, target: String, underlying: String) {
        self.service = service
        self.target = target
        self.underlying = underlying
    }

    public var description: String {
        if TestServices.isCI {
            return "\(service) is not reachable at \(target) under CI (\(underlying)): .ci/run must start it "
                + "with scripts/services.sh up before the tests"
        }
        return "\(service) is not reachable at \(target) (\(underlying)). Start the test services with "
            + "`scripts/services.sh up`, then `eval \"$(scripts/services.sh env)\"`"
    }
}
