import ConfideCore
import ConfideMPC
import Testing

@testable import ConfideNet

/// The ABY3 engine over real sockets: set-up, multiplication and reveal, as on the in-process network.
@Suite struct SocketABY3Tests {
    static let pki = try! NetTestPKI()

    private static func edgeTensor(_ s: ScalarType, seed: UInt128) -> Tensor {
        let edges: [UInt128] = [0, 1, s.mask128, s.minResidue, s.maxResidue, s.minResidue &+ 1, s.maxResidue &- 1, 2]
        var residues = edges
        var x = seed
        for _ in 0..<9 {
            x = x &* 0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835 &+ 0x1234_5678_9ABC_DEF0
            residues.append(x >> 7)
        }
        return Tensor(s, shape: [17], residues: residues.map { $0 & s.mask128 })
    }

    private static func run<W: RingWord>(_ word: W.Type, _ s: ScalarType, transport: NetTestTransport) async throws {
        let x = edgeTensor(s, seed: 11)
        let y = edgeTensor(s, seed: 29).reversedResidues()
        let expected = Tensor(s, shape: [17], residues: zip(x.residues, y.residues).map { ($0 &* $1) & s.mask128 })
        let comms = try await netConnect(transport: transport, security: pki.security)
        defer { Task { await netClose(comms) } }
        let results = try await withThrowingTaskGroup(of: (Int, Tensor?, TrafficStatistics).self) { group in
            for c in comms {
                group.addTask {
                    let party = try await ABY3Party.setUp(c)
                    let a: ArithmeticShare<W> = try await party.shareA(c.party == 0 ? x : nil, scalarType: s, shape: [17], owner: 0)
                    let b: ArithmeticShare<W> = try await party.shareA(c.party == 1 ? y : nil, scalarType: s, shape: [17], owner: 1)
                    let before = c.statistics()
                    let product = try await party.mulAA(a, b)
                    let traffic = c.statistics().since(before)
                    return (c.party, try await party.revealA(product, to: [0, 1, 2]), traffic)
                }
            }
            var out: [(Int, Tensor?, TrafficStatistics)] = []
            for try await r in group { out.append(r) }
            return out.sorted { $0.0 < $1.0 }
        }
        let cost = ABY3Cost.mulAA(count: 17, s)
        for (p, value, traffic) in results {
            #expect(value == expected)
            #expect(traffic.rounds == cost.rounds)
            #expect(traffic.bytesSent == cost.bytesSent[p])
        }
    }

    @Test(arguments: [NetTestTransport.tcp, .unix])
    func mulAndRevealOverTLS(_ transport: NetTestTransport) async throws {
        try await Self.run(UInt64.self, .i64, transport: transport)
        try await Self.run(UInt64.self, .u8, transport: transport)
        try await Self.run(UInt128.self, .i128, transport: transport)
    }
}

extension Tensor {
    fileprivate func reversedResidues() -> Tensor { Tensor(scalarType, shape: shape, residues: residues.reversed()) }
}
