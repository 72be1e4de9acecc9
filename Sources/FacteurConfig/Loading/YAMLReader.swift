import Yams

/// Turns Facteur's YAML file into checked changes. Works on Yams' node tree rather than `Decodable`
/// because it must see every key (to refuse unknown ones) and every node's line (to point at mistakes).
struct YAMLReader {
    let file: String

    /// The changes the file makes to the root configuration, in file order.
    static func layer(yaml text: String, file: String) throws(ConfigurationError) -> ConfigLayer {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw .yamlSyntax(file: file, line: nil, message: "\(error)")
        }
        guard let root else { return ConfigLayer(setters: []) }
        let reader = YAMLReader(file: file)
        let setters = try reader.decodeMapping(root, prefix: "", displayPrefix: "",
                                               keys: ConfigurationKeys.scalars, lists: ConfigurationKeys.lists)
        return ConfigLayer(setters: setters)
    }

    /// Decodes one mapping whose keys are `keys`/`lists` paths relative to `prefix`.
    func decodeMapping<Root>(
        _ node: Node, prefix: String, displayPrefix: String,
        keys: [ConfigKey<Root>], lists: [ConfigListKey<Root>]
    ) throws(ConfigurationError) -> [ConfigSetter<Root>] {
        if Self.isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            throw .invalidValue(file: file, line: node.mark?.line,
                                key: displayPrefix.isEmpty ? (prefix.isEmpty ? "(top level)" : prefix) : Self.join(displayPrefix, prefix),
                                expected: "a mapping of keys", found: Self.kindName(node))
        }
        var setters: [ConfigSetter<Root>] = []
        var seen: [String: Int] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw .invalidValue(file: file, line: keyNode.mark?.line, key: Self.join(displayPrefix, prefix),
                                    expected: "plain key names", found: Self.kindName(keyNode))
            }
            let name = keyScalar.string
            let relative = prefix.isEmpty ? name : prefix + "." + name
            let display = Self.join(displayPrefix, relative)
            let line = keyNode.mark?.line
            if let earlier = seen[name] {
                throw .duplicateKey(file: file, line: line, key: display, firstLine: earlier)
            }
            seen[name] = line ?? 0

            if let key = keys.first(where: { $0.path == relative }) {
                if Self.isNull(value) { continue }
                guard case .scalar(let scalar) = value else {
                    throw .invalidValue(file: file, line: line, key: display, expected: key.expected, found: Self.kindName(value))
                }
                guard let setter = key.setter(scalar.string) else {
                    throw .invalidValue(file: file, line: value.mark?.line ?? line, key: display, expected: key.expected,
                                        found: key.isSecret ? "a value (not shown: secret)" : Self.kindName(value))
                }
                setters.append(setter)
            } else if let list = lists.first(where: { $0.path == relative }) {
                if Self.isNull(value) { continue }
                setters.append(try list.decode(value, display, file))
            } else if Self.sectionExists(relative, keys: keys, lists: lists) {
                setters += try decodeMapping(value, prefix: relative, displayPrefix: displayPrefix, keys: keys, lists: lists)
            } else {
                let siblings = Self.childNames(of: prefix, keys: keys, lists: lists)
                throw .unknownKey(file: file, line: line, key: display,
                                  suggestion: Self.closest(to: name, among: siblings).map { Self.join(displayPrefix, prefix.isEmpty ? $0 : prefix + "." + $0) })
            }
        }
        return setters
    }

    // MARK: - Key names

    private static func allPaths<Root>(_ keys: [ConfigKey<Root>], _ lists: [ConfigListKey<Root>]) -> [String] {
        keys.map(\.path) + lists.map(\.path)
    }

    private static func sectionExists<Root>(_ path: String, keys: [ConfigKey<Root>], lists: [ConfigListKey<Root>]) -> Bool {
        allPaths(keys, lists).contains { $0.hasPrefix(path + ".") }
    }

    /// The names directly under `prefix`: "database" → url, table_prefix, …
    private static func childNames<Root>(of prefix: String, keys: [ConfigKey<Root>], lists: [ConfigListKey<Root>]) -> [String] {
        let start = prefix.isEmpty ? "" : prefix + "."
        var names: [String] = []
        for path in allPaths(keys, lists) where path.hasPrefix(start) {
            let rest = path.dropFirst(start.count)
            let name = String(rest.prefix(while: { $0 != "." }))
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The candidate within a small edit distance, to turn a typo into a "did you mean".
    static func closest(to name: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(name.lowercased(), $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    static func join(_ display: String, _ relative: String) -> String {
        if display.isEmpty { return relative }
        if relative.isEmpty { return display }
        return display + "." + relative
    }

    // MARK: - Nodes

    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && node.null != nil
    }

    /// How a found value is named in errors: the scalar quoted (shortened), or its kind.
    static func kindName(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            let text = scalar.string
            return "'" + (text.count > 60 ? String(text.prefix(57)) + "..." : text) + "'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// A value for the redacted dump: as is, except that an empty or space-padded string is quoted
    /// so it can be told from a missing one.
    static func quoted(_ text: String) -> String {
        if text.isEmpty || text.first!.isWhitespace || text.last!.isWhitespace {
            return "\"" + text.replacingBackslashesAndQuotes() + "\""
        }
        return text
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ConfigurationError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let where_ = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return .yamlSyntax(file: file, line: mark.line, message: problem + where_)
        case .reader(let problem, _, _, _):
            return .yamlSyntax(file: file, line: nil, message: problem)
        default:
            return .yamlSyntax(file: file, line: nil, message: "not valid YAML")
        }
    }
}

private extension String {
    func replacingBackslashesAndQuotes() -> String {
        var result = ""
        for character in self {
            if character == "\\" || character == "\"" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
