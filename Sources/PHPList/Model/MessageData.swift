/// A campaign's `messagedata` rows: what PHPList's campaign pages saved, `addslashes()`-escaped, with
/// arrays stored as `SER:` + PHP `serialize()`. Values are returned unescaped.
public struct MessageData: Sendable, Equatable {
    public let campaignID: Int
    private let raw: [String: String]

    public init(campaignID: Int, raw: [String: String]) {
        self.campaignID = campaignID
        self.raw = raw
    }

    public var names: [String] { raw.keys.sorted() }

    /// The stored text with PHP's escaping removed; nil when the key is absent.
    public subscript(_ name: String) -> String? {
        raw[name].map(PHPStrings.stripSlashes)
    }

    /// A `SER:` value decoded; a plain value is returned as a string.
    public func value(_ name: String) throws(PHPListError) -> PHPValue? {
        guard let stored = raw[name] else { return nil }
        guard stored.hasPrefix("SER:") else { return .string(PHPStrings.stripSlashes(stored)) }
        do {
            return try PHPUnserializer.unserialize(PHPStrings.stripSlashes(String(stored.dropFirst(4))))
        } catch {
            throw .malformedMessageData(campaign: campaignID, name: name, reason: error.description)
        }
    }

    /// The lists the campaign targets, as PHPList's `targetlist` array keeps them (values are list ids;
    /// the `unselect` entry is the UI's placeholder).
    public func targetListIDs() throws(PHPListError) -> [Int] {
        guard case .array(let entries)? = try value("targetlist") else { return [] }
        return entries.compactMap { entry in
            guard case .int = entry.key else { return nil }
            return entry.value.stringValue.flatMap { Int($0) }
        }.filter { $0 > 0 }
    }

    /// The lists whose members must not receive the campaign (`excludelist`, USE_LIST_EXCLUDE): processqueue
    /// implodes the array's values into its query, so the values are the list ids.
    public func excludedListIDs() throws(PHPListError) -> [Int] {
        guard case .array(let entries)? = try value("excludelist") else { return [] }
        return entries.compactMap { entry -> Int? in
            if case .string("unselect") = entry.key { return nil }
            return entry.value.stringValue.flatMap { Int($0) }
        }.filter { $0 > 0 }
    }
}
