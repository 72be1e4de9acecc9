import NIOCore

/// The client side of an SMTP session as a pure value: events in (replies, requests, TLS up,
/// connection lost), actions out (commands to write, results to report). No sockets, no clocks:
/// the channel handler performs the actions and owns the timers.
public struct SMTPClientStateMachine: Sendable {
    public struct Settings: Sendable {
        public var heloName: String
        public var startTLS: SMTPRelayConfiguration.StartTLSMode
        /// The session starts inside TLS (smtps).
        public var implicitTLS: Bool
        public var username: String?
        public var password: String?
        /// The SASL mechanism to use; nil picks one the server offers (see `SMTPAuthMechanism`).
        public var authMechanism: SMTPAuthMechanism?
        public var messagesPerConnection: Int?

        public init(heloName: String, startTLS: SMTPRelayConfiguration.StartTLSMode = .opportunistic, implicitTLS: Bool = false,
                    username: String? = nil, password: String? = nil, authMechanism: SMTPAuthMechanism? = nil,
                    messagesPerConnection: Int? = nil) {
            self.heloName = heloName
            self.startTLS = startTLS
            self.implicitTLS = implicitTLS
            self.username = username
            self.password = password
            self.authMechanism = authMechanism
            self.messagesPerConnection = messagesPerConnection
        }

        public init(_ configuration: SMTPRelayConfiguration) {
            self.init(heloName: configuration.heloName, startTLS: configuration.startTLS, implicitTLS: configuration.implicitTLS,
                      username: configuration.username, password: configuration.password,
                      authMechanism: configuration.authMechanism, messagesPerConnection: configuration.messagesPerConnection)
        }
    }

    /// What to do after a finished transaction.
    public enum FollowUp: Sendable, Hashable {
        case none
        /// The transaction ended before the data: reset the server's state (RFC 5321 §4.1.1.5).
        case rset
        /// The message limit was reached: end the session politely.
        case quit
        /// The server said 421: it is closing; close our side.
        case close
    }

    public enum Action: Sendable, Equatable {
        case none
        case send(SMTPCommand)
        /// MAIL, every RCPT and DATA in one write (RFC 2920).
        case sendPipelined([SMTPCommand])
        /// The encoded message after a 354, ending in ".\r\n".
        case sendBody(ByteBuffer)
        /// Put TLS at the front of the pipeline, then call `tlsEstablished()`.
        case startTLS
        /// The session is ready for messages.
        case sessionReady(SMTPCapabilities)
        /// Setting up the session failed: report it, send QUIT if `quit`, close.
        case sessionFailed(SMTPError.Kind, quit: Bool)
        case messageCompleted(SMTPMessageOutcome, followUp: FollowUp)
        /// The message got no reply that decides it (or was refused before sending); `close`
        /// says the connection is unusable.
        case messageFailed(SMTPError.Kind, close: Bool)
        case noopCompleted(SMTPReply, close: Bool)
        /// The session is over (reply to QUIT, 421 while idle): close the channel.
        case close
    }

    private struct Transaction: Sendable {
        var envelope: SMTPEnvelope
        var body: ByteBuffer
        var pipelined: Bool
        var mailReply: SMTPReply?
        var rcptReplies: [SMTPReply] = []
        /// 354 received and the body written.
        var dataSent = false
        /// DATA was sent and its reply is awaited (pipelined: after MAIL and RCPT replies).
        var dataCommandSent: Bool
    }

    private enum State: Sendable {
        case greeting
        case ehlo(afterTLS: Bool)
        case helo(afterTLS: Bool)
        case startTLS
        case tlsHandshake
        case authPlain
        case authLoginUsername
        case authLoginPassword
        /// AUTH CRAM-MD5 sent: waiting for the server's challenge.
        case authCRAMMD5Challenge
        /// AUTH XOAUTH2 with the token sent: 235, or 334 with an error to acknowledge.
        case authXOAUTH2
        case authLoginResult
        case ready
        case transaction(Transaction)
        /// The empty message sent to finish a DATA accepted with no valid recipient.
        case discardingData(SMTPMessageOutcome)
        case rset
        case noop
        case quit
        case closed
    }

    public let settings: Settings
    private var state: State = .greeting
    /// The next message's MAIL, RCPT and DATA, sent in the same group as the previous message's
    /// data (RFC 2920 §3.1 allows the message content to be the first "command" of a group);
    /// its replies follow the reply to the previous message's end of data.
    private var queued: Transaction?
    private var tlsActive: Bool
    public private(set) var capabilities = SMTPCapabilities()
    public private(set) var messagesSent = 0

