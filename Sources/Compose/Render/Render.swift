import Crypto
import Foundation

/// Slot values for one subscriber.
enum Filler {
    static func value(_ slot: Slot, _ s: SubscriberFields) -> String {
        switch slot {
        case .uniqid: return s.uniqid
        case .email: return s.email
        case .subscriberID: return String(s.id)
        case .subscriberUUID: return s.uuid
        case .htmlEmail: return s.htmlEmail ? "1" : "0"
        case .column(let name, let ifEmpty):
            let v = s.otherColumns[name] ?? ""
            if let d = ifEmpty, v.isEmpty { return d }
            return v
        case .attribute(let name, let ifAbsent, let ifEmpty):
            guard let v = s.attributes[name] else { return ifAbsent }
            if let d = ifEmpty, v.isEmpty { return d }
            return v
        case .lists(let separator, let none):
            return s.listNames.isEmpty ? none : s.listNames.joined(separator: separator)
        case .htmlTID, .textTID:
            return ""
        }
    }

    static func fill(_ pieces: [Piece], _ s: SubscriberFields, decode: Bool) -> [UInt8] {
        var out: [UInt8] = []
        for p in pieces {
            switch p {
            case .literal(let b): out += b
            case .slot(let slot):
                let v = value(slot, s)
                out += decode ? PHPString.htmlEntityDecode(v).utf8 : v.utf8
            }
        }
        return out
    }
}

