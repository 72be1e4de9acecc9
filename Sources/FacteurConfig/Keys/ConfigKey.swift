/// A change to apply to a configuration value, produced once a key's text has been checked.
struct ConfigSetter<Root>: Sendable {
    let apply: @Sendable (inout Root) -> Void
}

/// A scalar key: its dotted path, how its text is parsed, and how its value is shown (redacted).
///
/// The list of keys drives the YAML reader, the environment overrides and the redacted dump, so a key
/// added here is known to all three.
struct ConfigKey<Root>: Sendable {
    /// Dotted path relative to `Root`: "database.url" for the root, "url" inside a relay.
    let path: String
    let expected: String
    /// Passwords, tokens and URLs that may carry credentials: never echoed in errors or dumps.
    let isSecret: Bool
    let setter: @Sendable (String) -> ConfigSetter<Root>?
    let render: @Sendable (Root) -> String

    static func scalar<Value: ConfigScalar>(
        _ path: String, _ keyPath: WritableKeyPath<Root, Value> & Sendable, secret: Bool = false
    ) -> ConfigKey {
        ConfigKey(
            path: path,
            expected: Value.expectedDescription,
            isSecret: secret,
            setter: { text in
                guard let value = Value(configText: text) else { return nil }
                return ConfigSetter { root in root[keyPath: keyPath] = value }
            },
            render: { root in
                let text = root[keyPath: keyPath].configText
                return secret ? Redaction.secret(text) : text
            }
        )
    }

    /// A URL whose password is redacted when shown, but whose other parts help an operator.
    static func url(_ path: String, _ keyPath: WritableKeyPath<Root, String> & Sendable) -> ConfigKey {
        ConfigKey(
            path: path,
            expected: String.expectedDescription,
            isSecret: true,
            setter: { text in ConfigSetter { root in root[keyPath: keyPath] = text } },
            render: { root in Redaction.url(root[keyPath: keyPath]) }
        )
    }

    /// "FACTEUR_" + the path in upper snake case: database.url → FACTEUR_DATABASE_URL.
    var environmentVariable: String {
        "FACTEUR_" + path.uppercased().replacingDots(with: "_")
    }
}

extension String {
    func replacingDots(with replacement: Character) -> String {
        String(map { $0 == "." ? replacement : $0 })
    }
}