    public init(settings: Settings) {
        self.settings = settings
        self.tlsActive = settings.implicitTLS
    }

    /// True when a message or NOOP can be started now.
    public var isReady: Bool { if case .ready = state { true } else { false } }

    /// True when `sendRequested` can start a message now: the session is idle, or (PIPELINING)
    /// the previous message's data is being sent and no other message is queued behind it.
    public var acceptsMessage: Bool {
        switch state {
        case .ready:
            return isUsable
        case .transaction(let t):
            guard t.pipelined, t.dataSent, queued == nil else { return false }
            // The message in flight and this one must both fit under the limit.
            return settings.messagesPerConnection.map { messagesSent + 2 <= $0 } ?? true
        default:
            return false
        }
    }

    /// True while the session is established or being established and the message limit is not hit.
    public var isUsable: Bool {
        switch state {
        case .quit, .closed: false
        default: settings.messagesPerConnection.map { messagesSent < $0 } ?? true
        }
    }

    public var isTLSActive: Bool { tlsActive }

    /// The reply being waited for (selects the timeout), `.idle` when ready, nil when closed.
    public var stage: SMTPStage? {
        switch state {
        case .greeting: .greeting
        case .ehlo: .ehlo
        case .helo: .helo
        case .startTLS: .startTLS
        case .tlsHandshake: .tlsHandshake
        case .authPlain, .authLoginUsername, .authLoginPassword, .authLoginResult, .authCRAMMD5Challenge, .authXOAUTH2: .auth
        case .ready: .idle
        case .transaction(let t):
            if t.dataSent { .dataTermination }
            else if t.mailReply == nil { .mailFrom }
            else if t.rcptReplies.count < t.envelope.recipients.count { .rcptTo }
            else { .dataInitiation }
        case .discardingData: .dataTermination
        case .rset: .rset
        case .noop: .noop
        case .quit: .quit
        case .closed: nil
        }
    }

    // MARK: - Events

    public mutating func replyReceived(_ reply: SMTPReply) -> Action {
        switch state {
        case .greeting:
            if reply.code == 220 { return sendEHLO(afterTLS: tlsActive) }
            return failSession(reply.code == 421 ? .serviceClosing(reply, stage: .greeting) : .greetingRejected(reply), quit: reply.code != 421)

        case .ehlo(let afterTLS):
            if reply.isSuccess {
                capabilities = SMTPCapabilities(ehloReply: reply)
                return afterEHLO()
            }
            if reply.code == 421 { return failSession(.serviceClosing(reply, stage: .ehlo), quit: false) }
            if reply.isPermanent {
                // Old servers (RFC 821) answer 500/502 to EHLO: fall back to HELO.
                state = .helo(afterTLS: afterTLS)
                return .send(.helo(settings.heloName))
            }
            return failSession(.heloRejected(reply), quit: true)

        case .helo:
            if reply.isSuccess {
                capabilities = SMTPCapabilities()
                return afterEHLO()
            }
            return failSession(reply.code == 421 ? .serviceClosing(reply, stage: .helo) : .heloRejected(reply), quit: reply.code != 421)

        case .startTLS:
            if reply.code == 220 {
                state = .tlsHandshake
                return .startTLS
            }
            if settings.startTLS == .required || reply.code == 421 {
                return failSession(reply.code == 421 ? .serviceClosing(reply, stage: .startTLS) : .startTLSRejected(reply), quit: reply.code != 421)
            }
            return afterTLSDecision()

        case .tlsHandshake:
            return failSession(.protocolError("reply \(reply) during the TLS handshake"), quit: false)

        case .authPlain, .authLoginResult:
            if reply.code == 235 { return sessionReady() }
            if reply.code == 334, case .authPlain = state {
                // A server that wants the credentials after an empty challenge.
                state = .authLoginResult
                return .send(.authResponse(plainCredentials))
            }
            return failSession(.authFailed(reply), quit: reply.code != 421)

        case .authLoginUsername:
            guard reply.code == 334 else { return failSession(.authFailed(reply), quit: reply.code != 421) }
            state = .authLoginPassword
            return .send(.authResponse(SMTPEncoding.base64(Array((settings.username ?? "").utf8))))

        case .authLoginPassword:
            guard reply.code == 334 else { return failSession(.authFailed(reply), quit: reply.code != 421) }
            state = .authLoginResult
            return .send(.authResponse(SMTPEncoding.base64(Array((settings.password ?? "").utf8))))

        case .authCRAMMD5Challenge:
            guard reply.code == 334 else { return failSession(.authFailed(reply), quit: reply.code != 421) }
            guard let response = SMTPAuthMechanism.cramMD5Response(
                challenge: reply.lines[0], username: settings.username ?? "", password: settings.password ?? "")
            else { return failSession(.protocolError("CRAM-MD5 challenge is not base64: \(reply)"), quit: true) }
            state = .authLoginResult
            return .send(.authResponse(response))

        case .authXOAUTH2:
            if reply.code == 235 { return sessionReady() }
            guard reply.code == 334 else { return failSession(.authFailed(reply), quit: reply.code != 421) }
            // The 334 carries a base64 JSON error; an empty line makes the server send its final 5xx.
            state = .authLoginResult
            return .send(.authResponse(""))

        case .ready:
            // Unsolicited: typically 421 before an idle server closes the connection.
            state = .closed
            return .close

        case .transaction(var transaction):
            // Leave the payload unreferenced so its arrays are mutated in place, not copied;
            // every path of `transactionReply` sets the next state.
            state = .closed
            return transactionReply(reply, &transaction)

        case .discardingData(let outcome):
            // The server took an empty message for no valid recipient; the outcome stands.
            return completeTransaction(outcome, failedBeforeData: false, serverClosing: reply.code == 421)

        case .rset:
            if reply.isSuccess {
                state = .ready
                return .none
            }
            state = .closed
            return .close

        case .noop:
            let closing = !reply.isSuccess
            state = closing ? .closed : .ready
            return .noopCompleted(reply, close: closing)

        case .quit:
            state = .closed
            return .close

        case .closed:
            return .none
        }
    }

