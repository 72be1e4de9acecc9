import Testing

@Test func placeholderSMTPTests() { #expect(Bool(true)) }
