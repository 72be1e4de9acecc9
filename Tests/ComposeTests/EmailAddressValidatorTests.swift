import Compose
import Testing

/// PHPList's is_email (validation level 3, TLD from internet_tlds) on the sample's addresses and on the edge
/// cases its pattern decides.
@Suite struct EmailAddressValidatorTests {
    let tlds: Set<String>

    init() throws { tlds = try SampleFixture().tlds }

    @Test func refusesTheFourSampleAddressesPHPListRefused() throws {
        let fixture = try SampleFixture()
        #expect(fixture.json.refused.count == 4)
        for address in fixture.json.refused {
            #expect(!EmailAddressValidator.isValid(address, tlds: tlds), "\(address)")
        }
        for s in fixture.json.subscribers { #expect(EmailAddressValidator.isValid(s.email, tlds: tlds)) }
    }

    @Test(arguments: ["user@example.org", "first.last@sub.example.co.uk", "o'brien@example.ie", "USER@EXAMPLE.COM",
                      "a+tag@example.com", "\"john doe\"@example.com", "user@192.168.0.1", "user@xn--bcher-kva.de",
                      "user@bücher.de", "x@example.xyz", "user@mail-1.example.com"])
    func accepts(_ address: String) {
        #expect(EmailAddressValidator.isValid(address, tlds: tlds))
    }

    @Test(arguments: ["user@test.example", "two@@example.com", "a@b@example.com", ".lead@example.com",
                      "trail.@example.com", "dash-@example.com", "-lead@example.com", "a..b@example.com",
                      "user@-x.com", "user@x-.com", "user@x--y.com", "user@a.bücher.de", "üser@example.com",
                      "user@example", "user@256.1.1.1", "user name@example.com", "", "@example.com", "user@",
                      "\\user@example.com", "user@exa_mple.com"])
    func refuses(_ address: String) {
        #expect(!EmailAddressValidator.isValid(address, tlds: tlds))
    }

    @Test func emptyTLDListFallsBackToPHPListsBuiltInList() {
        #expect(EmailAddressValidator.isValid("user@example.com", tlds: []))
        #expect(!EmailAddressValidator.isValid("user@example.xyz", tlds: []))
        #expect(EmailAddressValidator.isValid("user@example.xyz", tlds: EmailAddressValidator.phpListDefaultTLDs))
        #expect(EmailAddressValidator.phpListDefaultTLDs.count == 1360)
    }
}
