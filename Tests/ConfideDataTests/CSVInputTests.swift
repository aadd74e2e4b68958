import ConfideCore
import Foundation
import Testing

@testable import ConfideData

@Suite struct CSVInputTests {
    typealias S = DataTestSupport

    static func read(_ text: String, as type: String, columns: [String]? = nil, header: Bool? = nil, bits: Int? = nil, delimiter: Character = ",") throws -> Value {
        let folder = try S.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try S.write(text, "t.csv", in: folder)
        return try CSVInput(path: path, columns: columns, header: header, fractionalBits: bits, delimiter: delimiter).read(as: try ValueType(parsing: type))
    }

    static func failure(_ text: String, as type: String, columns: [String]? = nil) -> ConfideError? {
        #expect(throws: ConfideError.self) { try read(text, as: type, columns: columns) }
    }

    @Test(arguments: ScalarType.allCases)
    func aColumnOfRandomAndEdgeValuesReadsExactly(_ s: ScalarType) throws {
        var generator = AESCTRGenerator.fromSystemEntropy()
        let edges: [Int128] = s == .bit ? [0, 1] : s.isSigned ? [0, -1, 1, s.minValue, s.maxSigned] : [0, 1, Int128(truncatingIfNeeded: s.maxResidue)]
        let random: [UInt128] = (0..<200).map { _ in generator.next(UInt128.self) }
        let residues = edges.map { UInt128(truncatingIfNeeded: $0) & s.mask128 } + random.map { $0 & s.mask128 }
        let text = "x\n" + residues.map { s.decimalString($0) }.joined(separator: "\n") + "\n"
        let value = try Self.read(text, as: "\(s)[\(residues.count)]")
        #expect(value == .tensor(Tensor(s, shape: [residues.count], residues: residues)))
    }

    @Test func outOfRangeAndNonNumbersNameTheLineAndColumnButNotTheText() throws {
        let over = Self.failure("a,b\n1,2\n3,3000000000\n", as: "i32[2, 2]")
        #expect(over?.code == .outOfRange)
        #expect(over?.message.contains("t.csv") == true)
        #expect(over?.message.contains("line 3, column 2 ('b')") == true)
        #expect(over?.message.contains("3000000000") == false)
        let under = Self.failure("0\n-1\n", as: "u8[2]")
        #expect(under?.message.contains("line 2, column 1") == true)
        #expect(under?.code == .outOfRange)
        let word = Self.failure("v\n5\nsecret-word\n", as: "u32[2]")
        #expect(word?.code == .invalidValue)
        #expect(word?.message.contains("line 3, column 1 ('v')") == true)
        #expect(word?.message.contains("secret-word") == false)
        let fraction = Self.failure("1.5\n", as: "i64[1]")
        #expect(fraction?.message.contains("line 1") == true)
    }

    @Test func wrongRowAndColumnCountsAreNamed() throws {
        #expect(Self.failure("1\n2\n", as: "u32[3]")?.message.contains("expected 3 data rows for type u32[3], found 2") == true)
        #expect(Self.failure("1\n2\n3\n4\n", as: "u32[3]")?.message.contains("line 4: more data rows than the 3") == true)
        #expect(Self.failure("1,2\n3\n", as: "u32[2, 2]")?.message.contains("line 2: expected 2 fields, found 1") == true)
        #expect(Self.failure("1,2\n3,4\n", as: "u32[2]")?.message.contains("expected 1 column for type u32[2], found 2") == true)
        #expect(Self.failure("", as: "u32[2]")?.message.contains("no rows") == true)
        #expect(Self.failure("1\n", as: "u32[2, 2, 2]")?.code == .invalidType)
    }

    @Test func namedTuplesTakeColumnsByHeaderName() throws {
        let text = "id,age,weight\n7,30,70\n8,41,65\n"
        let value = try Self.read(text, as: "(weight: u16[2], age: i32[2])")
        #expect(value == .namedTuple([.init("weight", S.array(.u16, [70, 65])), .init("age", S.array(.i32, [30, 41]))]))
        let missing = Self.failure(text, as: "(height: u16[2])")
        #expect(missing?.message.contains("no column 'height' (the header has: id, age, weight)") == true)
        #expect(Self.failure("1,2\n3,4\n", as: "(a: u8[1], b: u8[1])")?.message.contains("no header row") == true)
    }

