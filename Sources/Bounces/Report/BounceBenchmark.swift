/// Parse-and-classify throughput over a set of messages, for `facteur bench bounces` and the opt-in
/// benchmark test. Pure CPU work: the caller reads the messages beforehand.
public enum BounceBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public let messages: Int
        public let recipients: Int
        public let seconds: Double
        public var messagesPerSecond: Double { seconds > 0 ? Double(messages) / seconds : 0 }

        public var description: String {
            "\(messages) messages (\(recipients) recipients) in \((seconds * 1000).rounded() / 1000) s = \(Int(messagesPerSecond)) messages/s"
        }
    }

    /// Parses and classifies every message `rounds` times.
    public static func run(messages: [[UInt8]], rounds: Int) -> Result {
        let clock = ContinuousClock()
        var recipients = 0
        let elapsed = clock.measure {
            for _ in 0..<max(rounds, 1) {
                for message in messages { recipients += BounceParser.parse(message).recipients.count }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(messages: messages.count * max(rounds, 1), recipients: recipients, seconds: seconds)
    }
}
