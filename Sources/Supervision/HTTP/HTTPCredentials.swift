import FacteurConfig
import Foundation

/// What a client must present: a bearer token, a Basic user and password, either, or nothing (loopback
/// without credentials configured).
public struct HTTPCredentials: Sendable, Equatable {
    public var token: String?
    public var basic: (user: String, password: String)?

    public init(token: String? = nil, basic: (user: String, password: String)? = nil) {
        self.token = token
        self.basic = basic
    }

    /// From `http.token` and `http.basic_auth`.
    public init(_ configuration: HTTPConfiguration) throws(SupervisionError) {
        token = configuration.token.isEmpty ? nil : configuration.token
        if !configuration.basicAuth.isEmpty {
            guard let credentials = configuration.basicAuthCredentials else { throw .invalidBasicAuth }
            basic = credentials
        }
    }

    public var isEmpty: Bool { token == nil && basic == nil }

    /// True when the `Authorization` header value carries the token or the Basic credentials.
    /// Comparisons take the same time whatever prefix matches, so timing tells nothing of the secret.
    public func accepts(authorization: String?) -> Bool {
        if isEmpty { return true }
        guard let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return false }
        let scheme = parts[0].lowercased(), value = parts[1].trimmingCharacters(in: .whitespaces)
        if scheme == "bearer", let token {
            return Self.constantTimeEqual(Array(value.utf8), Array(token.utf8))
        }
        if scheme == "basic", let basic, let decoded = Data(base64Encoded: value) {
            return Self.constantTimeEqual(Array(decoded), Array("\(basic.user):\(basic.password)".utf8))
        }
        return false
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }

    public static func == (lhs: HTTPCredentials, rhs: HTTPCredentials) -> Bool {
        lhs.token == rhs.token && lhs.basic?.user == rhs.basic?.user && lhs.basic?.password == rhs.basic?.password
    }
}
