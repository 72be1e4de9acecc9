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
    }
}
