import ConfideCore
import ConfideGraph
import ConfideMPC
import Foundation
import Testing

@testable import ConfideRuntime

@Suite struct ApprovalPolicyTests {
    static let millionaires = RuntimeExamples.path("two_millionaires/graph.json")

    @Test func aPolicyRoundTripsThroughItsYAML() throws {
        let compiled = try GraphApproval.make(bytes: try graphBytes(Self.millionaires), name: "m", outputParties: [0, 1], dataKeys: ["k1", "k2"])
        let uncompiled = try GraphApproval.make(bytes: try medianEnvelope(), name: "median", outputParties: nil, dataKeys: nil)
        var policy = ApprovalPolicy(file: "p.yaml", approvals: [compiled])
        policy.add(uncompiled)
        policy.add(compiled)
        #expect(policy.approvals.count == 2)
        let read = try ApprovalPolicy(file: "p.yaml", yaml: try policy.yaml())
        #expect(read == policy)
        #expect(uncompiled.spec == (try IOSpec(inputParties: "secret-shared", outputParties: "0")))
        #expect(uncompiled.outputParties == [0])
        #expect(compiled.sha256 == GraphApproval.digest(try graphBytes(Self.millionaires)) && compiled.sha256.count == 64)
    }

    @Test func theNodeChecksTheExactBytesTheSpecAndTheDataKey() throws {
        let bytes = try medianEnvelope()
        let approval = try GraphApproval.make(bytes: bytes, name: "median", outputParties: nil, dataKeys: ["median"])
        let policy = ApprovalPolicy(file: "p.yaml", approvals: [approval])
        #expect(try policy.approval(of: bytes, envelope: try GraphEnvelope(bytes: bytes)) == approval)
        // The same graph revealed to party 1: other bytes, so not approved.
        let other = try GraphEnvelope(context: try ExampleGraphs.make("median"), spec: try IOSpec(inputParties: "secret-shared", outputParties: "1")).bytes()
        let error = #expect(throws: ConfideError.self) { try policy.approval(of: other, envelope: try GraphEnvelope(bytes: other)) }
        #expect(error?.code == .notApproved && error?.message.contains("p.yaml") == true)
        // An entry whose spec differs from the graph's (an edited policy) is refused as well.
        var edited = approval
        edited.spec = try IOSpec(inputParties: "secret-shared", outputParties: "public")
        #expect(throws: ConfideError.self) {
            try ApprovalPolicy(file: "p.yaml", approvals: [edited]).approval(of: bytes, envelope: try GraphEnvelope(bytes: bytes))
        }
        try ApprovalPolicy.checkDataKey(Array("median".utf8), of: approval, file: "p.yaml")
        #expect(throws: ConfideError.self) { try ApprovalPolicy.checkDataKey(Array("medians".utf8), of: approval, file: "p.yaml") }
        try ApprovalPolicy.checkDataKey(Array("anything".utf8), of: GraphApproval.make(bytes: bytes, name: "x", outputParties: nil, dataKeys: nil), file: "p.yaml")
    }

    @Test func aCompiledGraphNeedsDeclaredOutputPartiesAndAnUncompiledOneMustAgree() throws {
        let compiled = try graphBytes(Self.millionaires)
        let missing = #expect(throws: ConfideError.self) { try GraphApproval.make(bytes: compiled, name: "m", outputParties: nil, dataKeys: nil) }
        #expect(missing?.message.contains("--output-parties") == true)
        #expect(throws: ConfideError.self) { try GraphApproval.make(bytes: try medianEnvelope(), name: "m", outputParties: [1], dataKeys: nil) }
    }

    @Test func theDescriptionSaysWhatIsRevealedToWhom() throws {
        let exfiltration = try GraphApproval.make(bytes: try AuthorizationTests.exfiltrationEnvelope(), name: "x", outputParties: nil, dataKeys: nil)
        #expect(exfiltration.reveals == "input 0 from party 0; input 1 from party 1; the output is revealed to party 1")
        let compiled = try GraphApproval.make(bytes: try graphBytes(Self.millionaires), name: "m", outputParties: [0, 1], dataKeys: nil)
        #expect(compiled.reveals.hasPrefix("compiled graph: 2 inputs (u32, u32)"))
        #expect(compiled.reveals.contains("46 rounds of transfers"))
        #expect(compiled.reveals.contains("assembled by the transfers party 0 -> party 1"))
        #expect(compiled.reveals.hasSuffix("the output is revealed to parties 0 and 1 (as declared when approved)"))
        #expect(GraphDisclosure.list([]) == "no party" && GraphDisclosure.list([0, 1, 2]) == "parties 0, 1 and 2")
    }

    @Test func badPolicyFilesNameTheFileTheEntryAndTheKey() throws {
        let cases: [(String, String)] = [
            ("approved_graphs:\n  - sha256: abc\n", "approved_graphs[0].sha256 must be 64 hex digits"),
            ("approved_graphs:\n  - sha256: \(String(repeating: "a", count: 64))\n    colour: red\n", "unknown key 'colour'"),
            ("approved_graphs:\n  - sha256: \(String(repeating: "a", count: 64))\n    inputs: \"0\"\n", "needs both inputs and outputs"),
            ("approved_graphs:\n  - sha256: \(String(repeating: "a", count: 64))\n    output_parties: [3]\n", "output_parties[0] must be an integer in 0...2"),
            (
                "approved_graphs:\n  - sha256: \(String(repeating: "a", count: 64))\n    inputs: \"0\"\n    outputs: \"1\"\n    output_parties: [0]\n",
                "must include every party"
            ),
            ("graphs: []\n", "unknown key 'graphs'"),
        ]
        for (text, expected) in cases {
            let error = #expect(throws: ConfideError.self) { try ApprovalPolicy(file: "bad.yaml", yaml: text) }
            #expect(error?.message.contains("bad.yaml") == true && error?.message.contains(expected) == true, "\(error?.message ?? "")")
        }
        #expect(throws: ConfideError.self) { try ApprovalPolicy.load(file: "/nonexistent/policy.yaml") }
        #expect(try ApprovalPolicy(file: "empty.yaml", yaml: "approved_graphs: []\n").approvals.isEmpty)
    }
}