    /// The TLS handler is in place after the 220 to STARTTLS: say EHLO again (RFC 3207 §4.2).
    public mutating func tlsEstablished() -> Action {
        guard case .tlsHandshake = state else { return .none }
        tlsActive = true
        return sendEHLO(afterTLS: true)
    }

    /// A message to send, already encoded by `SMTPMessageEncoder`. Valid when `acceptsMessage`;
    /// with PIPELINING, MAIL, every RCPT and DATA go in one group, behind the previous message's
    /// data when that is being sent.
    public mutating func sendRequested(envelope: SMTPEnvelope, encoded: SMTPMessageEncoder.Encoded) -> Action {
        guard acceptsMessage else { return .messageFailed(.connectionNotUsable, close: false) }
        guard !envelope.recipients.isEmpty else { return .messageFailed(.noRecipients, close: false) }
        let utf8 = envelope.needsSMTPUTF8
        if utf8 && !capabilities.smtpUTF8 { return .messageFailed(.smtpUTF8Required, close: false) }
        if let limit = capabilities.maximumSize, encoded.messageSize > limit {
            return .messageFailed(.messageTooLarge(size: encoded.messageSize, limit: limit), close: false)
        }
        let mail = SMTPCommand.mailFrom(envelope.mailFrom, parameters: mailParameters(envelope, encoded, utf8: utf8))
        let pipelined = capabilities.pipelining
        var transaction = Transaction(envelope: envelope, body: encoded.bytes, pipelined: pipelined, dataCommandSent: pipelined)
        transaction.rcptReplies.reserveCapacity(envelope.recipients.count)
        if case .ready = state {
            state = .transaction(transaction)
        } else {
            queued = transaction
        }
        guard pipelined else { return .send(mail) }
        var commands = [mail]
        commands.reserveCapacity(envelope.recipients.count + 2)
        for index in envelope.recipients.indices { commands.append(rcptCommand(envelope, index)) }
        commands.append(.data)
        return .sendPipelined(commands)
    }

    public mutating func noopRequested() -> Action {
        guard case .ready = state else { return .messageFailed(.connectionNotUsable, close: false) }
        state = .noop
        return .send(.noop)
    }

    /// End the session: QUIT when idle, close otherwise.
    public mutating func quitRequested() -> Action {
        switch state {
        case .ready:
            state = .quit
            return .send(.quit)
        case .quit, .closed:
            return .none
        default:
            state = .closed
            queued = nil
            return .close
        }
    }

