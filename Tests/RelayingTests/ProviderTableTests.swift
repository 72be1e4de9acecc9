import FacteurConfig
import Testing
@testable import Relaying

@Suite struct ProviderTableTests {
    @Test func shippedProvidersGroupTheirDomains() {
        let table = ProviderTable.shipped
        #expect(table.provider(forDomain: "gmail.com") == "gmail")
        #expect(table.provider(forDomain: "GoogleMail.COM.") == "gmail")
        #expect(table.provider(forAddress: "a.b@wanadoo.fr") == "orange")
        #expect(table.provider(forAddress: "x@orange.fr") == "orange")
        #expect(table.provider(forDomain: "outlook.com") == table.provider(forDomain: "msn.com"))
        #expect(table.provider(forDomain: "ymail.com") == "yahoo")
        #expect(table.provider(forDomain: "aol.com") == "yahoo")
        #expect(table.provider(forDomain: "me.com") == "apple")
        #expect(table.provider(forDomain: "free.fr") == "free")
        #expect(table.provider(forDomain: "laposte.net") == "laposte")
        #expect(table.provider(forDomain: "neuf.fr") == "sfr")
        #expect(table.provider(forDomain: "web.de") == "web.de")
        #expect(table.provider(forDomain: "gmx.de") == "gmx")
    }

    @Test func unknownDomainIsItsOwnProvider() {
        #expect(ProviderTable.shipped.provider(forAddress: "someone@Example.ORG") == "example.org")
        #expect(ProviderTable.shipped.limits(of: "example.org") == nil)
        #expect(ProviderTable.domain(of: "\"a@b\"@c.example") == "c.example")
    }

    @Test func configuredProvidersReplaceAndClaimDomains() {
        let table = ProviderTable(configured: [
            ProviderConfiguration(name: "gmail", domains: ["gmail.com"], maxRate: 20, maxConcurrent: 4),
            ProviderConfiguration(name: "corporate", domains: ["hotmail.com", "example.com"], maxRate: 5),
        ])
        #expect(table.provider(forDomain: "gmail.com") == "gmail")
        #expect(table.limits(of: "gmail")?.maxRate == 20)
        #expect(table.limits(of: "gmail")?.maxConcurrent == 4)
        // The replaced gmail entry no longer lists googlemail.com.
        #expect(table.provider(forDomain: "googlemail.com") == "googlemail.com")
        #expect(table.provider(forDomain: "hotmail.com") == "corporate")
        #expect(table.provider(forDomain: "outlook.com") == "microsoft")
        #expect(table.provider(forDomain: "example.com") == "corporate")
    }
}
