import Logging
import NIOCore
import NIOPosix

/// A bounce mailbox on a POP3 server (`pop3://` with STLS as configured, or `pop3s://`).
/// POP3 has no flags or folders: `delete` sends `DELE`, which the server applies only at `QUIT`
/// (in `close()`); every other disposition leaves the message and records its UIDL in the
/// kept-message ledger, so it is not fetched again. Without a ledger, kept messages come back
/// next session. Calls are made one at a time.
public actor POP3Mailbox: BounceMailbox {
    public nonisolated let key: String
    private let endpoint: MailboxEndpoint
    private let ledger: (any KeptMessageLedger)?
    private let logger: Logger
    private var transport: MailTransport?
    private var machine = POP3ClientStateMachine()
    private var capabilities: Set<String> = []
    /// The maildrop as listed at login (POP3 fixes it for the session): message number and UIDL.
    private var listing: [(number: Int, uidl: String)] = []
    private var numbers: [String: Int] = [:]
    private var returned: Set<String> = []
    private var deleted: Set<String> = []

    private init(endpoint: MailboxEndpoint, ledger: (any KeptMessageLedger)?, logger: Logger) {
        self.key = endpoint.key
        self.endpoint = endpoint
        self.ledger = ledger
        var logger = logger
        logger[metadataKey: "mailbox"] = "\(endpoint.key)"
        self.logger = logger
    }

    /// Connects, upgrades to TLS as configured, logs in with USER/PASS and lists UIDLs.
    public static func open(_ endpoint: MailboxEndpoint, ledger: (any KeptMessageLedger)? = nil,
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                            logger: Logger = Logger(label: "facteur.bounces.pop3")) async throws(MailboxError) -> POP3Mailbox {
        precondition(endpoint.kind == .pop3, "POP3Mailbox needs a pop3:// or pop3s:// endpoint")
        let mailbox = POP3Mailbox(endpoint: endpoint, ledger: ledger, logger: logger)
        do {
            try await mailbox.start(eventLoopGroup: eventLoopGroup)
        } catch {
            await mailbox.closeTransport()
            throw error
        }
        return mailbox
    }

    public var isTLS: Bool { transport?.isTLS ?? false }
    /// Messages in the maildrop at login.
    public var messageCount: Int { listing.count }

    private func start(eventLoopGroup: any EventLoopGroup) async throws(MailboxError) {
        let transport = try await MailTransport.connect(to: endpoint, eventLoopGroup: eventLoopGroup, logger: logger)
        self.transport = transport
        let greeting = try await readGreeting()
        guard greeting.ok else { throw error(.connectFailed("server refused the session: \(greeting)")) }
        try await readCapabilities()
        if !transport.isTLS, endpoint.startTLS != .off {
            if capabilities.contains("STLS") {
                try await run(.stls)
                guard !machine.hasBufferedBytes else { throw error(.tlsFailed("the server sent data after its STLS answer")) }
                try await transport.startTLS()
                try await readCapabilities()
            } else if endpoint.startTLS == .required {
                throw error(.tlsUnavailable)
            } else {
                logger.warning("bounce mailbox \(key): the server offers no STLS; logging in without TLS")
            }
        }
        let user = try await execute(.user(endpoint.user))
        guard user.ok else { throw error(.authenticationFailed(user.description)) }
        let pass = try await execute(.pass(endpoint.password))
        guard pass.ok else { throw error(.authenticationFailed(pass.description)) }
        let uidl = try await run(.uidl)
        for line in uidl.lines {
            let fields = line.split(separator: " ", maxSplits: 1)
            guard fields.count == 2, let number = Int(fields[0]) else {
                throw error(.protocolError("UIDL line \"\(line)\""))
            }
            listing.append((number, String(fields[1])))
            numbers[String(fields[1])] = number
        }
        logger.debug("POP3 maildrop listed", metadata: ["messages": "\(listing.count)", "tls": "\(transport.isTLS)"])
    }

    public func fetch(limit: Int) async throws -> [MailboxMessage] {
        guard limit > 0 else { return [] }
        let kept = try await ledger?.keptIDs(mailbox: key) ?? []
        var messages: [MailboxMessage] = []
        for entry in listing where messages.count < limit {
            guard !returned.contains(entry.uidl), !kept.contains(entry.uidl) else { continue }
            let reply = try await run(.retr(entry.number))
            returned.insert(entry.uidl)
            messages.append(MailboxMessage(id: .init(entry.uidl), bytes: reply.data ?? [], receivedFrom: key))
        }
        return messages
    }

    public func finish(_ id: MailboxMessage.ID, disposition: MailboxDisposition) async throws {
        guard let number = numbers[id.rawValue] else { throw error(.unknownMessage(id.rawValue)) }
        switch disposition {
        case .delete:
            try await run(.dele(number))
            deleted.insert(id.rawValue)
        case .keep, .flag, .move:
            try await ledger?.recordKept(mailbox: key, id: id.rawValue)
        }
    }

    /// `QUIT`: the server now removes the messages finished with `.delete`. Then kept ids of
    /// messages no longer in the maildrop are dropped from the ledger.
    public func close() async {
        if transport != nil, machine.isReady {
            do {
                let quit = try await execute(.quit)
                if !quit.ok { logger.error("bounce mailbox \(key): QUIT refused, deletions not applied: \(quit)") }
                if let ledger {
                    let present = Set(listing.map(\.uidl)).subtracting(quit.ok ? deleted : [])
                    try await ledger.forgetAbsent(mailbox: key, present: present)
                }
            } catch {
                logger.error("bounce mailbox \(key): QUIT failed, deletions may not be applied: \(error)")
            }
        }
        await closeTransport()
    }

    /// Drops the connection without QUIT, as a crash would: the server applies no DELE.
    /// For tests of the "nothing is removed before commit" guarantee.
    func abandon() async {
        await closeTransport()
    }

    private func readCapabilities() async throws(MailboxError) {
        let capa = try await execute(.capa)
        capabilities = capa.ok ? Set(capa.lines.map { $0.split(separator: " ").first.map { $0.uppercased() } ?? "" }) : []
    }

    private func closeTransport() async {
        await transport?.close()
        transport = nil
    }

    // MARK: - Driving the state machine

    private func readGreeting() async throws(MailboxError) -> POP3Reply {
        while true {
            for event in try await receive() {
                if case .greeting(let reply) = event { return reply }
                throw error(.protocolError("unexpected \(event) before the greeting"))
            }
        }
    }

    @discardableResult
    private func run(_ command: POP3Command) async throws(MailboxError) -> POP3Reply {
        let reply = try await execute(command)
        guard reply.ok else { throw error(.commandFailed(command: command.name, reply: reply.description)) }
        return reply
    }

    private func execute(_ command: POP3Command) async throws(MailboxError) -> POP3Reply {
        guard let transport else { throw error(.connectionClosed) }
        let bytes: [UInt8]
        do {
            bytes = try machine.send(command)
        } catch {
            throw self.error(.protocolError(error.description))
        }
        try await transport.write(bytes)
        while true {
            for event in try await receive() {
                if case .completed(_, let reply) = event { return reply }
                throw error(.protocolError("unexpected \(event)"))
            }
        }
    }

    private func receive() async throws(MailboxError) -> [POP3ClientStateMachine.Event] {
        guard let transport else { throw error(.connectionClosed) }
        let buffer = try await transport.read()
        do {
            return try machine.receive(buffer.readableBytesView)
        } catch {
            throw self.error(.protocolError(error.description))
        }
    }

    private func error(_ kind: MailboxError.Kind) -> MailboxError {
        MailboxError(mailbox: key, kind)
    }
}
