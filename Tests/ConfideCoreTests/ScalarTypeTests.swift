import Foundation
import Testing
@testable import ConfideCore

@Suite struct ScalarTypeTests {
    /// (type, bits, signed, min, max) for every scalar type, written out by hand.
    static let table: [(ScalarType, Int, Bool, String, String)] = [
        (.bit, 1, false, "0", "1"),
        (.u8, 8, false, "0", "255"),
        (.i8, 8, true, "-128", "127"),
        (.u16, 16, false, "0", "65535"),
        (.i16, 16, true, "-32768", "32767"),
        (.u32, 32, false, "0", "4294967295"),
        (.i32, 32, true, "-2147483648", "2147483647"),
        (.u64, 64, false, "0", "18446744073709551615"),
        (.i64, 64, true, "-9223372036854775808", "9223372036854775807"),
        (.u128, 128, false, "0", "340282366920938463463374607431768211455"),
        (.i128, 128, true, "-170141183460469231731687303715884105728", "170141183460469231731687303715884105727"),
    ]

    @Test func tableCoversEveryType() {
        #expect(Self.table.map(\.0) == ScalarType.allCases)
        #expect(ScalarType.allCases.map(\.rawValue) == ["bit", "u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "u128", "i128"])
    }

    @Test(arguments: table)
    func properties(_ s: ScalarType, _ bits: Int, _ signed: Bool, _ min: String, _ max: String) throws {
        #expect(s.bits == bits)
        #expect(s.isSigned == signed)
        #expect(s.isWide == (bits == 128))
        #expect(s.byteWidth == Swift.max(1, bits / 8))
        #expect(s.description == s.rawValue)
        #expect(s.decimalString(s.minResidue) == min)
        #expect(s.decimalString(s.maxResidue) == max)
        #expect(s.rangeDescription == "\(min)...\(max)")
        #expect(String(s.minValue) == min)
        if s != .u128 { #expect(String(s.maxSigned) == max) } else { #expect(s.maxSigned == .max) }
        #expect(s.maxUnsigned == s.mask128)
        #expect(s.mask128 == (bits == 128 ? UInt128.max : (UInt128(1) << bits) - 1))
        #expect(UInt128(s.mask64) == (bits >= 64 ? UInt128(UInt64.max) : s.mask128))
        #expect(try s.parseResidue(min) == s.minResidue)
        #expect(try s.parseResidue(max) == s.maxResidue)
        #expect(s.unsignedCounterpart.bits == bits)
        #expect(!s.unsignedCounterpart.isSigned)
    }

    @Test func unsignedCounterparts() {
        #expect(ScalarType.i8.unsignedCounterpart == .u8)
        #expect(ScalarType.i16.unsignedCounterpart == .u16)
        #expect(ScalarType.i32.unsignedCounterpart == .u32)
        #expect(ScalarType.i64.unsignedCounterpart == .u64)
        #expect(ScalarType.i128.unsignedCounterpart == .u128)
        #expect(ScalarType.bit.unsignedCounterpart == .bit)
        #expect(ScalarType.u32.unsignedCounterpart == .u32)
    }

    @Test func residueChecking() {
        #expect(ScalarType.u8.residue(checking: 255) == 255)
        #expect(ScalarType.u8.residue(checking: 256) == nil)
        #expect(ScalarType.u8.residue(checking: -1) == nil)
        #expect(ScalarType.i8.residue(checking: -1) == 255)
        #expect(ScalarType.i8.residue(checking: -128) == 128)
        #expect(ScalarType.i8.residue(checking: -129) == nil)
        #expect(ScalarType.i8.residue(checking: 128) == nil)
        #expect(ScalarType.bit.residue(checking: 1) == 1)
        #expect(ScalarType.bit.residue(checking: 2) == nil)
        #expect(ScalarType.i64.residue(checking: -1) == UInt128(UInt64.max))
        #expect(ScalarType.u64.residue(checking: Int128(UInt64.max)) == UInt128(UInt64.max))
        #expect(ScalarType.u64.residue(checking: Int128(UInt64.max) + 1) == nil)
        #expect(ScalarType.i128.residue(checking: .min) == UInt128(1) << 127)
        #expect(ScalarType.i128.residue(checking: .max) == UInt128.max >> 1)
        #expect(ScalarType.i128.residue(checking: -1) == .max)
        #expect(ScalarType.u128.residue(checking: .max) == UInt128.max >> 1)
        #expect(ScalarType.u128.residue(checking: -1) == nil)
    }

    @Test(arguments: coreTestsAllScalarTypes)
    func interpretInvertsResidueChecking(_ s: ScalarType) {
        for r in coreTestsEdgeResidues(s) where s != .u128 || r <= UInt128(Int128.max) {
            let v = s.interpret(r)
            #expect(s.residue(checking: v) == r)
        }
    }

    @Test func interpretSignExtends() {
        #expect(ScalarType.i8.interpret(255) == -1)
        #expect(ScalarType.i8.interpret(128) == -128)
        #expect(ScalarType.i8.interpret(127) == 127)
        #expect(ScalarType.u8.interpret(255) == 255)
        #expect(ScalarType.i16.interpret(0x8000) == -32768)
        #expect(ScalarType.i32.interpret(0xFFFF_FFFE) == -2)
        #expect(ScalarType.i64.interpret(UInt128(UInt64.max)) == -1)
        #expect(ScalarType.i128.interpret(.max) == -1)
        #expect(ScalarType.i128.interpret(UInt128(1) << 127) == .min)
        #expect(ScalarType.bit.interpret(1) == 1)
    }

    @Test func decimalStrings() {
        #expect(ScalarType.i8.decimalString(255) == "-1")
        #expect(ScalarType.u8.decimalString(255) == "255")
        #expect(ScalarType.i32.decimalString(0xFFFF_FFFF) == "-1")
        #expect(ScalarType.u64.decimalString(UInt128(UInt64.max)) == "18446744073709551615")
        #expect(ScalarType.i64.decimalString(UInt128(1) << 63) == "-9223372036854775808")
        #expect(ScalarType.u128.decimalString(.max) == "340282366920938463463374607431768211455")
        #expect(ScalarType.i128.decimalString(.max) == "-1")
        #expect(ScalarType.bit.decimalString(1) == "1")
        #expect(ScalarType.bit.decimalString(0) == "0")
    }

    @Test(arguments: coreTestsAllScalarTypes)
    func decimalStringRoundTrips(_ s: ScalarType) throws {
        var rng = CoreTestsRNG(seed: UInt64(s.bits))
        let residues = coreTestsEdgeResidues(s) + (0..<200).map { _ in coreTestsRandomResidue(s, &rng) }
        for r in residues {
            #expect(try s.parseResidue(s.decimalString(r)) == r)
        }
    }

    @Test func parseResidueAcceptsRangeEnds() throws {
        #expect(try ScalarType.u8.parseResidue("255") == 255)
        #expect(try ScalarType.i8.parseResidue("-128") == 128)
        #expect(try ScalarType.i8.parseResidue("-1") == 255)
        #expect(try ScalarType.u8.parseResidue("-0") == 0)
        #expect(try ScalarType.u8.parseResidue("007") == 7)
        #expect(try ScalarType.u128.parseResidue("340282366920938463463374607431768211455") == .max)
        #expect(try ScalarType.i128.parseResidue("-170141183460469231731687303715884105728") == UInt128(1) << 127)
        #expect(try ScalarType.i128.parseResidue("170141183460469231731687303715884105727") == UInt128.max >> 1)
        #expect(try ScalarType.bit.parseResidue("1") == 1)
    }

    @Test(arguments: [
        (ScalarType.u8, "256"), (.i8, "-129"), (.i8, "128"), (.bit, "2"), (.bit, "-1"), (.u8, "-1"),
        (.u16, "65536"), (.i16, "-32769"), (.u32, "4294967296"), (.i32, "2147483648"),
        (.u64, "18446744073709551616"), (.i64, "-9223372036854775809"),
        (.u128, "340282366920938463463374607431768211456"),
        (.i128, "170141183460469231731687303715884105728"),
        (.i128, "-170141183460469231731687303715884105729"),
        (.u128, "99999999999999999999999999999999999999999999"),
        (.i64, "-99999999999999999999999999999999999999999999"),
    ])
    func parseResidueRejectsOutOfRange(_ s: ScalarType, _ text: String) {
        let error = #expect(throws: ConfideError.self) { try s.parseResidue(text) }
        #expect(error?.code == .outOfRange)
        #expect(error?.message.contains(s.rawValue) == true)
        #expect(error?.message.contains(s.rangeDescription) == true)
        // The number itself may be secret and is never repeated.
        #expect(error?.message.replacingRange(s.rangeDescription).contains(text) == false)
    }

    @Test(arguments: ["", "-", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "abc", "--1", "1-", "٣", "１"])
    func parseResidueRejectsNonIntegers(_ text: String) {
        let error = #expect(throws: ConfideError.self) { try ScalarType.u32.parseResidue(text) }
        #expect(error?.code == .invalidValue)
        #expect(error?.message.contains("u32") == true)
    }

    @Test func version1Descriptions() {
        #expect(ScalarType(signed: false, modulus: 2) == .bit)
        #expect(ScalarType(signed: true, modulus: 2) == nil)
        #expect(ScalarType(signed: false, modulus: 256) == .u8)
        #expect(ScalarType(signed: true, modulus: 256) == .i8)
        #expect(ScalarType(signed: false, modulus: 65536) == .u16)
        #expect(ScalarType(signed: true, modulus: 65536) == .i16)
        #expect(ScalarType(signed: false, modulus: 4_294_967_296) == .u32)
        #expect(ScalarType(signed: true, modulus: 4_294_967_296) == .i32)
        #expect(ScalarType(signed: false, modulus: nil) == .u64)
        #expect(ScalarType(signed: true, modulus: nil) == .i64)
        #expect(ScalarType(signed: false, modulus: 3) == nil)
        #expect(ScalarType(signed: false, modulus: 0) == nil)
        #expect(ScalarType.u128.v1Modulus == nil)
        #expect(ScalarType.i128.v1Modulus == nil)
        #expect(ScalarType.u64.v1Modulus == .some(nil))
        #expect(ScalarType.u32.v1Modulus == .some(4_294_967_296))
    }
}

extension String {
    /// The string with `part` removed (test helper for "does not repeat the value" checks).
    fileprivate func replacingRange(_ part: String) -> String {
        guard let r = range(of: part) else { return self }
        return String(self[..<r.lowerBound]) + String(self[r.upperBound...])
    }
}
