import Foundation

/// A small MIME reader for the tests: headers in order (unfolded), multipart children, decoded bodies.
struct MIMEPart {
    var headers: [(name: String, value: String)]
    var rawBody: [UInt8]
    var children: [MIMEPart]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var contentType: String {
        (header("Content-Type") ?? "text/plain").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
    }

    func parameter(_ name: String) -> String? {
        guard let ct = header("Content-Type") else { return nil }
        for piece in ct.split(separator: ";").dropFirst() {
            let kv = piece.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == name {
                return kv[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    var decodedBody: [UInt8] {
        switch (header("Content-Transfer-Encoding") ?? "7bit").lowercased() {
        case "quoted-printable": return Self.decodeQP(rawBody)
        case "base64":
            let s = String(decoding: rawBody, as: UTF8.self).filter { !$0.isWhitespace }
            return [UInt8](Data(base64Encoded: s) ?? Data())
        default: return rawBody
        }
    }

    var decodedText: String { String(decoding: decodedBody, as: UTF8.self) }

    /// Leaves in tree order.
    var leaves: [MIMEPart] { children.isEmpty ? [self] : children.flatMap(\.leaves) }

    init(_ bytes: [UInt8]) {
        let crlfcrlf: [UInt8] = [13, 10, 13, 10]
        var split = bytes.count
        var i = 0
        while i + 4 <= bytes.count {
            if Array(bytes[i..<i + 4]) == crlfcrlf { split = i; break }
            i += 1
        }
        let headerText = String(decoding: bytes[..<split], as: UTF8.self)
        var hs: [(String, String)] = []
        for line in headerText.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), !hs.isEmpty {
                hs[hs.count - 1].1 += line
            } else if let colon = line.firstIndex(of: ":") {
                hs.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
        }
        headers = hs
        rawBody = split + 4 <= bytes.count ? Array(bytes[(split + 4)...]) : []
        children = []
        if contentType.hasPrefix("multipart/"), let boundary = parameter("boundary") {
            let delimiter = Array(("\r\n--" + boundary).utf8)
            let body = [13, 10] + rawBody
            var cuts: [Int] = []
            var i = 0
            while i + delimiter.count <= body.count {
                if body[i] == 13, Array(body[i..<i + delimiter.count]) == delimiter { cuts.append(i); i += delimiter.count } else { i += 1 }
            }
            for (n, cut) in cuts.enumerated() {
                let start = cut + delimiter.count
                if body.count >= start + 2, body[start] == 0x2D, body[start + 1] == 0x2D { break }
                let contentStart = start + 2   // skip CRLF after the delimiter line
                let end = n + 1 < cuts.count ? cuts[n + 1] : body.count
                children.append(MIMEPart(Array(body[contentStart..<end])))
            }
        }
    }

    static func decodeQP(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == 0x3D {
                if i + 2 < b.count, b[i + 1] == 13, b[i + 2] == 10 { i += 3; continue }
                if i + 2 < b.count, let v = UInt8(String(decoding: b[i + 1...i + 2], as: UTF8.self), radix: 16) {
                    out.append(v); i += 3; continue
                }
            }
            out.append(b[i]); i += 1
        }
        return out
    }
}
