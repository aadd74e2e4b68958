import ConfideCore
import Foundation
import Testing

@testable import ConfideData

@Suite struct InputSourcesTests {
    typealias S = DataTestSupport

    @Test func aManifestMixesCSVNumPyJSONAndZerosWithPathsRelativeToIt() throws {
        let folder = try S.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        try S.write("age,income\n30,1000\n41,2500\n", "data/people.csv", in: folder)
        try FileManager.default.copyItem(atPath: S.fixture("int64_arange.npy"), toPath: folder.appendingPathComponent("data/a.npy").path)
        try S.write(#"[{"kind":"scalar","type":"u32","value":7},{"kind":"scalar","type":"bit","value":1}]"#, "data/two.json", in: folder)
        let manifest = try S.write("""
            inputs:
              - csv: data/people.csv
                columns: [income]
              - npy: data/a.npy
              - json: data/two.json
              - zeros
              - zeros: u8[2]
            """, "party0.yaml", in: folder)
        let types: [ValueType] = [.array([2], .u64), .array([10], .i64), .scalar(.u32), .scalar(.bit), .array([3], .i16), .array([2], .u8)]
        let values = try InputSources.load([manifest], types: types)
        #expect(values == [
            S.array(.u64, [1000, 2500]), S.array(.i64, Array(-3..<7)), .scalar(.u32, 7), .scalar(.bit, 1), .zeros(.array([3], .i16)), .zeros(.array([2], .u8)),
        ])
    }

    @Test func withoutTheGraphCSVAndZerosNeedDeclaredTypes() throws {
        let folder = try S.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try S.write("k\n3\n1\n2\n", "keys.csv", in: folder)
        let typed = try S.write("- csv: keys.csv\n  type: i32[3]\n- zeros: u32\n- npy: \(S.fixture("bool.npy"))\n", "typed.yaml", in: folder)
        #expect(try InputSources.load([typed], types: nil) == [S.array(.i32, [3, 1, 2]), .scalar(.u32, 0), S.array(.bit, [1, 0, 1])])
        let untyped = try S.write("- csv: keys.csv\n", "untyped.yaml", in: folder)
        let error = #expect(throws: ConfideError.self) { try InputSources.load([untyped], types: nil) }
        #expect(error?.message.contains("untyped.yaml: input 1: a CSV input needs its type") == true)
        let bare = #expect(throws: ConfideError.self) { try InputSources.load([folder.appendingPathComponent("keys.csv").path], types: nil) }
        #expect(bare?.message.contains("needs the input's type") == true)
    }

    @Test func countsAndTypesAreCheckedAgainstTheGraph() throws {
        let folder = try S.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = try S.write("1\n2\n", "x.csv", in: folder)
        let few = #expect(throws: ConfideError.self) { try InputSources.load([csv], types: [.array([2], .u8), .scalar(.u8)]) }
        #expect(few?.code == .wrongInputCount)
        let many = #expect(throws: ConfideError.self) { try InputSources.load([csv, csv], types: [.array([2], .u8)]) }
        #expect(many?.code == .wrongInputCount)
        let declared = try S.write("- csv: x.csv\n  type: u16[2]\n", "m.yaml", in: folder)
        let clash = #expect(throws: ConfideError.self) { try InputSources.load([declared], types: [.array([2], .u8)]) }
        #expect(clash?.code == .typeMismatch)
        #expect(clash?.message.contains("has type u8[2], the manifest says u16[2]") == true)
        let json = try S.write(#"{"kind":"scalar","type":"u32","value":7}"#, "one.json", in: folder)
        let wrong = #expect(throws: ConfideError.self) { try InputSources.load([json], types: [.scalar(.u64)]) }
        #expect(wrong?.message.contains("one.json: input 0: expected type u64, found u32") == true)
    }

    @Test(arguments: [
        ("- csv: x.csv\n  colums: [a]\n", "unknown key 'colums'"),
        ("- csv: x.csv\n  npy: y.npy\n", "exactly one of"),
        ("- {}\n", "exactly one of"),
        ("- csv: x.csv\n  type: i33[2]\n", "'i33' is not a scalar type"),
        ("- npy: y.npy\n  columns: [a]\n", "applies to csv inputs only"),
        ("- json: y.json\n  fractional_bits: 3\n", "applies to csv and npy"),
        ("- csv: x.csv\n  header: maybe\n", "'header' must be true or false"),
        ("- csv: x.csv\n  delimiter: '\"'\n", "'delimiter' must be one character"),
        ("- zero\n", "is not an input"),
        ("inputs: 3\n", "expected a list of inputs"),
        ("[unclosed\n", "not valid YAML"),
    ])
    func malformedManifestsNameTheEntryAndTheProblem(_ text: String, _ expected: String) throws {
        let folder = try S.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try S.write(text, "bad.yaml", in: folder)
        let error = #expect(throws: ConfideError.self) { try InputManifest(path: path) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
        #expect(error?.message.hasPrefix(path) == true)
    }
}
