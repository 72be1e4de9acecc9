import Foundation

/// One message the listener received: the envelope and the bytes as sent (dot-unstuffed, CRLF).
public struct InboundMessage: Sendable, Equatable {
    /// MAIL FROM address without brackets; empty for the null sender `<>` (bounces usually have it).
    public var mailFrom: String
    /// Accepted RCPT TO addresses: the VERP address, when VERP is on.
    public var recipients: [String]
    /// The name the client gave in EHLO/HELO.
    public var heloName: String
    public var data: [UInt8]
    /// The client's IP address (set by the I/O layer).
    public var clientAddress: String

    public init(mailFrom: String, recipients: [String], heloName: String, data: [UInt8], clientAddress: String = "") {
        self.mailFrom = mailFrom
        self.recipients = recipients
        self.heloName = heloName
        self.data = data
        self.clientAddress = clientAddress
    }

    /// The message as a local delivery agent would store it: `Return-Path`, one `X-Original-To`
    /// per recipient and a `Received` line, then the data. These headers are the intake path's
    /// own (the processor may read the envelope recipient from `X-Original-To`).
    public func storedBytes(receivedBy host: String, at date: Date = Date()) -> [UInt8] {
        var header = "Return-Path: <\(mailFrom)>\r\n"
        for recipient in recipients { header += "X-Original-To: \(recipient)\r\n" }
        header += "Received: from \(heloName) ([\(clientAddress)])\r\n\tby \(host) (Facteur) with ESMTP;\r\n\t"
            + Self.rfc5322Date(date) + "\r\n"
        return Array(header.utf8) + data
    }

    /// As a `MailboxMessage`, so one processing path serves mailboxes and the listener.
    public func mailboxMessage(id: String, receivedBy host: String, at date: Date = Date()) -> MailboxMessage {
        MailboxMessage(id: .init(id), bytes: storedBytes(receivedBy: host, at: date), receivedFrom: "smtp://\(host) from [\(clientAddress)]")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
