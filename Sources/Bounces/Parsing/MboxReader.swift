/// Splits an mbox file (mboxo/mboxrd) into messages at lines starting with "From ". The separator
/// line is dropped and ">From " quoting is left as is (it only occurs in bodies).
public enum MboxReader {
    public static func messages(in bytes: [UInt8]) -> [[UInt8]] {
        let marker = Array("From ".utf8)
        var messages: [[UInt8]] = []
        var start: Int?
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let next = min(lineEnd + 1, bytes.count)
            if bytes[lineStart..<lineEnd].starts(with: marker) {
                if let start { messages.append(Array(bytes[start..<lineStart])) }
                start = next
            }
            lineStart = next
        }
        if let start, start < bytes.count { messages.append(Array(bytes[start...])) }
        return messages
    }
}
