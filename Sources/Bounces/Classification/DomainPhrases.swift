/// "example.com does not exist" / "domain example.com does not exist": a host name (a dotted token
/// without "@") right before "does not exist" names a missing domain, not a missing mailbox.
enum DomainPhrases {
    static func saysDomainDoesNotExist(_ text: String) -> Bool {
        let lowered = text.lowercased()
        for range in lowered.ranges(of: " does not exist") {
            let before = lowered[..<range.lowerBound]
            let token = before.reversed().prefix { !" \t\n<>\"'(:".contains($0) }
            let name = String(token.reversed()).trimming(".[]")
            if name.contains("."), !name.contains("@"), name.first?.isLetter ?? false,
               name.split(separator: ".").count >= 2 {
                return true
            }
        }
        return false
    }
}
