/// How long to wait at each stage, in seconds. Defaults are RFC 5321 §4.5.3.2's minimums;
/// greeting, EHLO, STARTTLS, AUTH, RSET, NOOP and QUIT use `greeting`'s 5 minutes.
public struct SMTPTimeouts: Sendable, Hashable {
    public var connect: Double = 30
    public var greeting: Double = 300
    public var mailFrom: Double = 300
    public var rcptTo: Double = 300
    public var dataInitiation: Double = 120
    public var dataBlock: Double = 180
    public var dataTermination: Double = 600
    /// An unused connection is closed with QUIT after this long.
    public var idle: Double = 300

    public init() {}

    public func seconds(for stage: SMTPStage) -> Double {
        switch stage {
        case .connect: connect
        case .greeting, .ehlo, .helo, .startTLS, .tlsHandshake, .auth, .rset, .noop, .quit: greeting
        case .mailFrom: mailFrom
        case .rcptTo: rcptTo
        case .dataInitiation: dataInitiation
        case .dataBlock: dataBlock
        case .dataTermination: dataTermination
        case .idle: idle
        }
    }
}
