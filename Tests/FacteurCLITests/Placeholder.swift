import Testing

@Test func placeholderFacteurCLITests() { #expect(Bool(true)) }
