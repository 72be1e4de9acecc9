import Testing

@Test func placeholderBouncesTests() { #expect(Bool(true)) }
