import NIOConcurrencyHelpers

/// What `SMTPConnection` shows outside the event loop; written by the handler.
final class SMTPConnectionStatus: Sendable {
    struct Value: Sendable {
        var usable = true
        var messagesSent = 0
        var tls = false
        var capabilities = SMTPCapabilities()
    }

    private let box = NIOLockedValueBox(Value())

    var value: Value { box.withLockedValue { $0 } }

    func update(_ body: (inout Value) -> Void) {
        box.withLockedValue { body(&$0) }
    }
}
