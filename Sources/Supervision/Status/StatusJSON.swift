import Foundation

/// `facteur status --json` and `/status.json`: the snapshot with sorted keys and ISO 8601 UTC dates, so
/// scripts can rely on the keys and diffs stay readable.
public enum StatusJSON {
    public static func encode(_ snapshot: StatusSnapshot, pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(snapshot)
    }

    public static func decode(_ data: Data) throws -> StatusSnapshot {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(StatusSnapshot.self, from: data)
    }
}
