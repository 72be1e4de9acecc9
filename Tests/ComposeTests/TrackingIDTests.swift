import Compose
import Testing

/// The click-tracking ids against ids PHPList 3.6.15 wrote into sent-sample-1.eml.
@Suite struct TrackingIDTests {
    static let xormask = "426496a022b24d8a732eedafc33f71e2"
    static let campaign = "c3a0a41f-3948-4fff-9d11-cf7a94bdcccf"
    static let user0001 = "3b143336-a2b4-4f27-9601-284c07a46c0a"
    static let springOffer = "f4251983-38c1-4d7a-9793-eb7fa7aa008f"

    @Test func decodesPHPListsTextTid() throws {
        // sent-sample-1.eml, text part, first link (QP soft break removed).
        let d = try #require(TrackingID.decode("9CUZgzjBLXqXk+t/p6oAj8OgpB85SH//nRHPepS9zM87FDM2orRPJ5YBKEwHpGwK",
                                               xormask: Self.xormask))
        #expect(d == TrackingID.Decoded(form: .text, forwardUUID: Self.springOffer, campaignUUID: Self.campaign,
                                        subscriberUUID: Self.user0001))
    }

    @Test func decodesPHPListsHTMLTidAndEncodesItIdentically() throws {
        let phpList = "fE5QAAsDUAkKAU8BDAcJTANXBQRIXVZfUB5WBABXBAVVUwYEAVAdUwFTUlMAVV5MBAoGXUhQBwAFHgoCBgBIUVIFVw0NVAVTUVEETgcGCVUEAAFTSAVTBFceBwAFBkgLAgIHGQsOVVMCBQMGAgcIAA"
        let d = try #require(TrackingID.decode(phpList, xormask: Self.xormask))
        #expect(d == TrackingID.Decoded(form: .html, forwardUUID: Self.springOffer, campaignUUID: Self.campaign,
                                        subscriberUUID: Self.user0001))
        #expect(TrackingID.html(forwardUUID: Self.springOffer, campaignUUID: Self.campaign,
                                subscriberUUID: Self.user0001, xormask: Self.xormask) == phpList)
    }

    @Test func textTidIs64CharactersAndHidesTheVersionNibbles() throws {
        let tid = TrackingID.text(forwardUUID: Self.springOffer, campaignUUID: Self.campaign,
                                  subscriberUUID: Self.user0001, nibbles: (0xa, 0x0, 0xf))
        #expect(tid.count == 64)
        #expect(!tid.contains("="))
        let d = try #require(TrackingID.decode(tid, xormask: Self.xormask))
        #expect(d.forwardUUID == Self.springOffer && d.campaignUUID == Self.campaign && d.subscriberUUID == Self.user0001)
        let other = TrackingID.text(forwardUUID: Self.springOffer, campaignUUID: Self.campaign,
                                    subscriberUUID: Self.user0001, nibbles: (0x1, 0x2, 0x3))
        #expect(other != tid)
    }

    @Test func htmlTidIsURLSafeAndRoundTrips() {
        for i in 0..<64 {
            let tid = TrackingID.html(forwardUUID: "00000000-0000-4000-8000-0000000000\(String(format: "%02d", i))",
                                      campaignUUID: Self.campaign, subscriberUUID: Self.user0001, xormask: Self.xormask)
            #expect(!tid.contains("+") && !tid.contains("/") && !tid.hasSuffix("="))
            #expect(TrackingID.decode(tid, xormask: Self.xormask)?.campaignUUID == Self.campaign)
        }
    }

    @Test func rejectsGarbage() {
        #expect(TrackingID.decode("not-a-tid", xormask: Self.xormask) == nil)
        #expect(TrackingID.decode("fE5QAAsD", xormask: "00000000000000000000000000000000") == nil)
    }
}
