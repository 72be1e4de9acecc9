import Compose
import PHPList

/// Identification by the returned original's Message-ID (policy `facteur`): Facteur's campaign Message-IDs
/// (`CampaignMessageID`) on the configured domain carry the campaign and subscriber ids and a check tied to
/// the subscriber's uniqid; the ids are used only when the check matches, so a made-up Message-ID names nobody.
struct OriginalMessageIDLookup {
    let writer: PHPListBounceWriter

    func identify(_ messageID: String?, domain: String?) throws -> (campaign: Int, subscriber: Int)? {
        guard let messageID, let domain, let claim = CampaignMessageID.claimed(by: messageID, domain: domain) else { return nil }
        let rows = try writer.connection.query("SELECT uniqid FROM \(writer.tables.user) WHERE id = ?", [claim.subscriberID])
        guard let uniqid = try rows.first?.decode("uniqid", as: String?.self) ?? nil,
              CampaignMessageID.check(campaignID: claim.campaignID, subscriberID: claim.subscriberID, uniqid: uniqid) == claim.check
        else { return nil }
        return (claim.campaignID, claim.subscriberID)
    }
}
