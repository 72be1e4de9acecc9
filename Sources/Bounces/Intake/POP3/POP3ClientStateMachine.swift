/// The POP3 client's protocol state, free of I/O: fed the server's bytes, it returns the greeting
/// and each command's reply, reading multi-line answers (CAPA, UIDL, RETR) up to the lone `.` and
/// undoing dot-stuffing (RFC 1939 §3). One command at a time.
public struct POP3ClientStateMachine: Sendable {
    public enum Event: Sendable, Equatable {
        case greeting(POP3Reply)
        case completed(command: String, POP3Reply)
    }

    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        case notReady(String)
        case unexpected(String)
        case lineTooLong(Int)

        public var description: String {
            switch self {
            case .notReady(let reason): reason
            case .unexpected(let line): "unexpected answer: \(line)"
            case .lineTooLong(let length): "a line of more than \(length) bytes without CRLF"
            }
        }
    }

    private enum State: Sendable {
        case greeting
        case idle
        case awaitingStatus(POP3Command)
        case readingData(command: String, status: POP3Reply, data: [UInt8])
    }

    /// Longest status line accepted (RFC 1939: 512); data lines may be longer (bounces are not
    /// always polite), up to this bound.
    public var maxLineLength = 1 << 20
    private var state = State.greeting
    private var buffer: [UInt8] = []
    private var position = 0

    public init() {}

    public var isReady: Bool {
        if case .idle = state { return true }
        return false
    }

    /// Bytes received but not yet part of a reply (must be none when TLS starts).
    public var hasBufferedBytes: Bool { position < buffer.count }

    public mutating func send(_ command: POP3Command) throws(Error) -> [UInt8] {
        guard case .idle = state else { throw .notReady("\(command.name) sent while another command is running") }
        state = .awaitingStatus(command)
        return command.bytes
    }

    public mutating func receive(_ bytes: some Sequence<UInt8>) throws(Error) -> [Event] {
        if position > 0, position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        while let line = try nextLine() {
            if let event = try handle(line) { events.append(event) }
        }
        if position > 1 << 16 {
            buffer.removeFirst(position)
            position = 0
        }
        return events
    }

    private mutating func nextLine() throws(Error) -> ArraySlice<UInt8>? {
        var index = position
        while index + 1 < buffer.count {
            if buffer[index] == 0x0D, buffer[index + 1] == 0x0A {
                let line = buffer[position..<index]
                position = index + 2
                return line
            }
            index += 1
        }
        if buffer.count - position > maxLineLength { throw .lineTooLong(maxLineLength) }
        return nil
    }

    private mutating func handle(_ line: ArraySlice<UInt8>) throws(Error) -> Event? {
        switch state {
        case .greeting:
            let reply = try Self.status(line)
            state = .idle
            return .greeting(reply)
        case .idle:
            throw .unexpected(String(decoding: line, as: UTF8.self))
        case .awaitingStatus(let command):
            let reply = try Self.status(line)
            if reply.ok, command.isMultiline {
                state = .readingData(command: command.name, status: reply, data: [])
                return nil
            }
            state = .idle
            return .completed(command: command.name, reply)
        case .readingData(let command, var status, var data):
            if line.count == 1, line.first == UInt8(ascii: ".") {
                status.data = data
                state = .idle
                return .completed(command: command, status)
            }
            // Avoid holding two copies of a large message while appending.
            state = .idle
            data.append(contentsOf: line.first == UInt8(ascii: ".") ? line.dropFirst() : line)
            data.append(contentsOf: [0x0D, 0x0A])
            state = .readingData(command: command, status: status, data: data)
            return nil
        }
    }

    static func status(_ line: ArraySlice<UInt8>) throws(Error) -> POP3Reply {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("+OK") { return POP3Reply(ok: true, text: String(text.dropFirst(3).drop { $0 == " " })) }
        if text.hasPrefix("-ERR") { return POP3Reply(ok: false, text: String(text.dropFirst(4).drop { $0 == " " })) }
        throw .unexpected(text)
    }
}
