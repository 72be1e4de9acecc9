/// PHPList's admin mails (campaign started/finished, queue report) carry `X-MessageID: systemmessage`;
/// tests counting a campaign's deliveries leave them out with this.
extension SinkProcess.Message {
    public var isSystemMail: Bool { body.contains("\nX-MessageID: systemmessage\n") }
}

extension AiosmtpdSink.Message {
    public var isSystemMail: Bool {
        String(decoding: data, as: UTF8.self).contains("\r\nX-MessageID: systemmessage\r\n")
    }
}
