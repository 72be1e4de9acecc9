import Testing

@Test func placeholderFacteurConfigTests() { #expect(Bool(true)) }
