import Compose

/// Finds the VERP address a bounce was sent back to: the envelope recipient the intake saw, then the
/// bounce's own To, Delivered-To, X-Original-To, Envelope-To, X-Envelope-To and Original-Recipient.
public enum VERPLocator {
    public enum Finding: Sendable, Equatable {
        /// A VERP address of this configuration with a correct signature.
        case valid(VERPAddress)
        /// Addressed to `<local>+…@<domain>` but the signature is wrong or the ids are malformed.
        case forged(String)
        /// No VERP-shaped address at all.
        case absent
    }

    static let headerNames = ["to", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to", "original-recipient"]

    public static func locate(envelopeRecipient: String?, headers: [HeaderField], config: VERPAddress.Config) -> Finding {
        var candidates: [String] = []
        if let envelopeRecipient { candidates += AddressExtractor.addresses(in: envelopeRecipient) }
        for field in headers where headerNames.contains(field.name.lowercased()) {
            candidates += AddressExtractor.addresses(in: field.value)
        }
        let prefix = config.localPart.lowercased() + "+"
        let domain = "@" + config.domain.lowercased()
        var forged: String?
        for address in candidates {
            let lowered = address.lowercased()
            guard lowered.hasPrefix(prefix), lowered.hasSuffix(domain) else { continue }
            if let verified = VERPAddress.verify(lowered, config) { return .valid(verified) }
            forged = forged ?? address
        }
        return forged.map { .forged($0) } ?? .absent
    }
}
