import Yams

/// A key whose value is a YAML list (`relays`, `bounces.mailboxes`, `bounces.domains`).
/// Lists come from the file only: a list replaces the whole list of a lower layer.
struct ConfigListKey<Root>: Sendable {
    let path: String
    /// One line per element for the redacted dump.
    let render: @Sendable (Root) -> [String]
    let decode: @Sendable (_ node: Node, _ displayPath: String, _ file: String) throws(ConfigurationError) -> ConfigSetter<Root>

    /// A list of mappings, each decoded with `keys` over `template`; `finish` fills derived defaults.
    static func mappings<Element: Sendable>(
        _ path: String,
        _ keyPath: WritableKeyPath<Root, [Element]> & Sendable,
        keys: [ConfigKey<Element>],
        lists: [ConfigListKey<Element>] = [],
        template: Element
    ) -> ConfigListKey {
        ConfigListKey(
            path: path,
            render: { root in
                root[keyPath: keyPath].map { element in
                    let scalars = keys.map { "\($0.path): \(YAMLReader.quoted($0.render(element)))" }
                    let nested = lists.map { "\($0.path): [\($0.render(element).joined(separator: ", "))]" }
                    return "{ " + (scalars + nested).joined(separator: ", ") + " }"
                }
            },
            decode: { node, displayPath, file throws(ConfigurationError) in
                guard case .sequence(let sequence) = node else {
                    throw .invalidValue(file: file, line: node.mark?.line, key: displayPath,
                                        expected: "a list", found: YAMLReader.kindName(node))
                }
                var elements: [Element] = []
                for (position, item) in sequence.enumerated() {
                    let reader = YAMLReader(file: file)
                    let setters = try reader.decodeMapping(item, prefix: "", displayPrefix: "\(displayPath)[\(position)]",
                                                           keys: keys, lists: lists)
                    var element = template
                    for setter in setters { setter.apply(&element) }
                    elements.append(element)
                }
                let result = elements
                return ConfigSetter { root in root[keyPath: keyPath] = result }
            }
        )
    }

    /// A list of scalars.
    static func scalars<Value: ConfigScalar>(_ path: String, _ keyPath: WritableKeyPath<Root, [Value]> & Sendable) -> ConfigListKey {
        ConfigListKey(
            path: path,
            render: { root in root[keyPath: keyPath].map(\.configText) },
            decode: { node, displayPath, file throws(ConfigurationError) in
                guard case .sequence(let sequence) = node else {
                    throw .invalidValue(file: file, line: node.mark?.line, key: displayPath,
                                        expected: "a list", found: YAMLReader.kindName(node))
                }
                var values: [Value] = []
                for (position, item) in sequence.enumerated() {
                    guard case .scalar(let scalar) = item, let value = Value(configText: scalar.string) else {
                        throw .invalidValue(file: file, line: item.mark?.line, key: "\(displayPath)[\(position)]",
                                            expected: Value.expectedDescription, found: YAMLReader.kindName(item))
                    }
                    values.append(value)
                }
                let result = values
                return ConfigSetter { root in root[keyPath: keyPath] = result }
            }
        )
    }
}
