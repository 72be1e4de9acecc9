import FacteurTesting
import MariaDB
import Testing
@testable import PHPList

@Suite struct CampaignModelTests {
    @Test func readsTheQueuedCampaignAsPHPListSavedIt() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        let phplist = PHPListDatabase(pool: pool)

        let campaign = try await phplist.campaign(id: 2)
        #expect(campaign.status == .submitted)
        #expect(campaign.subject == "Spring offer for [FIRSTNAME]")
        #expect(campaign.fromField == "Example News news@example.org")
        #expect(campaign.sendFormat == "HTML")
        #expect(campaign.templateID == nil)
        #expect(campaign.message.contains("Hello [FIRSTNAME]"))
        #expect(campaign.embargo?.sql == "2026-11-29 05:51:00")

        let data = try await phplist.messageData(campaign: 2)
        #expect(try data.targetListIDs() == [3, 4])
        #expect(data["footer"]?.contains(#"<div class="footer">"#) == true)
        #expect(try await phplist.campaignListIDs(campaign: 2) == [3, 4])

        let attachments = try await phplist.attachments(campaign: 2)
        #expect(attachments.map(\.remoteFile) == ["spring-offer.pdf"])
        #expect(attachments.first?.filename == "spring-offerc844cj.pdf")
        #expect(attachments.first?.mimeType == "application/pdf")

        await #expect(throws: PHPListError.self) { try await phplist.campaign(id: 999) }
    }

    @Test func readsSubscribersAndResolvesSelectAttributes() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        let phplist = PHPListDatabase(pool: pool)

        let ursula = try #require(try await phplist.subscriber(email: "USER0001@example.net"))
        #expect(ursula.id == 2)
        #expect(ursula.uniqid == "c6128bfbee284cf3b7a7bde2caf1c65a")
        #expect(ursula.confirmed && !ursula.blacklisted && ursula.htmlEmail)
        #expect(try await phplist.attributeValues(subscriber: 2) == [
            "firstname": "Ursula", "lastname": "Müller", "country": "Germany",
        ])
        #expect(try await phplist.attributeValues(subscriber: 1202)["country"] == "Portugal")
        #expect(try await phplist.subscriber(id: 424242) == nil)

        var count = 0
        var lastID = 0
        for try await subscriber in phplist.allSubscribers() {
            #expect(subscriber.id > lastID)
            lastID = subscriber.id
            count += 1
        }
        #expect(count == 2001)
    }

    @Test func readsConfigAndCreatesMissingValuesOnlyOnce() async throws {
        let database = try await TestDatabase.create(loading: .sampleQueued)
        let pool = database.pool()
        defer { Task { await pool.shutdown(); try? await database.drop() } }
        let phplist = PHPListDatabase(pool: pool)

        #expect(try await phplist.configValue("website") == "127.0.0.1:8080")
        #expect(try await phplist.configValue("xormask") == "426496a022b24d8a732eedafc33f71e2")
        #expect(try await phplist.ensureConfigValue("xormask", default: "other") == "426496a022b24d8a732eedafc33f71e2")
        #expect(try await phplist.ensureConfigValue("preferencesurl", default: "http://127.0.0.1:8080/lists/?p=preferences")
            == "http://127.0.0.1:8080/lists/?p=preferences")
        #expect(try await phplist.configValues()["preferencesurl"] == "http://127.0.0.1:8080/lists/?p=preferences")
    }
}
