import Testing
@testable import PHPList

@Suite struct PHPEncodingTests {
    @Test func unserializesPHPListTargetList() throws {
        let value = try PHPUnserializer.unserialize(#"a:3:{s:8:"unselect";s:2:"-1";i:3;s:1:"3";i:4;s:1:"4";}"#)
        guard case .array(let entries) = value else { Issue.record("not an array: \(value)"); return }
        #expect(entries.map(\.key) == [.string("unselect"), .int(3), .int(4)])
        #expect(entries.map(\.value) == [.string("-1"), .string("3"), .string("4")])
    }

    @Test func unserializesScalarsAndNesting() throws {
        let value = try PHPUnserializer.unserialize(#"a:4:{i:0;N;i:1;b:1;i:2;d:0.5;i:3;a:1:{s:1:"k";i:-7;}}"#)
        #expect(value == .array([
            PHPArrayElement(key: .int(0), value: .null),
            PHPArrayElement(key: .int(1), value: .bool(true)),
            PHPArrayElement(key: .int(2), value: .double(0.5)),
            PHPArrayElement(key: .int(3), value: .array([PHPArrayElement(key: .string("k"), value: .int(-7))])),
        ]))
    }

    @Test func stringLengthsCountUTF8Bytes() throws {
        #expect(try PHPUnserializer.unserialize(#"s:7:"Müller";"#) == .string("Müller"))
    }

    @Test func truncatedInputIsAnErrorNotACrash() {
        for broken in ["a:2:{i:0;s:1:\"x\";", "s:10:\"short\";", "x:1;", "", "a:1:{"] {
            #expect(throws: PHPUnserializer.Failure.self) { try PHPUnserializer.unserialize(broken) }
        }
    }

    @Test func slashesRoundTripAsPHPDoes() {
        let original = #"<a href="x">it's \ fine</a>"#
        let escaped = PHPStrings.addSlashes(original)
        #expect(escaped == #"<a href=\"x\">it\'s \\ fine</a>"#)
        #expect(PHPStrings.stripSlashes(escaped) == original)
        #expect(PHPStrings.stripSlashes(#"a\0b\"#) == "a\0b")
    }

    @Test func messageDataDecodesSerializedTargetLists() throws {
        let data = MessageData(campaignID: 2, raw: [
            "targetlist": #"SER:a:3:{s:8:"unselect";s:2:"-1";i:3;s:1:"3";i:4;s:1:"4";}"#,
            "footer": #"<div class=\"footer\">"#,
        ])
        #expect(try data.targetListIDs() == [3, 4])
        #expect(data["footer"] == #"<div class="footer">"#)
        #expect(data["absent"] == nil)
    }

    @Test func malformedSerializedDataNamesCampaignAndKey() {
        let data = MessageData(campaignID: 9, raw: ["targetlist": "SER:a:2:{"])
        #expect {
            try data.targetListIDs()
        } throws: { error in
            "\(error)".contains("campaign 9") && "\(error)".contains("targetlist")
        }
    }
}
