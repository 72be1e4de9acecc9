/// `logging.*`.
public struct LoggingConfiguration: Sendable, Equatable {
    public var level = LogLevel.info

    public init() {}
}
