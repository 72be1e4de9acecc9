import FacteurConfig
import SMTP

extension SMTPRelayConfiguration {
    /// The SMTP client's view of a relay from Facteur's configuration (`relays[]`).
    public init(configured relay: RelayConfiguration) throws {
        try self.init(url: relay.url, name: relay.name.isEmpty ? nil : relay.name)
        startTLS = StartTLSMode(rawValue: relay.starttls.rawValue) ?? .opportunistic
        tlsCAFile = relay.tlsCAFile.isEmpty ? nil : relay.tlsCAFile
        tlsVerify = relay.tlsVerify
        messagesPerConnection = relay.messagesPerConnection > 0 ? relay.messagesPerConnection : nil
        if !relay.auth.isEmpty {
            guard let mechanism = SMTPAuthMechanism.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(relay.auth) == .orderedSame }) else {
                throw SMTPError(relay: relay.name, endpoint: nil, kind: .invalidConfiguration(
                    "auth '\(relay.auth)' is not one of plain, login, cram-md5, xoauth2"))
            }
            authMechanism = mechanism
        }
        timeouts.connect = relay.timeoutConnect
        timeouts.greeting = relay.timeoutCommand
        timeouts.mailFrom = relay.timeoutCommand
        timeouts.rcptTo = relay.timeoutCommand
        timeouts.dataInitiation = relay.timeoutDataInitiation
        timeouts.dataBlock = relay.timeoutDataBlock
        timeouts.dataTermination = relay.timeoutDataTermination
        timeouts.idle = relay.timeoutIdle
    }
}
