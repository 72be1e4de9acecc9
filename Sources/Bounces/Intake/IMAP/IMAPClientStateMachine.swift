/// The IMAP client's protocol state, free of I/O: it is fed the server's bytes and told which
/// command to send, and answers with events — bytes to send (a literal after `+`), a finished
/// command with the untagged responses it produced, the greeting, a BYE. One command at a time:
/// a bounce reader never needs more, and it keeps every untagged response tied to its command.
public struct IMAPClientStateMachine: Sendable {
    public enum Event: Sendable, Equatable {
        case greeting(IMAPStatusResponse)
        /// Send these bytes now (the next part of a command, after the server's `+`).
        case send([UInt8])
        case completed(IMAPCompletion)
        /// The server is closing the connection (`* BYE`).
        case bye(String)
    }

    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        case notReady(String)
        case unexpected(String)
        case parse(IMAPResponseParser.Error)

        public var description: String {
            switch self {
            case .notReady(let reason): reason
            case .unexpected(let response): "unexpected response: \(response)"
            case .parse(let error): error.description
            }
        }
    }

    private struct InFlight: Sendable {
        var tag: String
        var command: String
        var remainingParts: ArraySlice<[UInt8]>
        var untagged: [IMAPUntagged] = []
    }

    private var parser = IMAPResponseParser()
    private var greeted = false
    private var inFlight: InFlight?
    private var tagNumber = 0
    /// What the server announced last (greeting code, CAPABILITY response or a tagged OK's code).
    public private(set) var capabilities: Set<String> = []

    public init() {}

    public var isReady: Bool { greeted && inFlight == nil }

    /// Bytes that arrived but belong to no response yet: must be none when TLS starts.
    public var hasBufferedBytes: Bool { parser.hasBufferedBytes }

    /// Starts `command`; returns the bytes to send now (up to its first literal).
    public mutating func send(_ command: IMAPCommand) throws(Error) -> [UInt8] {
        guard greeted else { throw .notReady("no greeting from the server yet") }
        if let inFlight { throw .notReady("\(inFlight.command) is still running") }
        tagNumber += 1
        let tag = "F\(tagNumber)"
        let parts = command.parts(tag: tag)
        inFlight = InFlight(tag: tag, command: command.name, remainingParts: parts.dropFirst())
        return parts[0]
    }

    /// TLS is now under the session: what was announced before it no longer counts (RFC 9051 §6.2.1).
    public mutating func tlsStarted() {
        capabilities = []
    }

    public mutating func receive(_ bytes: some Sequence<UInt8>) throws(Error) -> [Event] {
        parser.append(bytes)
        var events: [Event] = []
        while true {
            let response: IMAPResponse?
            do {
                response = try parser.next()
            } catch {
                throw .parse(error)
            }
            guard let response else { return events }
            if let event = try handle(response) { events.append(event) }
        }
    }

    private mutating func handle(_ response: IMAPResponse) throws(Error) -> Event? {
        switch response {
        case .untagged(.status(let status)) where !greeted:
            guard status.status != .bye else { return .bye(status.text) }
            greeted = true
            if let announced = status.capabilities { capabilities = announced }
            return .greeting(status)
        case .untagged(.status(let status)) where status.status == .bye:
            return .bye(status.text)
        case .untagged(let untagged):
            if case .capability(let announced) = untagged { capabilities = announced }
            inFlight?.untagged.append(untagged)
            return nil
        case .continuation(let text):
            guard var current = inFlight, let next = current.remainingParts.popFirst() else {
                throw .unexpected("+ \(text)")
            }
            inFlight = current
            return .send(next)
        case .tagged(let tag, let status):
            guard let current = inFlight, current.tag == tag else { throw .unexpected("\(tag) \(status)") }
            inFlight = nil
            if status.status == .ok, let announced = status.capabilities { capabilities = announced }
            return .completed(IMAPCompletion(command: current.command, status: status, untagged: current.untagged))
        }
    }
}

/// A finished command: its tagged status and the untagged responses that came before it.
public struct IMAPCompletion: Sendable, Equatable {
    public var command: String
    public var status: IMAPStatusResponse
    public var untagged: [IMAPUntagged]

    public var isOK: Bool { status.status == .ok }
}
