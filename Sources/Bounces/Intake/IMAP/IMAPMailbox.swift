import Logging
import NIOCore
import NIOPosix

/// A bounce mailbox on an IMAP server (`imap://` with STARTTLS as configured, or `imaps://`):
/// logs in, selects the folder and reads messages with `UID FETCH BODY.PEEK[]`, which leaves them
/// unseen. `finish` then deletes (`\Deleted` + `UID EXPUNGE`, or `EXPUNGE` without UIDPLUS), moves
/// (`UID MOVE`, or `UID COPY` + delete) or flags each one. Calls are made one at a time.
public actor IMAPMailbox: BounceMailbox {
    public nonisolated let key: String
    private let endpoint: MailboxEndpoint
    /// Messages carrying any of these flags count as done and are not fetched (pass the flag the
    /// mailbox's `flag` disposition sets, e.g. `\Seen`).
    private let processedFlags: [String]
    private let ledger: (any KeptMessageLedger)?
    private let logger: Logger
    private var transport: MailTransport?
    private var machine = IMAPClientStateMachine()
    private var uidValidity: UInt32 = 0
    /// UIDs already returned by `fetch` in this session: each message is handed out once per
    /// session, so a message the caller could not commit does not come back in a loop.
    private var returned: Set<UInt32> = []

    private init(endpoint: MailboxEndpoint, processedFlags: [String], ledger: (any KeptMessageLedger)?, logger: Logger) {
        self.key = endpoint.key
        self.endpoint = endpoint
        self.processedFlags = processedFlags
        self.ledger = ledger
        var logger = logger
        logger[metadataKey: "mailbox"] = "\(endpoint.key)"
        self.logger = logger
    }

    /// Connects, upgrades to TLS as configured, logs in and selects the folder.
    public static func open(_ endpoint: MailboxEndpoint, processedFlags: [String] = [],
                            ledger: (any KeptMessageLedger)? = nil,
                            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                            logger: Logger = Logger(label: "facteur.bounces.imap")) async throws(MailboxError) -> IMAPMailbox {
        precondition(endpoint.kind == .imap, "IMAPMailbox needs an imap:// or imaps:// endpoint")
        let mailbox = IMAPMailbox(endpoint: endpoint, processedFlags: processedFlags, ledger: ledger, logger: logger)
        do {
            try await mailbox.start(eventLoopGroup: eventLoopGroup)
        } catch {
            await mailbox.closeTransport()
            throw error
        }
        return mailbox
    }

    /// Whether the session runs over TLS (implicit or after STARTTLS).
    public var isTLS: Bool { transport?.isTLS ?? false }
    public var capabilities: Set<String> { machine.capabilities }

    private func start(eventLoopGroup: any EventLoopGroup) async throws(MailboxError) {
        let transport = try await MailTransport.connect(to: endpoint, eventLoopGroup: eventLoopGroup, logger: logger)
        self.transport = transport
        let greeting = try await readGreeting()
        if greeting.status == .bye { throw error(.connectFailed("server said BYE: \(greeting.text)")) }
        if machine.capabilities.isEmpty { try await run(.capability) }
        if !transport.isTLS, endpoint.startTLS != .off {
            if machine.capabilities.contains("STARTTLS") {
                try await run(.startTLS)
                guard !machine.hasBufferedBytes else { throw error(.tlsFailed("the server sent data after its STARTTLS answer")) }
                try await transport.startTLS()
                machine.tlsStarted()
                try await run(.capability)
            } else if endpoint.startTLS == .required {
                throw error(.tlsUnavailable)
            } else {
                logger.warning("bounce mailbox \(key): the server offers no STARTTLS; logging in without TLS")
            }
        }
        if greeting.status != .preauth {
            let useSASL = machine.capabilities.contains("LOGINDISABLED") && machine.capabilities.contains("AUTH=PLAIN")
            let command: IMAPCommand = useSASL
                ? .authenticatePlain(user: endpoint.user, password: endpoint.password)
                : .login(user: endpoint.user, password: endpoint.password)
            let login = try await execute(command)
            guard login.isOK else { throw error(.authenticationFailed(login.status.description)) }
            // Capabilities may grow after login (MOVE, UIDPLUS): ask unless the reply listed them.
            if login.status.capabilities == nil { try await run(.capability) }
        }
        let select = try await run(.select(endpoint.folder))
        for case .status(let status) in select.untagged {
            if let code = status.code, code.uppercased().hasPrefix("UIDVALIDITY "), let value = UInt32(code.dropFirst(12)) {
                uidValidity = value
            }
        }
        logger.debug("IMAP folder selected", metadata: ["uidvalidity": "\(uidValidity)", "tls": "\(transport.isTLS)"])
    }

    public func fetch(limit: Int) async throws -> [MailboxMessage] {
        guard limit > 0 else { return [] }
        var criteria = "UNDELETED"
        for flag in processedFlags {
            criteria += flag.hasPrefix("\\") ? " NOT \(flag.uppercased() == "\\SEEN" ? "SEEN" : String(flag.dropFirst()).uppercased())"
                : " UNKEYWORD \(flag)"
        }
        let search = try await run(.uidSearch(criteria))
        var uids: [UInt32] = []
        for case .search(let found) in search.untagged { uids += found }
        uids = uids.filter { !returned.contains($0) }.sorted()
        if let ledger {
            let kept = try await ledger.keptIDs(mailbox: key)
            if !kept.isEmpty {
                let all = try await run(.uidSearch("ALL"))
                var present: Set<String> = []
                for case .search(let found) in all.untagged { present.formUnion(found.map(id(for:))) }
                try await ledger.forgetAbsent(mailbox: key, present: present)
                uids = uids.filter { !kept.contains(id(for: $0)) }
            }
        }
        let wanted = Array(uids.prefix(limit))
        guard !wanted.isEmpty else { return [] }
        let fetched = try await run(.uidFetchBodies(wanted))
        var bodies: [UInt32: [UInt8]] = [:]
        for case .fetch(_, let uid?, let body?) in fetched.untagged { bodies[uid] = body }
        returned.formUnion(wanted)
        // A UID the server no longer has (expunged meanwhile) is simply absent.
        return wanted.compactMap { uid in
            bodies[uid].map { MailboxMessage(id: .init(id(for: uid)), bytes: $0, receivedFrom: key) }
        }
    }

    public func finish(_ id: MailboxMessage.ID, disposition: MailboxDisposition) async throws {
        try await finish([id], disposition: disposition)
    }

    /// One command (or two) for the whole UID set.
    public func finish(_ ids: [MailboxMessage.ID], disposition: MailboxDisposition) async throws {
        var uids: [UInt32] = []
        for id in ids {
            let parts = id.rawValue.split(separator: ":")
            guard parts.count == 2, UInt32(parts[0]) == uidValidity, let uid = UInt32(parts[1]) else {
                throw error(.unknownMessage(id.rawValue))
            }
            uids.append(uid)
        }
        guard !uids.isEmpty else { return }
        switch disposition {
        case .delete:
            try await delete(uids)
        case .move(let folder):
            let command: IMAPCommand = machine.capabilities.contains("MOVE") ? .uidMove(uids, to: folder) : .uidCopy(uids, to: folder)
            var completion = try await execute(command)
            if !completion.isOK, completion.status.code?.uppercased() == "TRYCREATE" {
                // The target folder does not exist yet (RFC 9051 §7.1): create it once, then retry.
                logger.info("bounce mailbox \(key): creating folder \(folder) for processed messages")
                try await run(.create(folder))
                completion = try await execute(command)
            }
            guard completion.isOK else { throw error(.commandFailed(command: command.name, reply: completion.status.description)) }
            if case .uidCopy = command { try await delete(uids) }
        case .flag(let flag):
            try await run(.uidStore(uids, flags: [flag]))
        case .keep:
            for id in ids { try await ledger?.recordKept(mailbox: key, id: id.rawValue) }
        }
    }

    public func close() async {
        if transport != nil, machine.isReady {
            do {
                _ = try await execute(.logout)
            } catch {
                logger.debug("IMAP LOGOUT: \(error)")
            }
        }
        await closeTransport()
    }

    private func delete(_ uids: [UInt32]) async throws(MailboxError) {
        try await run(.uidStore(uids, flags: ["\\Deleted"]))
        if machine.capabilities.contains("UIDPLUS") {
            try await run(.uidExpunge(uids))
        } else {
            // Without UIDPLUS, EXPUNGE also removes other messages marked \Deleted in this folder:
            // acceptable for a dedicated bounce folder, and what PHPList's own purge does.
            try await run(.expunge)
        }
    }

    private func id(for uid: UInt32) -> String { "\(uidValidity):\(uid)" }

    private func closeTransport() async {
        await transport?.close()
        transport = nil
    }

    // MARK: - Driving the state machine

    private func readGreeting() async throws(MailboxError) -> IMAPStatusResponse {
        while true {
            for event in try await receive() {
                switch event {
                case .greeting(let status): return status
                case .bye(let text): throw error(.connectFailed("server said BYE: \(text)"))
                default: throw error(.protocolError("unexpected \(event) before the greeting"))
                }
            }
        }
    }

    /// Runs `command` and requires OK.
    @discardableResult
    private func run(_ command: IMAPCommand) async throws(MailboxError) -> IMAPCompletion {
        let completion = try await execute(command)
        guard completion.isOK else { throw error(.commandFailed(command: command.name, reply: completion.status.description)) }
        return completion
    }

    /// Runs `command` and returns however it ended.
    private func execute(_ command: IMAPCommand) async throws(MailboxError) -> IMAPCompletion {
        guard let transport else { throw error(.connectionClosed) }
        let bytes: [UInt8]
        do {
            bytes = try machine.send(command)
        } catch {
            throw self.error(.protocolError(error.description))
        }
        if logger.logLevel <= .trace { logger.trace("C: \(command.name)") }
        try await transport.write(bytes)
        while true {
            for event in try await receive() {
                switch event {
                case .send(let more): try await transport.write(more)
                case .completed(let completion): return completion
                case .bye(let text):
                    if case .logout = command { continue }
                    throw error(.commandFailed(command: command.name, reply: "BYE \(text)"))
                case .greeting: throw error(.protocolError("a second greeting"))
                }
            }
        }
    }

    private func receive() async throws(MailboxError) -> [IMAPClientStateMachine.Event] {
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
