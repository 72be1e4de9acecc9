import Compose
import Foundation
import PHPList

/// A campaign read from PHPList's tables and compiled once, with its tracked links filed.
struct LoadedCampaign: Sendable {
    let campaign: Campaign
    let lists: [Int]
    /// messagedata `excludelist`: members of these lists get `excluded` instead of the campaign.
    let excludedLists: [Int]
    /// messagedata `finishsending`: after this time processqueue stops sending the campaign and calls it sent.
    let finishSending: Date?
    let compiled: CompiledCampaign
    /// How long compiling took (what `facteur bench compose` reports next to the per-message figure).
    let compileSeconds: Double
    /// linktrack_forward uuid by URL (what rendering needs) and id by URL (what linktrack_ml counts).
    var tracking: LinkTrackIDs
    var forwardIDs: [String: Int]
    let tlds: Set<String>
    let attributes: AttributeResolver
}

/// Maps PHPList rows (message, messagedata, config, template, attachments) into Compose's inputs,
/// writing the config defaults PHPList's getConfig writes while sending.
struct CampaignLoader: Sendable {
    let database: PHPListDatabase
    let settings: WorkerSettings

    func load(id: Int) async throws -> LoadedCampaign {
        let campaign = try await database.campaign(id: id)
        let lists = try await database.campaignListIDs(campaign: id)
        guard !lists.isEmpty else { throw WorkerError.campaignHasNoLists(id: id) }
        let config = try await database.configValues()
        let composeSettings = try await composeSettings(config: config)
        let attributes = try await database.attributeResolver()
        var content = CampaignContent(
            id: campaign.id, uuid: campaign.uuid, subject: campaign.subject, fromField: campaign.fromField,
            replyTo: campaign.replyTo, message: campaign.message, textMessage: campaign.textMessage,
            footer: campaign.footer.isEmpty ? (config["messagefooter"] ?? "") : campaign.footer,
            sendFormat: SendFormat(phpList: campaign.sendFormat))
        if let templateID = campaign.templateID, let template = try await database.template(id: templateID) {
            content.template = CampaignTemplate(id: template.id, html: template.html, images: template.images.map {
                Compose.TemplateImage(filename: $0.filename, mimeType: $0.mimeType,
                              data: [UInt8](Data(base64Encoded: $0.base64Data, options: .ignoreUnknownCharacters) ?? Data()))
            })
        }
        content.attachments = try await database.attachments(campaign: id).map { attachment in
            let path = URL(fileURLWithPath: settings.attachmentRepository)
                .appendingPathComponent(attachment.filename).path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw WorkerError.attachmentMissing(campaign: id, path: path)
            }
            return CampaignAttachment(id: attachment.id, fileName: attachment.remoteFile, mimeType: attachment.mimeType,
                                      description: attachment.description, data: [UInt8](data))
        }
        var composing = composeSettings
        composing.attributeNames = attributes.names
        let compiled: CompiledCampaign
        let compileStart = ContinuousClock.now
        do {
            compiled = try CompiledCampaign.compile(content, settings: composing)
        } catch {
            throw WorkerError.composeFailed(campaign: id, reason: "\(error)")
        }
        let compileTime = ContinuousClock.now - compileStart
        let forwards = try await database.ensureLinkTrackForwards(
            compiled.trackedLinks.map { (url: $0.url, personalise: $0.personalise) })
        let excluded: [Int]
        let finishSending: Date?
        do {
            let data = try await database.messageData(campaign: id)
            excluded = try data.excludedListIDs()
            finishSending = try Self.date(data.value("finishsending"))
        } catch {
            throw WorkerError.composeFailed(campaign: id, reason: "\(error)")
        }
        return LoadedCampaign(
            campaign: campaign, lists: lists, excludedLists: excluded, finishSending: finishSending, compiled: compiled,
            compileSeconds: Double(compileTime.components.seconds) + Double(compileTime.components.attoseconds) / 1e18,
            tracking: LinkTrackIDs(forwardUUIDByURL: forwards.mapValues { $0.uuid }),
            forwardIDs: forwards.mapValues { $0.id },
            tlds: EmailAddressValidator.tlds(fromConfig: config["internet_tlds"] ?? ""),
            attributes: attributes)
    }

    /// phplist_config values and config.php settings as ComposeSettings; the public URLs are read with
    /// PHPList's defaults and stored when absent, as getConfig does during a send.
    private func composeSettings(config: [String: String]) async throws -> ComposeSettings {
        // connect.php creates these on the first page load; a database that never saw one gets them here.
        let xormask = try await database.ensureConfigValue("xormask", default: Self.randomHex(bytes: 16), editable: false)
        let hmacKey = try await database.ensureConfigValue("hmackey", default: Self.randomHex(bytes: 256), editable: false)
        var s = ComposeSettings(website: config["website"] ?? "", domain: config["domain"] ?? "",
                                adminAddress: config["admin_address"] ?? "", xormask: xormask)
        s.organisationName = config["organisation_name"] ?? ""
        s.messageEnvelope = settings.envelopeSender
        if let secret = settings.verpSecret {
            let base = settings.envelopeSender ?? config["admin_address"] ?? ""
            guard let verp = VERPAddress.Config(baseAddress: base, secret: Array(secret.utf8)) else {
                throw WorkerError.composeFailed(campaign: 0, reason: "compose.verp: the envelope sender '\(base)' is not an address")
            }
            s.verp = verp
        }
        if let version = settings.versionHeader { s.versionHeader = .custom(name: "X-phpList-version", value: version) }
        s.messageFromAddress = config["message_from_address"].flatMap { $0.isEmpty ? nil : $0 }
        s.hmacKey = hmacKey
        s.wordWrap = Int(config["wordwrap"] ?? "") ?? 75
        s.useManualTextPart = settings.useManualTextPart
        s.personaliseSubject = settings.personaliseSubject
        let defaults = s.urls
        s.urls.blacklist = try await database.ensureConfigValue("blacklisturl", default: defaults.blacklist)
        s.urls.confirmation = try await database.ensureConfigValue("confirmationurl", default: defaults.confirmation)
        s.urls.forward = try await database.ensureConfigValue("forwardurl", default: defaults.forward)
        s.urls.preferences = try await database.ensureConfigValue("preferencesurl", default: defaults.preferences)
        s.urls.subscribe = try await database.ensureConfigValue("subscribeurl", default: defaults.subscribe)
        s.urls.unsubscribe = try await database.ensureConfigValue("unsubscribeurl", default: defaults.unsubscribe)
        s.urls.vcard = try await database.ensureConfigValue("vcardurl", default: defaults.vcard)
        let textTo = try await database.ensureConfigValue("alwayssendtextto", default: "")
        s.alwaysSendTextToDomains = Set(textTo.lowercased().split(whereSeparator: { ", \n".contains($0) }).map(String.init))
        s.htmlEmailStyle = try await database.ensureConfigValue("html_email_style", default: "")
        // The "powered by" image PHPList keeps as template 0's powerphplist.png.
        if let image = try await poweredImage() {
            s.poweredBy = .image(png: [UInt8](Data(base64Encoded: image.base64Data, options: .ignoreUnknownCharacters) ?? Data()))
        }
        return s
    }

    /// PHPList's date arrays (`year`, `month`, `day`, `hour`, `minute`), read as PHP's mktime does: local time.
    static func date(_ value: PHPValue?) -> Date? {
        guard case .array(let entries)? = value else { return nil }
        var parts: [String: Int] = [:]
        for entry in entries {
            if case .string(let key) = entry.key, let number = entry.value.intValue { parts[key] = number }
        }
        guard let year = parts["year"], let month = parts["month"], let day = parts["day"] else { return nil }
        let components = DateComponents(year: year, month: month, day: day, hour: parts["hour"] ?? 0, minute: parts["minute"] ?? 0)
        return Calendar(identifier: .gregorian).date(from: components)
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    private func poweredImage() async throws -> PHPList.TemplateImage? {
        let rows = try await database.pool.query(
            "SELECT id, mimetype, filename, data FROM \(database.tables.templateImage) WHERE template = 0 AND filename = 'powerphplist.png' LIMIT 1")
        return try rows.first.map {
            PHPList.TemplateImage(id: try $0.decode("id"), mimeType: try $0.decode("mimetype", as: String?.self) ?? "image/png",
                                  filename: try $0.decode("filename"), base64Data: try $0.decode("data", as: String?.self) ?? "")
        }
    }
}
