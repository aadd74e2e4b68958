import ConfideCore
import Foundation
import Testing

@testable import ConfideData

@Suite struct OutputFileTests {
    typealias S = DataTestSupport

    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
    }

    @Test(arguments: ["u64[1000]", "i32[50, 3]", "(a: i8[20], b: u128[20], c: bit[20])", "(i128[5], u8[5, 2])", "i16"])
    func csvOutputsReadBackAsTheSameValue(_ typeText: String) throws {
        let type = try ValueType(parsing: typeText)
        var generator = AESCTRGenerator.fromSystemEntropy()
        func random(_ t: ValueType) -> Value {
            switch t {
            case let .scalar(s): return .scalar(s, generator.next(UInt128.self) & s.mask128)
            case let .array(shape, s):
                let count = shape.reduce(1, *)
                var residues = (0..<count).map { _ in generator.next(UInt128.self) & s.mask128 }
                residues[0] = s.minResidue
                if count > 1 { residues[1] = s.maxResidue }
                return .tensor(Tensor(s, shape: shape, residues: residues))
            case let .tuple(ts): return .tuple(ts.map(random))
            case let .namedTuple(fs): return .namedTuple(fs.map { .init($0.name, random($0.type)) })
            case .vector: return .zeros(t)
            }
        }
        let value = random(type)
        let folder = try S.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.csv").path
        try OutputFile.write(value, to: path, replacing: false)
        #expect(Self.mode(path) == 0o600)
        #expect(try CSVInput(path: path, header: type.childTypes != nil && { if case .namedTuple = type { true } else { false } }()).read(as: type) == value)
    }

    @Test func npyOutputsReadBackAndJSONIsTheDefault() throws {
        let folder = try S.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let value = S.array(.i16, [-32768, -1, 0, 1, 32767, 5], shape: [3, 2])
        let npy = folder.appendingPathComponent("r.npy").path
        try OutputFile.write(value, to: npy, replacing: false)
        #expect(try NPYFile.read(npy, as: nil) == value)
        let json = folder.appendingPathComponent("r.result").path
        try OutputFile.write(value, to: json, replacing: false)
        #expect(try InputFile.load(json) == [value])
    }

    @Test func aValueThatDoesNotFitWritesNothingAndKeepsTheOldFile() throws {
        let folder = try S.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try S.write("old\n", "r.csv", in: folder)
        let cube = Value.zeros(.array([2, 2, 2], .u8))
        let error = #expect(throws: ConfideError.self) { try OutputFile.write(cube, to: path, replacing: true) }
        #expect(error?.code == .invalidType)
        #expect(error?.message.hasPrefix(path) == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(throws: ConfideError.self) { try OutputFile.write(.scalar(.u8, 1), to: path, replacing: false) }
        try OutputFile.write(.scalar(.u8, 1), to: path, replacing: true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "1\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["r.csv"])
        #expect(throws: ConfideError.self) { try OutputFile.write(.scalar(.u128, 1), to: folder.appendingPathComponent("w.npy").path, replacing: true) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["r.csv"])
    }

    @Test func fixedPointCSVWritesDecimals() throws {
        let value = Value.namedTuple([.init("mean, kg", S.array(.i64, [98_304, -16384]))])
        let text = String(decoding: try CSVOutput.bytes(value, fractionalBits: 15), as: UTF8.self)
        #expect(text == "\"mean, kg\"\n3.0\n-0.5\n")
    }
}
