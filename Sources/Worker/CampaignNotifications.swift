import Foundation
import PHPList

/// processqueue's start and end notifications: sent to the campaign's `notify_start` / `notify_end`
/// addresses (the config's `notifystart_default` / `notifyend_default` when the campaign has none) once
/// per campaign, remembered in messagedata `start_notified` / `end_notified` as PHPList does. With no
/// address, PHPList writes neither the mail nor the key, and neither does Facteur.
struct CampaignNotifications: Sendable {
    let database: PHPListDatabase
    let settings: WorkerSettings
    let mailer: SystemMailer

    func campaignStarted(_ campaign: Campaign) async throws {
        let (addresses, data) = try await addresses(campaign: campaign.id, key: "notify_start", fallback: "notifystart_default")
        guard !addresses.isEmpty, data["start_notified"] == nil else { return }
        await mailer.send(
            to: addresses, subject: "Campaign started",
            body: "phpList has started sending the campaign with subject \(campaign.subject)\n\n"
                + "to view the progress of this campaign, go to \(try await adminURL())/?page=messages&amp;tab=active")
        try await database.setMessageDataNowIfAbsent(campaign: campaign.id, name: "start_notified")
    }

    func campaignFinished(_ campaign: Campaign) async throws {
        let (addresses, data) = try await addresses(campaign: campaign.id, key: "notify_end", fallback: "notifyend_default")
        guard !addresses.isEmpty, data["end_notified"] == nil else { return }
        await mailer.send(
            to: addresses, subject: "Campaign finished",
            body: "phpList has finished sending the campaign with subject \(campaign.subject)\n\n"
                + "to view the statistics of this campaign, go to \(try await adminURL())/?page=statsoverview&id=\(campaign.id)")
        try await database.setMessageDataNow(campaign: campaign.id, name: "end_notified")
    }

    private func addresses(campaign id: Int, key: String, fallback: String) async throws -> (String, MessageData) {
        let data = try await database.messageData(campaign: id)
        if let own = data[key] { return (own, data) }
        return (try await database.configValue(fallback) ?? "", data)
    }

    /// `<admin scheme>://<website><admin pages>` as PHPList links its admin pages in these mails.
    private func adminURL() async throws -> String {
        let website = try await database.configValue("website") ?? ""
        return "\(settings.adminScheme)://\(website)\(settings.adminPages)"
    }
}
