import Compose
import Testing

@Suite struct VERPAddressTests {
    let config = VERPAddress.Config(baseAddress: "bounces@example.org", secret: Array("s3cret".utf8))!

    @Test func encodesCampaignSubscriberAndSignature() {
        let address = VERPAddress(campaignID: 2, subscriberID: 1202).encode(config)
        #expect(address.hasPrefix("bounces+2.1202."))
        #expect(address.hasSuffix("@example.org"))
        let sig = address.dropFirst("bounces+2.1202.".count).prefix(12)
        #expect(sig.count == 12 && sig.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func verifiesCaseInsensitivelyAndRejectsForgeries() {
        let address = VERPAddress(campaignID: 2, subscriberID: 1202).encode(config)
        #expect(VERPAddress.verify(address, config) == VERPAddress(campaignID: 2, subscriberID: 1202))
        #expect(VERPAddress.verify(address.uppercased(), config) == VERPAddress(campaignID: 2, subscriberID: 1202))
        #expect(VERPAddress.verify("<\(address)>", config) != nil)
        let forged = address.replacingOccurrences(of: "+2.1202.", with: "+2.1203.")
        #expect(VERPAddress.verify(forged, config) == nil)
        let otherSecret = VERPAddress.Config(baseAddress: "bounces@example.org", secret: Array("other".utf8))!
        #expect(VERPAddress.verify(address, otherSecret) == nil)
        #expect(VERPAddress.verify("bounces@example.org", config) == nil)
        #expect(VERPAddress.verify(address.replacingOccurrences(of: "example.org", with: "example.net"), config) == nil)
    }

    @Test func renderUsesVERPWhenConfigured() throws {
        let fixture = try SampleFixture()
        var settings = fixture.settings
        settings.verp = config
        let compiled = try CompiledCampaign.compile(try fixture.content, settings: settings)
        let message = try compiled.render(for: fixture.subscriber(id: 2), tracking: fixture.tracking)
        #expect(VERPAddress.verify(message.envelopeSender, config) == VERPAddress(campaignID: 2, subscriberID: 2))
    }
}