extension CompiledCampaign {
    /// Composes the message for one subscriber. `tracking` must hold the linktrack_forward uuid of every
    /// tracked URL; `date` is the Date header's time.
    public func render(for subscriber: SubscriberFields, tracking: LinkTrackIDs,
                       date: Date = Date()) throws -> RenderedMessage {
        var state = RenderState(campaign: self, subscriber: subscriber, tracking: tracking)
        var random = SplitMix64(seed: state.rng.next())

        let domainPart = subscriber.email.split(separator: "@", maxSplits: 1).dropFirst().first.map(String.init)
        let htmlPreferred = subscriber.htmlEmail && !textOnlyDomains.contains(domainPart ?? "")
        let counter: FormatCounter
        let sendHTML: Bool
        switch sendFormat {
        case .pdf, .textAndPDF:
            if htmlPreferred {
                throw ComposeError.pdfFormatUnsupported(campaign: campaignID, format: sendFormat.rawValue)
            }
            counter = .astext
            sendHTML = false
        case .text:
            counter = .astext
            sendHTML = false
        case .html, .both, .textAndHTML:
            counter = htmlPreferred ? .astextandhtml : .astext
            sendHTML = htmlPreferred
        }

        // PHPList click-tracks the HTML part first, then the text part.
        var html: [UInt8] = []
        if sendHTML { html = try state.fill(htmlPieces, decode: false, sizeHint: htmlSizeHint) }
        let text = try state.fill(sendHTML ? textPieces : textOnlyPieces, decode: true, sizeHint: textSizeHint)

        let uniqueID = CampaignMessageID.localPart(random: Self.uniqueID(&random), campaignID: campaignID,
                                                   subscriberID: subscriber.id, uniqid: subscriber.uniqid)
        var out: [UInt8] = []
        out.reserveCapacity(4096 + inlineImages.reduce(0) { $0 + $1.base64.count }
            + attachments.reduce(0) { $0 + $1.base64.count } + html.count * 11 / 10 + text.count * 11 / 10)

        // Headers, in PHPMailer's order.
        out += "Date: \(MailDate.format(date))\r\n".utf8
        out += "To: ".utf8
        out += HeaderEncoding.secure(subscriber.email).utf8
        out += MailEncoding.crlf
        out += fromLine
        out += replyToLine
        if let subjectPieces {
            let subject = String(decoding: Filler.fill(subjectPieces, subscriber, decode: false), as: UTF8.self)
            out += "Subject: \(HeaderEncoding.encode(HeaderEncoding.secure(subject)))\r\n".utf8
        } else {
            out += subjectLine
        }
        let messageID = "<\(uniqueID)@\(domain)>"
        out += "Message-ID: \(messageID)\r\n".utf8
        out += afterMessageIDHeaders
        out += "X-ListMember: ".utf8
        out += HeaderEncoding.encode(PHPString.trim(subscriber.email)).utf8
        out += MailEncoding.crlf
        out += afterListMemberHeaders
        out += "List-Help: <\(listHelpPrefix)\(subscriber.uniqid)>\r\n".utf8
        out += "List-Unsubscribe: <\(listUnsubscribePrefix)\(subscriber.uniqid)&jo=1>\r\n".utf8
        out += afterListHeaders
        out += "MIME-Version: 1.0\r\n".utf8

        let b1 = Array("b1_\(uniqueID)".utf8)
        let b2 = Array("b2_\(uniqueID)".utf8)
        let b3 = Array("b3_\(uniqueID)".utf8)
        let crlf = MailEncoding.crlf
        let wrappedText = MailEncoding.wrapText(text, length: wordWrap)

        if sendHTML {
            let hasImages = !inlineImages.isEmpty
            let hasAttachments = !attachments.isEmpty
            let outer = hasAttachments ? "multipart/mixed" : "multipart/alternative"
            out += "Content-Type: \(outer);\r\n boundary=\"".utf8 + b1 + "\"\r\n\r\n".utf8
            out += "This is a multi-part message in MIME format.\r\n\r\n".utf8
            let altBoundary = hasAttachments ? b2 : b1
            if hasAttachments {
                out += "--".utf8 + b1 + "\r\nContent-Type: multipart/alternative;\r\n boundary=\"".utf8 + b2
                    + "\"\r\n\r\n".utf8
            }
            out += "--".utf8 + altBoundary
                + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8
            MailEncoding.quotedPrintable(wrappedText, into: &out)
            out += crlf
            let htmlBoundary: [UInt8]
            if hasImages {
                htmlBoundary = hasAttachments ? b3 : b2
                out += "--".utf8 + altBoundary + "\r\nContent-Type: multipart/related;\r\n boundary=\"".utf8
                    + htmlBoundary + "\";\r\n type=\"text/html\"\r\n\r\n".utf8
            } else {
                htmlBoundary = altBoundary
            }
            out += "--".utf8 + htmlBoundary
                + "\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8
            MailEncoding.quotedPrintable(html, into: &out)
            out += crlf
            if hasImages {
                Self.attachAll(inlineImages, boundary: htmlBoundary, into: &out)
                out += crlf
            }
            out += crlf + "--".utf8 + altBoundary + "--".utf8 + crlf
            if hasAttachments {
                out += crlf
                Self.attachAll(attachments, boundary: b1, into: &out)
            }
        } else {
            // PHPMailer 'plain': 8bit unless the text is ASCII (then 7bit, no header) or has a line over 998.
            let has8bit = wrappedText.contains { $0 >= 0x80 }
            let longLine = Self.hasLineLongerThan998(wrappedText)
            out += "Content-Type: text/plain; charset=UTF-8\r\n".utf8
            if longLine {
                out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n".utf8
                MailEncoding.quotedPrintable(wrappedText, into: &out)
            } else {
                if has8bit { out += "Content-Transfer-Encoding: 8bit\r\n".utf8 }
                out += crlf
                out += wrappedText
            }
        }
        // PHPMailer's SMTP writer sends one more empty line after a body ending in CRLF.
        if out.last == 0x0A { out += crlf }

        var envelopeSender = envelope
        if let verp {
            envelopeSender = VERPAddress(campaignID: campaignID, subscriberID: subscriber.id).encode(verp)
        }
        return RenderedMessage(bytes: out, envelopeSender: envelopeSender, recipient: subscriber.email,
                               formatCounter: counter, trackedLinkURLs: state.usedURLs, messageID: messageID)
    }

    private static func attachAll(_ parts: [MIMEAttachment], boundary: [UInt8], into out: inout [UInt8]) {
        for part in parts {
            out += "--".utf8
            out += boundary
            out += MailEncoding.crlf
            out += part.headers
            out += part.base64
            out += MailEncoding.crlf
        }
        out += "--".utf8
        out += boundary
        out += "--\r\n".utf8
    }

    /// PHPMailer::quotedString.
    static func quoted(_ s: String) -> String {
        if s.unicodeScalars.contains(where: { " ()<>@,;:\"/[]?=".unicodeScalars.contains($0) }) {
            return "\"" + PHPString.replace(s, "\"", with: "\\\"") + "\""
        }
        return s
    }

    static func hasLineLongerThan998(_ b: [UInt8]) -> Bool {
        var run = 0
        for c in b {
            if c == 0x0A || c == 0x0D { run = 0 } else {
                run += 1
                if run > 998 { return true }
            }
        }
        return false
    }

