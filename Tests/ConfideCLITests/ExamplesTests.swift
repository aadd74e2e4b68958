import Testing

@Suite("Examples")
struct ExamplesTests {
    @Test func swiftJointStatisticsExample() async throws {
        let result = try await ConfideProcess.run([], program: "joint-statistics")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("joint histogram: 45 80 99 108 104 66"))
        #expect(result.stdout.contains("patients: 502"))
    }
}
