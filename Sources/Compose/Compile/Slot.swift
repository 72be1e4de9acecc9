/// A per-subscriber value in a compiled part. Everything else in a compiled message is fixed bytes.
enum Slot: Sendable {
    /// phplist_user_user.uniqid (PHPList's `$hash`)
    case uniqid
    case email
    case subscriberID
    case subscriberUUID
    case htmlEmail
    /// A user-table column other than the above ([ENTERED], …); `ifEmpty` is a `%%` default.
    case column(name: String, ifEmpty: String?)
    /// An attribute: the value when the subscriber has a row, `ifAbsent` (the literal placeholder, or the
    /// `%%` default) when not; `ifEmpty` is the `%%` default for an empty value.
    case attribute(name: String, ifAbsent: String, ifEmpty: String?)
    /// [LISTS]: list names joined by `separator`, or the "no lists" text.
    case lists(separator: String, none: String)
    /// The tid (and &amp;hm=) of tracked HTML link n.
    case htmlTID(link: Int)
    /// The tid (and &hm=) of tracked text link n.
    case textTID(link: Int)
}

/// A piece of a compiled part: fixed bytes or a slot.
enum Piece: Sendable {
    case literal([UInt8])
    case slot(Slot)
}

/// A tracked link: the linktrack_forward URL (fixed, or built from pieces when it depends on the
/// subscriber) and whether it is personal.
struct LinkDefinition: Sendable {
    var fixedURL: String?
    var urlPieces: [Piece]
    var personalise: Bool
}

/// Markers stand for slots inside the symbolic strings the compiler runs PHPList's steps on: private-use
/// characters around the slot number, containing nothing PHPList's patterns react to (no space, quote, angle
/// bracket or square bracket). A class because placeholder closures add slots while a parse runs; it lives
/// only during one compilation.
final class SlotTable {
    private(set) var slots: [Slot] = []

    func marker(_ slot: Slot) -> String {
        slots.append(slot)
        return "\u{E000}\(slots.count - 1)\u{E001}"
    }

    static func containsMarker(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0 == "\u{E000}" }
    }

    /// Splits a symbolic string into pieces. `transformLiteral` runs on the fixed text (e.g. the entity
    /// decoding PHPList applies to the whole text part).
    func pieces(_ s: String, transformLiteral: (String) -> String = { $0 }) -> [Piece] {
        var out: [Piece] = []
        var literal = ""
        var number = ""
        var inMarker = false
        for scalar in s.unicodeScalars {
            if scalar == "\u{E000}" {
                inMarker = true
                number = ""
            } else if scalar == "\u{E001}" && inMarker {
                inMarker = false
                if !literal.isEmpty {
                    out.append(.literal(Array(transformLiteral(literal).utf8)))
                    literal = ""
                }
                out.append(.slot(slots[Int(number)!]))
            } else if inMarker {
                number.unicodeScalars.append(scalar)
            } else {
                literal.unicodeScalars.append(scalar)
            }
        }
        if !literal.isEmpty { out.append(.literal(Array(transformLiteral(literal).utf8))) }
        return out
    }
}
