import ConfideCore
import ConfideGraph

extension CompiledGraph {
    /// Runs party `party`'s part of the graph.
    ///
    /// Collective: the three parties run the same graph at the same time over one session's
    /// communicators. Communication: the graph's `Send` nodes, one message per peer per round.
    /// - Parameters:
    ///   - party: this party's rank.
    ///   - inputs: one value per `Input` node, in node order: real where this party owns the input,
    ///     any value of the right type elsewhere; secret-shared inputs as CipherCore 3-tuples.
    ///   - communicator: the session's communicator of this party.
    ///   - random: the generator `Random` nodes draw from (a fresh system-entropy stream by default).
    ///   - timeout: how long a round waits for peers; nil uses the communicator's default.
    /// - Returns: this party's value of the output node (the result on output parties, meaningless
    ///   elsewhere).
    /// - Throws: `.wrongInputCount` / `.typeMismatch` naming the input, its node and both types; a
    ///   node's evaluation error prefixed with the party and node; the communicator's errors.
    public func run(
        party: Int, inputs: [Value], communicator: any Communicator, random: AESCTRGenerator = .fromSystemEntropy(), timeout: Duration? = nil
    ) async throws -> Value {
        guard (0..<3).contains(party), communicator.party == party, communicator.partyCount == 3 else {
            throw ConfideError(.invalidArgument, "party \(party) does not match a 3-party communicator of party \(communicator.party)")
        }
        guard inputs.count == inputIDs.count else {
            throw ConfideError(
                .wrongInputCount, "party \(party): the main graph expects \(inputIDs.count) input\(inputIDs.count == 1 ? "" : "s"), found \(inputs.count)")
        }
        for (i, (value, id)) in zip(inputs, inputIDs).enumerated() {
            try value.check(types[id], what: "party \(party): input \(i) (\(context.describe(graph: mainIndex, node: id)))")
        }
        let nodes = context.graphs[mainIndex].nodes
        let needed = neededNodes(party: party)
        var generator = random
        var values = [Value?](repeating: nil, count: nodes.count)
        var current: [Int: Value] = [:]
        for (i, id) in inputIDs.enumerated() { values[id] = inputs[i] }

        var localByLevel = [[Int]](repeating: [], count: rounds + 1)
        var phaseByRound = [[(node: Int, phase: Int)]](repeating: [], count: rounds + 1)
        for id in nodes.indices {
            if phases[id].isEmpty {
                if needed[id], values[id] == nil { localByLevel[levels[id]].append(id) }
            } else {
                let base = levels[id] - phases[id].count
                for p in phases[id].indices { phaseByRound[base + p + 1].append((id, p)) }
            }
        }

        for round in 0...rounds {
            if round > 0, !phaseByRound[round].isEmpty {
                try await communicate(
                    round: round, phaseByRound[round], party: party, needed: needed, values: &values, current: &current,
                    communicator: communicator, timeout: timeout)
            }
            for id in localByLevel[round] {
                let node = nodes[id]
                var arguments: [Value] = []
                arguments.reserveCapacity(node.dependencies.count)
                for d in node.dependencies {
                    guard let v = values[d] else {
                        throw ConfideError(.invalidGraph, "party \(party): \(context.describe(graph: mainIndex, node: id)) needs node \(d), which has no value")
                    }
                    arguments.append(v)
                }
                do {
                    values[id] = try Evaluator.evaluate(node: node, graph: mainIndex, in: context, arguments: arguments, random: &generator)
                } catch let error as ConfideError {
                    throw error.prefixed("party \(party): \(context.describe(graph: mainIndex, node: id))")
                }
            }
        }
        guard let result = values[output] else {
            throw ConfideError(.invalidGraph, "party \(party): the output node \(output) has no value")
        }
        return result
    }

    /// One round: every phase of a Send node that falls in it, batched into one message per peer.
    private func communicate(
        round: Int, _ items: [(node: Int, phase: Int)], party: Int, needed: [Bool], values: inout [Value?], current: inout [Int: Value],
        communicator: any Communicator, timeout: Duration?
    ) async throws {
        let nodes = context.graphs[mainIndex].nodes
        let tag = MessageTag(kind: "send", sequence: UInt64(round))
        var outgoing = [[UInt8]](repeating: [], count: 3)
        var sending = [Bool](repeating: false, count: 3)
        var incoming = [[Int]](repeating: [], count: 3)
        for (id, p) in items {
            if p == 0, let dependencyValue = values[nodes[id].dependencies[0]] { current[id] = dependencyValue }
            for t in phases[id][p] {
                if t.from == party {
                    guard let v = current[id] else {
                        throw ConfideError(.invalidGraph, "party \(party): \(context.describe(graph: mainIndex, node: id)) has no value to send")
                    }
                    // comm: this phase's value to the receiver, batched with the round's other sends to it
                    ValueWire.append(v, to: &outgoing[t.to])
                    sending[t.to] = true
                }
                if t.to == party { incoming[t.from].append(id) }
            }
        }
        let messages = (0..<3).filter { sending[$0] }.map { OutgoingMessage(to: $0, tag: tag, bytes: outgoing[$0]) }
        let peers = (0..<3).filter { !incoming[$0].isEmpty }
        guard !messages.isEmpty || !peers.isEmpty else {
            finishPhases(items, party: party, needed: needed, values: &values, current: &current)
            return
        }
        let replies = try await communicator.exchange(messages, expecting: peers.map { ExpectedMessage(from: $0, tag: tag) }, timeout: timeout)
        for (peer, bytes) in zip(peers, replies) {
            var offset = 0
            for id in incoming[peer] {
                current[id] = try ValueWire.read(types[id], from: bytes, offset: &offset, peer: peer, tag: tag)
            }
            guard offset == bytes.count else {
                throw ConfideError(.protocolViolation, "party \(peer) sent \(bytes.count - offset) bytes too many for tag \(tag)")
            }
        }
        finishPhases(items, party: party, needed: needed, values: &values, current: &current)
    }

    /// Stores the value of every Send node whose last phase just ended.
    private func finishPhases(_ items: [(node: Int, phase: Int)], party: Int, needed: [Bool], values: inout [Value?], current: inout [Int: Value]) {
        for (id, p) in items where p == phases[id].count - 1 {
            if needed[id] { values[id] = current[id] }
            current[id] = nil
        }
    }
}
