extension FacteurConfiguration {
    /// Every environment variable that can set a key, in key order: `FACTEUR_DATABASE_URL`, …
    public static var environmentVariables: [String] {
        ConfigurationKeys.scalars.map(\.environmentVariable)
    }

    /// `FACTEUR_…` variables that set nothing, probably misspelt: a typo in the environment must not pass
    /// silently either. `FACTEUR_CONFIG` and the test suite's `FACTEUR_TEST_…` are not settings and are ignored.
    public static func environmentProblems(_ environment: [String: String]) -> [ConfigurationProblem] {
        let known = Set(environmentVariables)
        return environment.keys.sorted().compactMap { name in
            guard name.hasPrefix("FACTEUR_"), name != "FACTEUR_CONFIG", !name.hasPrefix("FACTEUR_TEST_"),
                  !known.contains(name) else { return nil }
            let suggestion = YAMLReader.closest(to: name.lowercased(), among: environmentVariables.map { $0.lowercased() })
                .map { " (did you mean \($0.uppercased())?)" } ?? ""
            return ConfigurationProblem(.warning, key: name,
                                        "environment variable \(name) is not a Facteur setting and is ignored\(suggestion)")
        }
    }
}
