import FacteurTesting
import Foundation
@testable import Bounces

/// Shared material of the intake tests: PHPList's four sample bounces and byte helpers.
enum IntakeFixtures {
    /// The four bounces PHPList 3.6.15 processed (compat/phplist-3.6.15/bounces-sample.mbox).
    static var sampleMbox: URL { TestServices.compatFile("phplist-3.6.15/bounces-sample.mbox") }

    static func sampleBounces() throws -> [[UInt8]] {
        MboxReader.messages(in: Array(try Data(contentsOf: sampleMbox)))
    }

    /// A message with CRLF line ends, as IMAP and POP3 servers hand them out.
    static func crlf(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 40)
        var previous: UInt8 = 0
        for byte in message {
            if byte == 0x0A, previous != 0x0D { out.append(0x0D) }
            out.append(byte)
            previous = byte
        }
        return out
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Feeds `bytes` in chunks of `size` (1 = byte by byte) and collects what `feed` returns.
    static func inChunks<T>(_ bytes: [UInt8], size: Int, _ feed: ([UInt8]) throws -> [T]) rethrows -> [T] {
        var results: [T] = []
        var start = 0
        while start < bytes.count {
            results += try feed(Array(bytes[start..<min(bytes.count, start + size)]))
            start += size
        }
        return results
    }
}
