import FacteurTesting
import Foundation
import Testing
@testable import Bounces

/// The four bounces PHPList 3.6.15 was run on (compat/phplist-3.6.15/bounces-sample.mbox).
@Suite struct PHPListSampleTests {
    static func bounces() throws -> [ParsedBounce] {
        let url = TestServices.compatFile("phplist-3.6.15/bounces-sample.mbox")
        let data = try Data(contentsOf: url)
        return MboxReader.messages(in: [UInt8](data)).map(BounceParser.parse)
    }

    @Test func splitsFourMessages() throws {
        #expect(try Self.bounces().count == 4)
    }

    @Test func userUnknownIsHard() throws {
        let bounce = try Self.bounces()[0]
        #expect(bounce.kind == .dsn)
        #expect(bounce.recipients.map(\.address) == ["user1201@example.net"])
        #expect(bounce.recipients.first?.status?.description == "5.1.1")
        #expect(bounce.recipients.first?.reason == .userunknown)
        #expect(bounce.recipients.first?.isHard == true)
        #expect(bounce.originalHeaders["X-MessageID"] == "2")
        #expect(bounce.originalHeaders["X-ListMember"] == "user1201@example.net")
    }

    @Test func mailboxFullIsSoft() throws {
        let bounce = try Self.bounces()[1]
        #expect(bounce.recipients.map(\.address) == ["user0001@example.net"])
        #expect(bounce.recipients.first?.reason == .mailboxfull)
        #expect(bounce.recipients.first?.isHard == false)
        #expect(bounce.originalHeaders["X-ListMember"] == "user0001@example.net")
    }

    @Test func plainTextBounceNamesTheDisabledAccount() throws {
        let bounce = try Self.bounces()[2]
        #expect(bounce.kind == .mtaText)
        #expect(bounce.recipients.map(\.address) == ["user0003@example.de"])
        #expect(bounce.recipients.first?.reason == .suspend)
        #expect(bounce.recipients.first?.isHard == false)
    }

    @Test func qmailBounceForUnknownAddress() throws {
        let bounce = try Self.bounces()[3]
        #expect(bounce.recipients.map(\.address) == ["somebody-else@other.example.com"])
        #expect(bounce.recipients.first?.reason == .userunknown)
        #expect(bounce.recipients.first?.isHard == true)
    }
}