    @Test func columnsSelectAndOrderHeaderColumns() throws {
        let text = "id,age,weight\n7,30,70\n8,41,65\n"
        #expect(try Self.read(text, as: "u32[2, 2]", columns: ["weight", "id"]) == S.array(.u32, [70, 7, 65, 8], shape: [2, 2]))
        #expect(try Self.read(text, as: "(u8[2], u8[2])", columns: ["age", "age"]) == .tuple([S.array(.u8, [30, 41]), S.array(.u8, [30, 41])]))
        #expect(Self.failure(text, as: "u32[2]", columns: ["a", "b"])?.message.contains("2 columns are named, type u32[2] takes 1") == true)
    }

    @Test func aFirstRowOfNumbersIsDataUnlessHeaderSaysOtherwise() throws {
        #expect(try Self.read("5\n6\n", as: "u32[2]") == S.array(.u32, [5, 6]))
        #expect(try Self.read("5\n6\n7\n", as: "u32[2]", header: true) == S.array(.u32, [6, 7]))
    }

    @Test func tuplesScalarsAndMatricesLayOutSideBySide() throws {
        let value = try Self.read("1,2,3,4\n5,6,7,8\n", as: "(i8[2], u8[2, 2], i64[2])")
        #expect(value == .tuple([S.array(.i8, [1, 5]), S.array(.u8, [2, 3, 6, 7], shape: [2, 2]), S.array(.i64, [4, 8])]))
        #expect(try Self.read("42\n", as: "u32") == .scalar(.u32, 42))
        #expect(Self.failure("1,2\n3,4\n", as: "(u8[2], u8)")?.code == .invalidType)
    }

    @Test func quotingSpacesBlankLinesAndDelimiters() throws {
        #expect(try Self.read("\"a, b\",c\n\" 1 \", 2 \n\n3,4\r\n", as: "u8[2, 2]") == S.array(.u8, [1, 2, 3, 4], shape: [2, 2]))
        #expect(try Self.read("1;2\n3;4\n", as: "u8[2, 2]", delimiter: ";") == S.array(.u8, [1, 2, 3, 4], shape: [2, 2]))
    }

    @Test func bitsAndFixedPointDecimals() throws {
        #expect(try Self.read("flag\ntrue\n0\nFALSE\n1\n", as: "bit[4]") == S.array(.bit, [1, 0, 0, 1]))
        #expect(Self.failure("2\n", as: "bit[1]")?.code == .invalidValue)
        let fixed = try Self.read("x\n0.5\n-1.25\n3\n1e-1\n", as: "i64[4]", bits: 16)
        #expect(fixed == S.array(.i64, [32768, -81920, 196_608, 6554]))
        #expect(throws: ConfideError.self) { try Self.read("x\n-9223372036854775807\n", as: "i64[1]", bits: 1) }
        #expect(try Self.read("x\n-4611686018427387904\n", as: "i64[1]", bits: 1) == S.array(.i64, [Int128(Int64.min)]))
        #expect(throws: ConfideError.self) { try Self.read("x\n70000\n", as: "i32[1]", bits: 16) }
        #expect(throws: ConfideError.self) { try Self.read("x\nnan\n", as: "i32[1]", bits: 4) }
        #expect(throws: ConfideError.self) { try Self.read("1\n", as: "u8[1]", bits: 7) }
    }

    @Test func aMissingOrOversizedFileIsNamed() throws {
        let missing = #expect(throws: ConfideError.self) { try CSVInput(path: "/nonexistent/x.csv").read(as: .array([1], .u8)) }
        #expect(missing?.message.contains("/nonexistent/x.csv") == true)
        let folder = try S.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try S.write("1\n2\n", "big.csv", in: folder)
        let large = #expect(throws: ConfideError.self) { try CSVInput(path: path).read(as: .array([2], .u8), maxBytes: 3) }
        #expect(large?.code == .tooLarge)
        let invalid = folder.appendingPathComponent("bad.csv").path
        try Data([0x31, 0x0A, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: invalid))
        #expect(throws: ConfideError.self) { try CSVInput(path: invalid).read(as: .array([2], .u8)) }
    }

    /// Reading 8x the rows takes about 8x the time; a quadratic reader would take 64x. The margin
    /// (40x) leaves room for other suites running on the same cores.
    @Test func readingIsLinearInTheRows() throws {
        let folder = try S.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ n: Int) throws -> String {
            try S.write("v\n" + (0..<n).map { String($0 * 7919 % 1_000_003) }.joined(separator: "\n"), "n\(n).csv", in: folder)
        }
        let (small, large) = (try file(20000), try file(160_000))
        let t1 = try S.bestTime { _ = try CSVInput(path: small).read(as: .array([20000], .u32)) }
        let t8 = try S.bestTime { _ = try CSVInput(path: large).read(as: .array([160_000], .u32)) }
        #expect(t8 < 40 * t1, "8x the rows took \(t8 / t1)x the time")
    }
}
