import Testing

@Test func placeholderPHPListTests() { #expect(Bool(true)) }
