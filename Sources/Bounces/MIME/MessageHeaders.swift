/// The header section of a message or body part, in order, looked up case-insensitively.
public struct MessageHeaders: Sendable, Equatable {
    public private(set) var fields: [HeaderField]

    public init(_ fields: [HeaderField] = []) {
        self.fields = fields
    }

    public var isEmpty: Bool { fields.isEmpty }

    /// The decoded value of the first field called `name`, if any.
    public subscript(_ name: String) -> String? {
        first(name)?.value
    }

    /// The undecoded value of the first field called `name`.
    public func raw(_ name: String) -> String? {
        first(name)?.rawValue
    }

    /// All decoded values of the fields called `name`, in order.
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    public func contains(_ name: String) -> Bool { first(name) != nil }

    private func first(_ name: String) -> HeaderField? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }
    }
}
