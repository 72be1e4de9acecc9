import Import
import Testing

/// Per-value decision for latin1 columns (old-2.11/README.md's two cases and their pitfalls).
@Suite struct TextRepairTests {
    @Test func latin1BytesAreCP1252() {
        #expect(TextRepair.decodeLatin1Column([0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72]) == ("Müller", .latin1))
        // 0x92 is cp1252's right single quote, not a C1 control.
        #expect(TextRepair.decodeLatin1Column([0x4F, 0x92, 0x4E, 0x65, 0x69, 0x6C, 0x6C]) == ("O\u{2019}Neill", .latin1))
        #expect(TextRepair.decodeLatin1Column(Array("Événements".unicodeScalars.map { UInt8($0.value) })) == ("Événements", .latin1))
    }

    @Test func utf8BytesInLatin1AreUTF8() {
        #expect(TextRepair.decodeLatin1Column([0x5A, 0x6F, 0xC3, 0xAB]) == ("Zoë", .utf8))
        // Ł is C5 81; 0x81 is undefined in cp1252, which must not matter when working on the bytes.
        #expect(TextRepair.decodeLatin1Column(Array("Łukasz".utf8)) == ("Łukasz", .utf8))
        #expect(TextRepair.decodeLatin1Column(Array("Дмитрий 李雷 €".utf8)) == ("Дмитрий 李雷 €", .utf8))
    }

    @Test func asciiIsLeftAlone() {
        #expect(TextRepair.decodeLatin1Column(Array("plain@example.org".utf8)) == ("plain@example.org", .ascii))
        #expect(TextRepair.decodeLatin1Column([]) == ("", .ascii))
    }
}
