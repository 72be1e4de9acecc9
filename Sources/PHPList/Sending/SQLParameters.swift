import MariaDB

/// Builds a statement's parameter list from scalars and id lists (`IN (?, ?, …)`).
enum SQLParameters {
    static func list(_ head: [any MariaDBEncodable], _ ids: [Int], _ tail: [any MariaDBEncodable] = [])
        -> [any MariaDBEncodable] {
        head + ids.map { $0 as any MariaDBEncodable } + tail
    }
}
