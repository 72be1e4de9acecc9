import SMTP
import Testing
@testable import Relaying

@Suite struct RelaySignalTests {
    @Test func repliesBecomeSignals() {
        func reply(_ code: Int, _ text: String) -> SMTPReply { SMTPReply(code: code, lines: [text]) }
        #expect(RelaySignalClassifier.signal(for: reply(250, "2.0.0 ok"), at: .dataTermination, latency: 0.1) == .delivered(latency: 0.1))
        #expect(RelaySignalClassifier.signal(for: reply(550, "5.1.1 no such user"), at: .rcptTo, latency: 0.1) == .rejected(latency: 0.1))
        #expect(RelaySignalClassifier.signal(for: reply(451, "4.7.1 Please try again later"), at: .rcptTo, latency: 0.1)
                == .throttled(latency: 0.1, atRecipient: true))
        #expect(RelaySignalClassifier.signal(for: reply(450, "4.2.1 The user you are trying to contact is receiving mail too quickly"), at: .rcptTo, latency: 0.1)
                == .deferred(latency: 0.1))
        #expect(RelaySignalClassifier.signal(for: reply(452, "Too many recipients received this hour"), at: .mailFrom, latency: 0.1)
                == .throttled(latency: 0.1, atRecipient: false))
        #expect(RelaySignalClassifier.signal(for: reply(421, "4.3.2 Service shutting down"), at: .mailFrom, latency: 0.1)
                == .throttled(latency: 0.1, atRecipient: false))
        #expect(RelaySignalClassifier.signal(for: reply(451, "4.3.0 Mail server temporarily rejected message"), at: .dataTermination, latency: 0.1)
                == .deferred(latency: 0.1))
        #expect(RelaySignalClassifier.signal(for: reply(450, "4.2.0 greylisted"), at: .rcptTo, latency: 0.1) == .deferred(latency: 0.1))
    }

    @Test func errorsBecomeRelayFailuresExceptA421InATransaction() {
        let closing = SMTPReply(code: 421, lines: ["4.7.0 Too many messages, slow down"])
        #expect(RelaySignalClassifier.signal(for: SMTPError(relay: "r", endpoint: nil, kind: .connectFailed("refused")), latency: 0) == .relayFailed)
        #expect(RelaySignalClassifier.signal(for: SMTPError(relay: "r", endpoint: nil, kind: .greetingRejected(closing)), latency: 0) == .relayFailed)
        #expect(RelaySignalClassifier.signal(for: SMTPError(relay: "r", endpoint: nil, kind: .tlsFailed("bad certificate")), latency: 0) == .relayFailed)
        #expect(RelaySignalClassifier.signal(for: SMTPError(relay: "r", endpoint: nil, kind: .authFailed(SMTPReply(code: 535, lines: ["nope"]))), latency: 0) == .relayFailed)
        #expect(RelaySignalClassifier.signal(for: SMTPError(relay: "r", endpoint: nil, kind: .timeout(stage: .dataTermination, seconds: 600)), latency: 0) == .relayFailed)
        #expect(RelaySignalClassifier.signal(for: SMTPError(relay: "r", endpoint: nil, kind: .serviceClosing(closing, stage: .mailFrom)), latency: 0.2)
                == .throttled(latency: 0.2, atRecipient: false))
        #expect(RelaySignalClassifier.signal(for: SMTPError(relay: "r", endpoint: nil, kind: .serviceClosing(closing, stage: .greeting)), latency: 0) == .relayFailed)
        #expect(RelaySignalClassifier.signal(for: SMTPError(relay: "r", endpoint: nil, kind: .lineTooLong(line: 3, length: 2000)), latency: 0) == .rejected(latency: 0))
    }
}
