/// How secrets are shown: never.
enum Redaction {
    static let mask = "****"

    /// A URL with its password masked; text that does not parse is masked whole, since it might be one.
    static func url(_ text: String) -> String {
        if text.isEmpty { return "" }
        guard let url = try? ServiceURL(parsing: text) else { return mask }
        return url.redacted
    }

    /// A secret scalar: shows only whether it is set.
    static func secret(_ text: String) -> String {
        text.isEmpty ? "" : mask
    }
}