    /// PHPMailer::generateId(): base64 of 32 random bytes without '=', '+', '/'.
    static func uniqueID<G: RandomNumberGenerator>(_ g: inout G) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            let v = g.next()
            for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
        }
        var b64 = HeaderEncoding.base64(bytes)
        b64.removeAll { $0 == 0x3D || $0 == 0x2B || $0 == 0x2F }
        return String(decoding: b64, as: UTF8.self)
    }
}

/// Per-message rendering state: the subscriber, the tracked URLs used, the text tids drawn.
struct RenderState {
    let campaign: CompiledCampaign
    let subscriber: SubscriberFields
    let tracking: LinkTrackIDs
    var usedURLs: [String] = []
    /// Forward (url, uuid) per link index, looked up once per message.
    var forwards: [(String, String)?]
    /// PHPList draws one text tid per linktrack uuid per message: (uuid, start, end) in the output buffer of the
    /// text part is not reusable across buffers, so the tid bytes are kept.
    var textTIDs: [String: [UInt8]] = [:]
    var subscriberUUIDBytes: [UInt8]?
    var rng: SplitMix64

    init(campaign: CompiledCampaign, subscriber: SubscriberFields, tracking: LinkTrackIDs) {
        var system = SystemRandomNumberGenerator()
        rng = SplitMix64(seed: system.next())
        self.campaign = campaign
        self.subscriber = subscriber
        self.tracking = tracking
        self.forwards = Array(repeating: nil, count: campaign.links.count)
    }

    mutating func fill(_ pieces: [Piece], decode: Bool, sizeHint: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(sizeHint)
        for p in pieces {
            switch p {
            case .literal(let b):
                out += b
            case .slot(.htmlTID(let index)):
                let (url, uuid) = try forward(index)
                let start = out.count
                var prefix = Array("H|\(uuid)|\(campaign.campaignUUID)|".utf8)
                let mask = campaign.xormaskBytes
                for i in 0..<min(prefix.count, mask.count) { prefix[i] ^= mask[i] }
                TrackingIDBytes.appendHTML(maskedPrefix: prefix, subscriberUUID: subscriber.uuid, mask: mask, into: &out)
                if let key = campaign.hmacKey {
                    let tid = String(decoding: out[start...], as: UTF8.self)
                    out += "&amp;hm=".utf8
                    out += hmac("\(campaign.trackRoot)?tid=\(tid)", key).utf8
                }
                usedURLs.append(url)
            case .slot(.textTID(let index)):
                let (url, uuid) = try forward(index)
                if let existing = textTIDs[uuid] {
                    out += existing
                } else {
                    if subscriberUUIDBytes == nil { subscriberUUIDBytes = TrackingIDBytes.uuidBytes(subscriber.uuid) }
                    var tid: [UInt8] = []
                    tid.reserveCapacity(64)
                    TrackingIDBytes.appendText(link: TrackingIDBytes.uuidBytes(uuid), campaign: campaign.campaignUUIDBytes,
                                               subscriber: subscriberUUIDBytes!, random: rng.next(), into: &tid)
                    if let key = campaign.hmacKey {
                        let t = String(decoding: tid, as: UTF8.self)
                        tid += "&hm=".utf8
                        tid += hmac("\(campaign.trackRoot)?tid=\(t)", key).utf8
                    }
                    textTIDs[uuid] = tid
                    out += tid
                }
                usedURLs.append(url)
            case .slot(let slot):
                let v = Filler.value(slot, subscriber)
                if decode && v.utf8.contains(0x26) {
                    out += PHPString.htmlEntityDecode(v).utf8
                } else {
                    out += v.utf8
                }
            }
        }
        return out
    }

    private mutating func forward(_ index: Int) throws -> (String, String) {
        if let known = forwards[index] { return known }
        let link = campaign.links[index]
        let url = link.fixedURL ?? String(decoding: Filler.fill(link.urlPieces, subscriber, decode: false),
                                          as: UTF8.self)
        guard let uuid = tracking[url] else {
            throw ComposeError.missingLinkTrackUUID(url: url, campaign: campaign.campaignID)
        }
        forwards[index] = (url, uuid)
        return (url, uuid)
    }

    private func hmac(_ message: String, _ key: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key))
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in mac {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// SplitMix64, seeded once per message from the system generator: one getrandom call per message instead
/// of one per random draw. Randomness here only makes Message-IDs unique and text tids unguessable-ish, as
/// PHPMailer's and PHPList's do; 64 bits of fresh seed per message suffice for both.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
