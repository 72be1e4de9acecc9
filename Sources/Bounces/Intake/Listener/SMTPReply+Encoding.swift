import SMTP

extension SMTPReply {
    /// The reply as sent by a server: `250-first` … `250 last`, each line ending in CRLF.
    var wireBytes: [UInt8] {
        var bytes: [UInt8] = []
        for (index, line) in lines.enumerated() {
            let separator = index == lines.count - 1 ? " " : "-"
            bytes.append(contentsOf: "\(code)\(separator)\(line)\r\n".utf8)
        }
        return bytes
    }
}
