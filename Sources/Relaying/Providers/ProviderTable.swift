import FacteurConfig

/// Maps a destination domain to the provider (one mail system) whose limits it shares:
/// `googlemail.com` → `gmail`, `wanadoo.fr` → `orange`. A domain in no provider is its own provider.
///
/// The sending side (rate controllers, `facteur_provider_stats`) and the bounce processor use this
/// same mapping, so their counts meet in the same rows.
public struct ProviderTable: Sendable, Equatable {
    /// One provider: its key, domains and ceilings (0 = no limit).
    public struct Provider: Sendable, Equatable {
        public let name: String
        public let domains: [String]
        public let maxRate: Double
        public let maxConcurrent: Int

        public init(name: String, domains: [String], maxRate: Double = 0, maxConcurrent: Int = 0) {
            self.name = name
            self.domains = domains.map { $0.lowercased() }
            self.maxRate = maxRate
            self.maxConcurrent = maxConcurrent
        }
    }

    public let providers: [Provider]
    private let byDomain: [String: Int]

    /// A table of exactly `providers`; a later provider wins a domain listed twice.
    public init(providers: [Provider]) {
        self.providers = providers
        var byDomain: [String: Int] = [:]
        for (index, provider) in providers.enumerated() {
            for domain in provider.domains { byDomain[domain] = index }
        }
        self.byDomain = byDomain
    }

    /// The shipped table, with `throttle.providers` from the configuration added: an entry with a
    /// shipped provider's name replaces it, and its domains leave whichever provider had them.
    public init(configured: [ProviderConfiguration]) {
        let overrides = configured.map {
            Provider(name: $0.name, domains: $0.domains, maxRate: $0.maxRate, maxConcurrent: $0.maxConcurrent)
        }
        let replaced = Set(overrides.map(\.name))
        let claimed = Set(overrides.flatMap(\.domains))
        let kept = Self.shipped.providers
            .filter { !replaced.contains($0.name) }
            .map { Provider(name: $0.name, domains: $0.domains.filter { !claimed.contains($0) },
                            maxRate: $0.maxRate, maxConcurrent: $0.maxConcurrent) }
        self.init(providers: kept + overrides)
    }

    /// The provider key of a domain (case-insensitive, trailing dot ignored): its provider's name,
    /// else the domain itself in lower case.
    public func provider(forDomain domain: some StringProtocol) -> String {
        var key = domain.lowercased()
        if key.hasSuffix(".") { key.removeLast() }
        if let index = byDomain[key] { return providers[index].name }
        return key
    }

    /// The provider key of an address's domain (after the last `@`).
    public func provider(forAddress address: some StringProtocol) -> String {
        provider(forDomain: Self.domain(of: address))
    }

    /// The named provider's entry, when it is in the table (unknown domains have none: no limits).
    public func limits(of provider: String) -> Provider? {
        providers.first { $0.name == provider }
    }

    /// The part after the last `@`, lower-cased; the whole text when there is no `@`.
    public static func domain(of address: some StringProtocol) -> String {
        guard let at = address.lastIndex(of: "@") else { return address.lowercased() }
        return address[address.index(after: at)...].lowercased()
    }

    public static func == (lhs: ProviderTable, rhs: ProviderTable) -> Bool { lhs.providers == rhs.providers }
}
