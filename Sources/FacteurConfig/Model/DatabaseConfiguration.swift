/// `database.*`: PHPList's MariaDB/MySQL database.
public struct DatabaseConfiguration: Sendable, Equatable {
    /// `mysql://user:password@host:port/name`; empty means not configured.
    public var url = ""
    public var tablePrefix = "phplist_"
    public var userTablePrefix = "phplist_user_"
    public var maxConnections = 8

    public init() {}

    /// The parsed URL, or why it cannot be parsed.
    public var parsedURL: Result<ServiceURL, ServiceURL.ParseError> {
        Result { () throws(ServiceURL.ParseError) in try ServiceURL(parsing: url) }
    }
}
