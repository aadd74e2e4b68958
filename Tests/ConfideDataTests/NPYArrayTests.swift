import ConfideCore
import Foundation
import Testing

@testable import ConfideData

@Suite struct NPYArrayTests {
    typealias S = DataTestSupport

    @Test func numpysOwnFilesReadWithTheirTypes() throws {
        #expect(try NPYFile.read(S.fixture("int64_arange.npy"), as: nil) == S.array(.i64, Array(-3..<7)))
        #expect(try NPYFile.read(S.fixture("int32_2x3_fortran.npy"), as: nil) == S.array(.i32, [1, 2, 3, 4, 5, 6], shape: [2, 3]))
        #expect(try NPYFile.read(S.fixture("bool.npy"), as: nil) == S.array(.bit, [1, 0, 1]))
        #expect(try NPYFile.read(S.fixture("uint8_scalar.npy"), as: nil) == .scalar(.u8, 200))
        #expect(try NPYFile.read(S.fixture("bigendian_i4.npy"), as: nil) == S.array(.i32, [1, -2, 2_147_483_647, -2_147_483_648]))
        #expect(try NPYFile.read(S.fixture("uint64_max.npy"), as: nil) == S.array(.u64, [0, 1, Int128(UInt64.max)]))
    }

    @Test func aGivenTypeConvertsElementsThatFitAndNamesTheFirstThatDoesNot() throws {
        #expect(try NPYFile.read(S.fixture("int64_arange.npy"), as: .array([10], .i8)) == S.array(.i8, Array(-3..<7)))
        #expect(try NPYFile.read(S.fixture("bool.npy"), as: .array([3], .u32)) == S.array(.u32, [1, 0, 1]))
        let negative = #expect(throws: ConfideError.self) { try NPYFile.read(S.fixture("int64_arange.npy"), as: .array([10], .u32)) }
        #expect(negative?.code == .outOfRange)
        #expect(negative?.message.contains("int64_arange.npy: element 0") == true)
        let wrap = #expect(throws: ConfideError.self) { try NPYFile.read(S.fixture("uint64_max.npy"), as: .array([3], .i64)) }
        #expect(wrap?.message.contains("element 2") == true)
        let shape = #expect(throws: ConfideError.self) { try NPYFile.read(S.fixture("int64_arange.npy"), as: .array([2, 5], .i64)) }
        #expect(shape?.code == .typeMismatch)
        #expect(shape?.message.contains("expected type i64[2, 5], found an array of shape (10) of <i8") == true)
    }

    @Test func floatsNeedFractionalBits() throws {
        let none = #expect(throws: ConfideError.self) { try NPYFile.read(S.fixture("float64.npy"), as: .array([4], .i32)) }
        #expect(none?.message.contains("needs fractional_bits") == true)
        let fixed = try NPYFile.read(S.fixture("float64.npy"), as: .array([4], .i32), fractionalBits: 8)
        #expect(fixed == S.array(.i32, [128, -320, 768, 0]))
        #expect(throws: ConfideError.self) { try NPYFile.read(S.fixture("float64.npy"), as: nil, fractionalBits: 8) }
    }

    @Test(arguments: ScalarType.allCases.filter { !$0.isWide })
    func valuesRoundTripThroughNPY(_ s: ScalarType) throws {
        var generator = AESCTRGenerator.fromSystemEntropy()
        let edges: [UInt128] = [0, s.mask128, s.minResidue, s.maxResidue]
        let residues = edges + (0..<64).map { _ in generator.next(UInt128.self) & s.mask128 }
        let value = Value.tensor(Tensor(s, shape: [4, residues.count / 4], residues: residues))
        let array = try NPYArray(value)
        #expect(Array(array.bytes.prefix(6)) == [0x93] + Array("NUMPY".utf8))
        let header = Int(array.bytes[8]) | Int(array.bytes[9]) << 8
        #expect((10 + header) % 64 == 0)
        #expect(try NPYArray(bytes: array.bytes).value(as: nil) == value)
        #expect(try NPYArray(bytes: array.bytes).value(as: value.type) == value)
    }

    @Test func wideTypesAndTuplesCannotBeWritten() throws {
        #expect(throws: ConfideError.self) { try NPYArray(.scalar(.u128, 1)) }
        #expect(throws: ConfideError.self) { try NPYArray(.tuple([.scalar(.u8, 1)])) }
    }

    @Test func malformedFilesAreRefusedWithoutTrapping() throws {
        let good = try NPYArray(S.array(.i32, [1, 2, 3])).bytes
        #expect(throws: ConfideError.self) { try NPYArray(bytes: Array(good.dropLast())) }
        #expect(throws: ConfideError.self) { try NPYArray(bytes: Array(good.prefix(12))) }
        #expect(throws: ConfideError.self) { try NPYArray(bytes: Array("not numpy at all".utf8)) }
        var version = good
        version[6] = 9
        #expect(throws: ConfideError.self) { try NPYArray(bytes: version) }
        var huge = good
        huge[8] = 0xFF
        huge[9] = 0xFF
        #expect(throws: ConfideError.self) { try NPYArray(bytes: huge) }
        let header = String(decoding: good[10..<(10 + Int(good[8]))], as: UTF8.self)
        for (from, to) in [("<i4", "<c8"), ("(3,)", "(99999999999999999999,)"), ("(3,)", "(-3,)"), ("(3,)", "(3037000500, 3037000500)"), ("'descr'", "'dtype'")] {
            let edited = Array(header.replacingOccurrences(of: from, with: to).utf8)
            var bytes = Array(good[0..<8]) + [UInt8(edited.count & 0xFF), UInt8(edited.count >> 8)] + edited + Array(good[(10 + Int(good[8]))...])
            bytes[6] = 1
            #expect(throws: ConfideError.self, "header with \(to)") { try NPYArray(bytes: bytes) }
        }
        var generator = AESCTRGenerator.fromSystemEntropy()
        for _ in 0..<500 {
            var mutated = good
            mutated[Int(generator.uniform(below: UInt64(mutated.count)))] = UInt8(truncatingIfNeeded: generator.next(UInt64.self))
            _ = try? NPYArray(bytes: mutated).value(as: nil)
        }
    }
}
