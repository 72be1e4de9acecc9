/// Reads PHP's `serialize()` format: `N;`, `b:1;`, `i:3;`, `d:0.5;`, `s:5:"hello";`, `a:2:{...}`.
/// String lengths count UTF-8 bytes, so parsing works on bytes.
public struct PHPUnserializer {
    public enum Failure: Error, CustomStringConvertible, Sendable {
        case unexpected(offset: Int, expected: String)
        public var description: String {
            switch self {
            case .unexpected(let offset, let expected): return "serialized PHP value: expected \(expected) at byte \(offset)"
            }
        }
    }

    private let bytes: [UInt8]
    private var index = 0

    public static func unserialize(_ text: String) throws(Failure) -> PHPValue {
        var parser = PHPUnserializer(bytes: Array(text.utf8))
        return try parser.value()
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func value() throws(Failure) -> PHPValue {
        guard index < bytes.count else { throw .unexpected(offset: index, expected: "a value") }
        let tag = bytes[index]
        index += 1
        switch tag {
        case UInt8(ascii: "N"):
            try expect(";")
            return .null
        case UInt8(ascii: "b"):
            try expect(":")
            let n = try integer(until: ";")
            return .bool(n != 0)
        case UInt8(ascii: "i"):
            try expect(":")
            return .int(try integer(until: ";"))
        case UInt8(ascii: "d"):
            try expect(":")
            let text = try token(until: ";")
            guard let d = Double(text) else { throw .unexpected(offset: index, expected: "a number") }
            return .double(d)
        case UInt8(ascii: "s"):
            try expect(":")
            return .string(try string())
        case UInt8(ascii: "a"):
            try expect(":")
            let count = try integer(until: ":")
            try expect("{")
            var entries: [PHPArrayElement] = []
            for _ in 0..<max(0, count) {
                let key: PHPArrayKey
                switch try value() {
                case .int(let i): key = .int(i)
                case .string(let s): key = .string(s)
                default: throw .unexpected(offset: index, expected: "an array key")
                }
                entries.append(PHPArrayElement(key: key, value: try value()))
            }
            try expect("}")
            return .array(entries)
        default:
            throw .unexpected(offset: index - 1, expected: "one of N b i d s a")
        }
    }

    private mutating func string() throws(Failure) -> String {
        let length = try integer(until: ":")
        try expect("\"")
        guard length >= 0, index + length <= bytes.count else { throw .unexpected(offset: index, expected: "\(length) bytes") }
        let text = String(decoding: bytes[index..<index + length], as: UTF8.self)
        index += length
        try expect("\"")
        try expect(";")
        return text
    }

    private mutating func integer(until terminator: Character) throws(Failure) -> Int {
        let text = try token(until: terminator)
        guard let n = Int(text) else { throw .unexpected(offset: index, expected: "an integer") }
        return n
    }

    private mutating func token(until terminator: Character) throws(Failure) -> String {
        let stop = terminator.asciiValue!
        let start = index
        while index < bytes.count, bytes[index] != stop { index += 1 }
        guard index < bytes.count else { throw .unexpected(offset: start, expected: "'\(terminator)'") }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        return text
    }

    private mutating func expect(_ character: Character) throws(Failure) {
        guard index < bytes.count, bytes[index] == character.asciiValue! else {
            throw .unexpected(offset: index, expected: "'\(character)'")
        }
        index += 1
    }
}
