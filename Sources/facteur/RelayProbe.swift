import FacteurConfig
import Logging
import SMTP
import Worker

/// `facteur check`'s look at one relay: a full session (greeting, EHLO, STARTTLS and AUTH as
/// configured), then QUIT. Any failure is a problem named after the relay, never showing credentials.
enum RelayProbe {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func check(_ relay: RelayConfiguration, logger: Logger) async -> Result<String, Problem> {
        let smtp: SMTPRelayConfiguration
        do {
            smtp = try SMTPRelayConfiguration(configured: relay)
        } catch {
            return .failure(Problem(description: "\(error)"))
        }
        do {
            let connection = try await SMTPConnection.connect(to: smtp, logger: logger)
            let capabilities = connection.capabilities
            let tls = connection.isTLSActive ? ", TLS" : ""
            await connection.quit()
            let offered = ["PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8", "DSN", "STARTTLS"].filter(capabilities.supports)
            return .success("relay \(smtp.name) (\(smtp.endpoint)): ready\(tls) [\(offered.joined(separator: " "))]")
        } catch {
            return .failure(Problem(description: "\(error)"))
        }
    }
}
