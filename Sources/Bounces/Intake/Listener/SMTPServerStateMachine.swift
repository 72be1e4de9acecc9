import SMTP

/// The inbound bounce listener's SMTP server session (RFC 5321), free of I/O. It is fed the
/// client's bytes and returns actions: replies to send, a complete message to hand to the
/// processor, closing. It accepts mail only for the configured domains (never relays), advertises
/// and enforces SIZE, and — the point of it all — answers the final `250` to DATA only after the
/// processor has committed the message (`deliveryFinished`), so an accepted bounce is never lost.
/// While a delivery is pending, further input (a pipelined QUIT) waits in the buffer.
public struct SMTPServerStateMachine: Sendable {
    public struct Settings: Sendable {
        /// The name in the greeting and in EHLO.
        public var hostname: String
        /// Lower-case domains recipients must belong to (exactly; no subdomains).
        public var domains: Set<String>
        /// Largest message accepted, in bytes (`bounces.max_size`).
        public var maxSize: Int
        public var maxRecipients = 100
        /// Bad commands before the session is closed with 421.
        public var maxErrors = 10

        public init(hostname: String, domains: some Sequence<String>, maxSize: Int) {
            self.hostname = hostname
            self.domains = Set(domains.map { $0.lowercased() })
            self.maxSize = maxSize
        }
    }

    public enum Action: Sendable, Equatable {
        case reply(SMTPReply)
        /// Hand this message to the processor, then call `deliveryFinished`.
        case deliver(InboundMessage)
        /// Close the connection (after the replies before it are sent).
        case close
    }

    private enum State: Sendable, Equatable {
        case awaitingHelo
        case ready
        case mail
        case data
        case delivering
        case closed
    }

    /// Longest command line (RFC 5321 §4.5.3.1.4: 512; extensions may add more) and text line (1000).
    static let maxCommandLength = 2048
    static let maxTextLineLength = 1000

    public let settings: Settings
    private var state = State.awaitingHelo
    private var heloName = ""
    private var mailFrom = ""
    private var recipients: [String] = []
    private var data: [UInt8] = []
    private var dataTooBig = false
    private var errors = 0
    private var buffer: [UInt8] = []
    private var position = 0

    public init(settings: Settings) {
        self.settings = settings
    }

    public var isClosed: Bool { state == .closed }

    /// The greeting to send when the client connects.
    public func greeting() -> Action {
        .reply(SMTPReply(code: 220, lines: ["\(settings.hostname) ESMTP Facteur bounce receiver"]))
    }

    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [Action] {
        if position > 0, position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        buffer.append(contentsOf: bytes)
        return process()
    }

    /// The processor is done with the message from the last `.deliver`: `nil` = committed.
    public mutating func deliveryFinished(error: String?) -> [Action] {
        guard state == .delivering else { return [] }
        state = .ready
        resetTransaction()
        let reply = error == nil
            ? SMTPReply(code: 250, lines: ["2.0.0 Bounce accepted"])
            : SMTPReply(code: 451, lines: ["4.3.0 Bounce not stored, try again later"])
        return [.reply(reply)] + process()
    }

    private mutating func process() -> [Action] {
        var actions: [Action] = []
        while state != .delivering, state != .closed, let line = nextLine() {
            actions += handle(line: line)
        }
        if position > 1 << 16 {
            buffer.removeFirst(position)
            position = 0
        }
        return actions
    }

    /// The next line without its CRLF, or a flagged overlong line.
    private mutating func nextLine() -> ArraySlice<UInt8>? {
        var index = position
        let limit = state == .data ? Self.maxTextLineLength * 1024 : Self.maxCommandLength
        while index + 1 < buffer.count {
            if buffer[index] == 0x0D, buffer[index + 1] == 0x0A {
                let line = buffer[position..<index]
                position = index + 2
                return line
            }
            index += 1
        }
        guard buffer.count - position > limit else { return nil }
        if state == .data {
            // A data line without end: the message is refused at its final dot. Keep the last
            // byte, which may be the CR of the CRLF that ends this line.
            dataTooBig = true
            data = []
            position = buffer.count - 1
            return nil
        }
        // An endless command line: answer once and drop it.
        position = buffer.count
        return ArraySlice(Array("\u{0}TOOLONG".utf8))
    }