    /// The connection is gone or a timer fired: what to report for the request in flight.
    public mutating func connectionFailed(_ kind: SMTPError.Kind) -> Action {
        let previous = state
        state = .closed
        queued = nil
        switch previous {
        case .greeting, .ehlo, .helo, .startTLS, .tlsHandshake, .authPlain, .authLoginUsername, .authLoginPassword, .authLoginResult,
             .authCRAMMD5Challenge, .authXOAUTH2:
            return .sessionFailed(kind, quit: false)
        case .transaction, .discardingData:
            return .messageFailed(kind, close: true)
        case .noop:
            return .messageFailed(kind, close: true)
        case .ready, .rset, .quit, .closed:
            return .close
        }
    }

    // MARK: - Session set-up

    private mutating func sendEHLO(afterTLS: Bool) -> Action {
        state = .ehlo(afterTLS: afterTLS)
        return .send(.ehlo(settings.heloName))
    }

    private mutating func afterEHLO() -> Action {
        if !tlsActive, settings.startTLS != .off {
            if capabilities.startTLS {
                state = .startTLS
                return .send(.startTLS)
            }
            if settings.startTLS == .required { return failSession(.startTLSRequiredButNotOffered, quit: true) }
        }
        return afterTLSDecision()
    }

    private mutating func afterTLSDecision() -> Action {
        guard let username = settings.username, let password = settings.password else { return sessionReady() }
        let offered = capabilities.authMechanisms
        if offered.isEmpty { return failSession(.authNotOffered, quit: true) }
        let candidates = settings.authMechanism.map { [$0] } ?? SMTPAuthMechanism.automaticOrder
        guard let mechanism = candidates.first(where: { offered.contains($0.rawValue) }) else {
            return failSession(.authMechanismUnsupported(offered: offered.sorted(), wanted: settings.authMechanism), quit: true)
        }
        switch mechanism {
        case .plain:
            state = .authPlain
            return .send(.auth(mechanism: mechanism.rawValue, initialResponse: plainCredentials))
        case .login:
            state = .authLoginUsername
            return .send(.auth(mechanism: mechanism.rawValue, initialResponse: nil))
        case .cramMD5:
            state = .authCRAMMD5Challenge
            return .send(.auth(mechanism: mechanism.rawValue, initialResponse: nil))
        case .xoauth2:
            state = .authXOAUTH2
            return .send(.auth(mechanism: mechanism.rawValue,
                               initialResponse: SMTPAuthMechanism.xoauth2Response(username: username, token: password)))
        }
    }

    private var plainCredentials: String {
        SMTPAuthMechanism.plainResponse(username: settings.username ?? "", password: settings.password ?? "")
    }

    private mutating func sessionReady() -> Action {
        state = .ready
        return .sessionReady(capabilities)
    }

    private mutating func failSession(_ kind: SMTPError.Kind, quit: Bool) -> Action {
        state = .closed
        return .sessionFailed(kind, quit: quit)
    }

    // MARK: - Transaction

    private func mailParameters(_ envelope: SMTPEnvelope, _ encoded: SMTPMessageEncoder.Encoded, utf8: Bool) -> [String] {
        var parameters: [String] = []
        if capabilities.size { parameters.append("SIZE=\(encoded.messageSize)") }
        if encoded.has8BitData && capabilities.eightBitMIME { parameters.append("BODY=8BITMIME") }
        if utf8 { parameters.append("SMTPUTF8") }
        if let dsn = envelope.dsn, capabilities.dsn {
            if let ret = dsn.ret { parameters.append("RET=\(ret.rawValue)") }
            if let id = dsn.envelopeID { parameters.append("ENVID=\(SMTPEncoding.xtext(id))") }
        }
        return parameters
    }

    private func rcptCommand(_ envelope: SMTPEnvelope, _ index: Int) -> SMTPCommand {
        guard let notify = envelope.dsn?.notify, capabilities.dsn else { return .rcptTo(envelope.recipients[index], parameters: []) }
        let order: [SMTPDSNOptions.Notify] = [.success, .failure, .delay]
        let value = notify.isEmpty ? "NEVER" : order.filter(notify.contains).map(\.rawValue).joined(separator: ",")
        return .rcptTo(envelope.recipients[index], parameters: ["NOTIFY=\(value)"])
    }

