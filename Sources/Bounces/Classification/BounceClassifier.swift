import SMTP

/// Decides the reason and hard/soft nature of one failed recipient from its enhanced status code,
/// SMTP reply code and diagnostic text. The text is consulted first because receivers often send a
/// generic code (5.0.0, 5.7.1, 550) with a precise explanation; a specific status code decides when
/// the text names no cause; `context` (the human-readable part of the bounce) is the last resort.
public enum BounceClassifier {
    /// - Parameters:
    ///   - context: the bounce's human-readable text, consulted when the diagnostic names no cause.
    ///   - recipient: the failed address, used to find its own lines in a session transcript.
    ///   - dialogue: when given, the only text that says at which SMTP command this recipient failed
    ///     (a plain-text bounce's block for the recipient).
    ///   - dialogueHint: a fallback for that, used when neither the diagnostic nor the transcript tells.
    public static func classify(status: EnhancedStatus?, replyCode: Int?, diagnostic: String,
                                action: BouncedRecipient.Action = .failed, context: String = "",
                                recipient: String = "", dialogue: String? = nil,
                                dialogueHint: String = "") -> (reason: BounceReason, isHard: Bool) {
        var reason = reason(status: status, replyCode: replyCode, diagnostic: diagnostic, action: action, context: context)
        // A DNS answer that may change (a 4.x.x status) does not prove that the domain does not exist.
        if reason == .hostunknown, status?.isTransient ?? (replyCode.map { $0 / 100 == 4 } ?? false) { reason = .networkerror }
        if reason.isFailure {
            let command: SMTPCommand?
            if let dialogue {
                command = SMTPCommandDetector.command(in: dialogue)
            } else {
                command = SMTPCommandDetector.command(in: diagnostic)
                    ?? SMTPCommandDetector.command(in: context, before: recipient, reply: diagnostic)
                    ?? SMTPCommandDetector.command(in: dialogueHint)
            }
            reason = adjusted(reason, for: command, status: status, evidence: dialogue ?? diagnostic + "\n" + dialogueHint)
        }
        return (reason, isHard(reason: reason, status: status, replyCode: replyCode))
    }

    /// Where in the dialogue the refusal came changes its meaning: an "unknown user" after DATA is a
    /// recipient-side filter (the address was accepted at RCPT) unless the code itself says x.1.x; a
    /// refusal of MAIL FROM concerns the sender; a refusal at the greeting or EHLO concerns the sending host.
    private static func adjusted(_ reason: BounceReason, for command: SMTPCommand?, status: EnhancedStatus?,
                                 evidence: String) -> BounceReason {
        switch command {
        case .data? where reason == .userunknown && status?.subject != 1 && !provesMailboxUnknown(evidence):
            return .filtered
        case _ where reason == .userunknown && command != .rcptTo && [2, 3, 7].contains(status?.subject ?? 0):
            // "User unknown" sent with a mailbox-status code (x.2.x: the mailbox exists but is disabled or
            // refuses), a mail-system code (x.3.x) or a security/policy code (x.7.x), and not in reply to
            // RCPT TO (the command naming the mailbox): the code contradicts the text, so it is a refusal,
            // not proof that the address is dead; soft, as Sisimai's Filtered/UserUnknown rules decide.
            return .filtered
        case .mailFrom? where [.userunknown, .hostunknown, .filtered, .onhold, .undefined].contains(reason):
            return .rejected
        case .connect? where [.userunknown, .filtered, .rejected, .onhold, .undefined, .mailboxfull, .securityerror,
                              .systemerror, .policyviolation, .spamdetected].contains(reason):
            return .blocked
        default:
            return reason
        }
    }

    /// Some receivers only check recipients after DATA and say so unambiguously, in their documented
    /// wording that the account does not exist (Yahoo: "554 delivery error: dd This user doesn't have a
    /// yahoo.com account"). A bare "User unknown" after DATA stays a filter's refusal.
    private static func provesMailboxUnknown(_ text: String) -> Bool {
        let normalized = PhraseMatcher.normalize(text)
        return ["doesn't have a", "does not have a", "has no account"].contains { phrase in
            PhraseMatcher.contains(normalized, phrase) && PhraseMatcher.contains(normalized, "account")
        }
    }

    /// README rule: userunknown, hostunknown, hasmoved are always hard; notaccept when permanent.
    public static func isHard(reason: BounceReason, status: EnhancedStatus?, replyCode: Int?) -> Bool {
        switch reason {
        case .userunknown, .hostunknown, .hasmoved: return true
        case .notaccept:
            if let status { return !status.isTransient }
            if let replyCode { return replyCode / 100 != 4 }
            return true
        default: return false
        }
    }

    static func reason(status: EnhancedStatus?, replyCode: Int?, diagnostic: String,
                       action: BouncedRecipient.Action, context: String) -> BounceReason {
        if action == .delivered || status?.isSuccess == true { return .delivered }
        if let status, let decisive = StatusCodeReasons.decisiveReason(for: status) { return decisive }
        if let found = PhraseMatcher.reason(in: diagnostic, table: ReasonPhrases.table) { return found }
        if DomainPhrases.saysDomainDoesNotExist(diagnostic) { return .hostunknown }
        // A queue-lifetime status (x.4.7), a delay, or a final failure with a transient "no answer" /
        // "bad connection" code (4.4.1, 4.4.2) means the sending MTA retried until it gave up, unless the
        // last remote answer named a cause.
        let queueLifetime = status.map {
            $0.subject == 4 && ($0.detail == 7 || ($0.isTransient && action == .failed && ($0.detail == 1 || $0.detail == 2)))
        } ?? false
        if let status, !queueLifetime, let byCode = StatusCodeReasons.reason(for: status) { return byCode }
        if queueLifetime || action == .delayed {
            return PhraseMatcher.reason(in: diagnostic, table: ReasonPhrases.generic) ?? .expired
        }
        if let found = PhraseMatcher.reason(in: context, table: ReasonPhrases.table) { return found }
        if let found = PhraseMatcher.reason(in: diagnostic, table: ReasonPhrases.generic) { return found }
        if let replyCode, let byReply = replyCodeReason(replyCode) { return byReply }
        if let found = PhraseMatcher.reason(in: context, table: ReasonPhrases.generic) { return found }
        if status != nil || replyCode != nil { return .onhold }
        return .undefined
    }

    /// RFC 5321 §4.2.3 codes specific enough on their own.
    private static func replyCodeReason(_ code: Int) -> BounceReason? {
        switch code {
        case 551: return .hasmoved
        case 552: return .mailboxfull
        case 553: return .userunknown
        case 421: return .systemerror
        case 452: return .systemfull
        case 500, 501, 502, 503, 504: return .syntaxerror
        case 521, 556: return .notaccept
        default: return nil
        }
    }
}