    private mutating func handle(line: ArraySlice<UInt8>) -> [Action] {
        if state == .data { return dataLine(line) }
        let text = String(decoding: line, as: UTF8.self)
        if text == "\u{0}TOOLONG" { return error(500, "5.5.6 Line too long") }
        let verb = text.prefix { $0 != " " }.uppercased()
        let argument = text.dropFirst(verb.count).drop { $0 == " " }
        switch verb {
        case "EHLO", "HELO":
            guard !argument.isEmpty else { return error(501, "5.5.4 \(verb) needs a domain or address") }
            heloName = String(argument.prefix(255))
            resetTransaction()
            state = .ready
            if verb == "HELO" { return [.reply(SMTPReply(code: 250, lines: [settings.hostname]))] }
            return [.reply(SMTPReply(code: 250, lines: [
                settings.hostname, "SIZE \(settings.maxSize)", "8BITMIME", "PIPELINING", "ENHANCEDSTATUSCODES",
            ]))]
        case "MAIL":
            return mail(argument)
        case "RCPT":
            return rcpt(argument)
        case "DATA":
            guard state == .mail, !recipients.isEmpty else {
                return error(503, state == .mail ? "5.5.1 No valid recipients" : "5.5.1 MAIL and RCPT first")
            }
            guard argument.isEmpty else { return error(501, "5.5.4 DATA takes no argument") }
            state = .data
            data = []
            dataTooBig = false
            return [.reply(SMTPReply(code: 354, lines: ["End data with <CR><LF>.<CR><LF>"]))]
        case "RSET":
            resetTransaction()
            if state != .awaitingHelo { state = .ready }
            return [.reply(SMTPReply(code: 250, lines: ["2.0.0 OK"]))]
        case "NOOP":
            return [.reply(SMTPReply(code: 250, lines: ["2.0.0 OK"]))]
        case "QUIT":
            state = .closed
            return [.reply(SMTPReply(code: 221, lines: ["2.0.0 Bye"])), .close]
        case "VRFY":
            return [.reply(SMTPReply(code: 252, lines: ["2.5.2 Cannot VRFY user"]))]
        default:
            return error(500, "5.5.2 Command not recognized")
        }
    }

    private mutating func mail(_ argument: Substring) -> [Action] {
        guard state != .awaitingHelo else { return error(503, "5.5.1 EHLO or HELO first") }
        guard state == .ready else { return error(503, "5.5.1 Nested MAIL command") }
        guard argument.uppercased().hasPrefix("FROM:"), let (address, parameters) = Self.path(argument.dropFirst(5)) else {
            return error(501, "5.5.4 Syntax: MAIL FROM:<address>")
        }
        for parameter in parameters {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.first?.uppercased() == "SIZE", pair.count == 2 {
                guard let size = Int(pair[1]) else { return error(501, "5.5.4 Bad SIZE value") }
                if size > settings.maxSize {
                    return [.reply(SMTPReply(code: 552, lines: ["5.3.4 Message size exceeds fixed limit of \(settings.maxSize) bytes"]))]
                }
            }
        }
        mailFrom = address
        state = .mail
        return [.reply(SMTPReply(code: 250, lines: ["2.1.0 OK"]))]
    }

    private mutating func rcpt(_ argument: Substring) -> [Action] {
        guard state == .mail else { return error(503, "5.5.1 MAIL first") }
        guard argument.uppercased().hasPrefix("TO:"), let (address, _) = Self.path(argument.dropFirst(3)), !address.isEmpty else {
            return error(501, "5.5.4 Syntax: RCPT TO:<address>")
        }
        guard let at = address.lastIndex(of: "@"),
              settings.domains.contains(address[address.index(after: at)...].lowercased()) else {
            return [.reply(SMTPReply(code: 550, lines: ["5.7.1 Relay access denied: not a bounce domain"]))]
        }
        guard recipients.count < settings.maxRecipients else {
            return [.reply(SMTPReply(code: 452, lines: ["4.5.3 Too many recipients"]))]
        }
        recipients.append(address)
        return [.reply(SMTPReply(code: 250, lines: ["2.1.5 OK"]))]
    }

    private mutating func dataLine(_ line: ArraySlice<UInt8>) -> [Action] {
        if line.count == 1, line.first == UInt8(ascii: ".") {
            if dataTooBig {
                state = .ready
                resetTransaction()
                return [.reply(SMTPReply(code: 552, lines: ["5.3.4 Message size exceeds fixed limit of \(settings.maxSize) bytes"]))]
            }
            state = .delivering
            let message = InboundMessage(mailFrom: mailFrom, recipients: recipients, heloName: heloName, data: data)
            data = []
            return [.deliver(message)]
        }
        guard !dataTooBig else { return [] }
        let content = line.first == UInt8(ascii: ".") ? line.dropFirst() : line
        if data.count + content.count + 2 > settings.maxSize {
            // Keep reading to the final dot (the client is still sending), then refuse.
            dataTooBig = true
            data = []
            return []
        }
        data.append(contentsOf: content)
        data.append(contentsOf: [0x0D, 0x0A])
        return []
    }

    private mutating func resetTransaction() {
        mailFrom = ""
        recipients = []
        data = []
        dataTooBig = false
    }

    private mutating func error(_ code: Int, _ text: String) -> [Action] {
        errors += 1
        if errors >= settings.maxErrors {
            state = .closed
            return [.reply(SMTPReply(code: 421, lines: ["4.7.0 Too many errors, closing"])), .close]
        }
        return [.reply(SMTPReply(code: code, lines: [text]))]
    }

    /// `<address> PARAM=VALUE …` → (address, parameters). Tolerates a space after the colon.
    static func path(_ text: Substring) -> (String, [Substring])? {
        let trimmed = text.drop { $0 == " " }
        guard trimmed.first == "<", let close = trimmed.firstIndex(of: ">") else { return nil }
        var address = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
        // A source route (`<@a,@b:user@c>`) is obsolete; keep the mailbox (RFC 5321 §4.1.2).
        if address.first == "@", let colon = address.firstIndex(of: ":") { address = address[address.index(after: colon)...] }
        let parameters = trimmed[trimmed.index(after: close)...].split(separator: " ")
        return (String(address), parameters)
    }
}
