import FacteurConfig
import Foundation
import Logging
import MariaDB
import PHPList

/// What every command that touches the installation needs: the merged configuration and a
/// connection pool to PHPList's database under the configured prefixes.
struct Runtime {
    let configuration: FacteurConfiguration
    let logger: Logger

    static func load(_ options: GlobalOptions) throws -> Runtime {
        let environment = ProcessInfo.processInfo.environment
        let configuration: FacteurConfiguration
        do {
            configuration = try FacteurConfiguration.load(
                configFile: options.config ?? environment["FACTEUR_CONFIG"],
                phplistConfigPath: options.phplistConfig,
                environment: environment
            )
        } catch {
            Console.problem("\(error)")
            throw ReportedFailure()
        }
        var logger = Logger(label: "facteur")
        logger.logLevel = Logger.Level(rawValue: options.logLevel ?? configuration.logging.level.rawValue) ?? .info
        return Runtime(configuration: configuration, logger: logger)
    }

    func databaseConfiguration() throws -> MariaDBConfiguration {
        do {
            return try MariaDBConfiguration(url: configuration.database.url)
        } catch {
            Console.problem("database.url: \(error)")
            throw ReportedFailure()
        }
    }

    func makePool() throws -> MariaDBPool {
        MariaDBPool(
            configuration: try databaseConfiguration(),
            maxConnections: configuration.database.maxConnections,
            logger: logger
        )
    }

    var tables: TableNames {
        TableNames(prefix: configuration.database.tablePrefix, userPrefix: configuration.database.userTablePrefix)
    }
}