    private mutating func transactionReply(_ reply: SMTPReply, _ t: inout Transaction) -> Action {
        let recipients = t.envelope.recipients
        if t.dataSent {
            // The reply that decides delivery (RFC 5321 §4.1.1.4).
            return completeTransaction(outcome(t, dataReply: reply, overall: reply), failedBeforeData: false, serverClosing: reply.code == 421)
        }
        if t.mailReply == nil {
            t.mailReply = reply
            if !t.pipelined {
                guard reply.isSuccess else { return completeTransaction(outcome(t, dataReply: nil, overall: reply), failedBeforeData: true, serverClosing: reply.code == 421) }
                state = .transaction(t)
                return .send(rcptCommand(t.envelope, 0))
            }
            if reply.code == 421 { return completeTransaction(outcome(t, dataReply: nil, overall: reply), failedBeforeData: true, serverClosing: true) }
            state = .transaction(t)
            return .none
        }
        if t.rcptReplies.count < recipients.count {
            t.rcptReplies.append(reply)
            if reply.code == 421 { return completeTransaction(outcome(t, dataReply: nil, overall: reply), failedBeforeData: true, serverClosing: true) }
            let anyAccepted = t.rcptReplies.contains(where: \.isSuccess)
            if !t.pipelined {
                if t.rcptReplies.count < recipients.count {
                    state = .transaction(t)
                    return .send(rcptCommand(t.envelope, t.rcptReplies.count))
                }
                guard anyAccepted else { return completeTransaction(outcome(t, dataReply: nil, overall: nil), failedBeforeData: true, serverClosing: false) }
                t.dataCommandSent = true
                state = .transaction(t)
                return .send(.data)
            }
            state = .transaction(t)
            return .none
        }
        // Reply to DATA.
        let mailOK = t.mailReply?.isSuccess == true
        let anyAccepted = mailOK && t.rcptReplies.contains(where: \.isSuccess)
        if reply.code == 354 {
            if anyAccepted {
                t.dataSent = true
                let body = t.body
                t.body = ByteBuffer()
                state = .transaction(t)
                return .sendBody(body)
            }
            // RFC 2920 §3.1: DATA accepted although nothing else was: finish with an empty message.
            state = .discardingData(outcome(t, dataReply: nil, overall: mailOK ? nil : t.mailReply))
            var terminator = ByteBuffer()
            terminator.writeStaticString(".\r\n")
            return .sendBody(terminator)
        }
        let overall: SMTPReply? = !mailOK ? t.mailReply : (anyAccepted ? reply : nil)
        return completeTransaction(outcome(t, dataReply: nil, overall: overall), failedBeforeData: true, serverClosing: reply.code == 421)
    }

    /// Each recipient's fate: a failed RCPT reply stands; otherwise `overall` (the MAIL, DATA or
    /// end-of-data reply) decides; recipients without any reply take `overall` too.
    private func outcome(_ t: Transaction, dataReply: SMTPReply?, overall: SMTPReply?) -> SMTPMessageOutcome {
        var results: [SMTPMessageOutcome.Recipient] = []
        results.reserveCapacity(t.envelope.recipients.count)
        let mailFailed = t.mailReply.map { !$0.isSuccess } ?? true
        for (index, address) in t.envelope.recipients.enumerated() {
            let rcpt = index < t.rcptReplies.count ? t.rcptReplies[index] : nil
            let decisive: SMTPReply
            if mailFailed, let mail = t.mailReply {
                decisive = mail
            } else if let rcpt, !rcpt.isSuccess {
                decisive = rcpt
            } else if let overall {
                decisive = overall
            } else {
                decisive = rcpt ?? t.mailReply!
            }
            results.append(.init(address: address, status: SMTPMessageOutcome.Status(decisive), reply: decisive))
        }
        return SMTPMessageOutcome(recipients: results, mailReply: t.mailReply ?? overall!, dataReply: dataReply)
    }

    private mutating func completeTransaction(_ outcome: SMTPMessageOutcome, failedBeforeData: Bool, serverClosing: Bool) -> Action {
        messagesSent += 1
        let followUp: FollowUp
        if serverClosing {
            // A queued message got no reply: the caller fails it with the connection.
            followUp = .close
            state = .closed
            queued = nil
        } else if let next = queued {
            // Only queued behind a message whose data was sent, so this one ended normally.
            queued = nil
            followUp = .none
            state = .transaction(next)
        } else if let limit = settings.messagesPerConnection, messagesSent >= limit {
            followUp = .quit
            state = .quit
        } else if failedBeforeData {
            followUp = .rset
            state = .rset
        } else {
            followUp = .none
            state = .ready
        }
        return .messageCompleted(outcome, followUp: followUp)
    }
}
