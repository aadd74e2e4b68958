import ConfideCore
import ConfideNet
import ConfideRuntime
import Crypto
import Foundation
import Logging

/// The aggregator's rounds: phases, the straggler cut-off, aggregation and checkpoints.
actor FLAggregatorState {
    let plan: FLPlan
    let log: Logger
    nonisolated let metrics: FLAggregatorMetrics
    /// Checks collaborators' certificates and signatures against the federation's CA.
    nonisolated let verifier: FLPeerVerifier
    private(set) var registered: [String]
    private(set) var model: [Double]
    private(set) var history: [FLCheckpoint.RoundMetrics]
    private(set) var round: FLRound
    private(set) var finished = false
    /// Why the federation stopped without aggregating a round (revealed shares that reconstruct no committed secret).
    private(set) var failure: ConfideError?
    /// Collaborators that asked for a task while this aggregator ran, and those already told the federation is done.
    private var seen: Set<String> = []
    private var toldDone: Set<String> = []

    private let observer: (@Sendable (UInt64, [Double]) -> Void)?

    init(
        plan: FLPlan, registered: [String], log: Logger, metrics: FLAggregatorMetrics = FLAggregatorMetrics(),
        observer: (@Sendable (UInt64, [Double]) -> Void)? = nil
    ) throws {
        self.observer = observer
        self.metrics = metrics
        self.plan = plan
        self.registered = registered
        self.log = log
        verifier = try FLPeerVerifier(caFile: plan.path(plan.caFile))
        if let checkpoint = try FLCheckpoint.read(plan.path(plan.checkpointFile)) {
            model = checkpoint.model
            history = checkpoint.history
            round = FLRound(number: checkpoint.nextRound, secure: plan.secure)
            finished = checkpoint.nextRound > UInt64(plan.rounds)
            log.info("resumed from checkpoint \(plan.checkpointFile) at round \(checkpoint.nextRound) (\(checkpoint.model.count) parameters)")
        } else {
            model = []
            history = []
            round = FLRound(number: 0, secure: plan.secure)
        }
        let unmaskFile = FLUnmaskCheckpoint.file(besides: plan.path(plan.checkpointFile))
        if plan.secure, !finished, let unmask = try FLUnmaskCheckpoint.read(unmaskFile) {
            if unmask.round == round.number {
                round = unmask.restored()
                log.info("resumed the unmasking of round \(unmask.round) (same attempt, \(unmask.survivors.count) survivors) from \(plan.checkpointFile).unmask")
            } else {
                FLUnmaskCheckpoint.remove(unmaskFile)
            }
        }
    }

    /// Where the current round's unmask phase is saved (``FLUnmaskCheckpoint``).
    private var unmaskFile: String { FLUnmaskCheckpoint.file(besides: plan.path(plan.checkpointFile)) }

    var threshold: Int { plan.shamirThreshold(collaborators: registered.count) }
    /// Contributions needed to close the update phase.
    var needed: Int { plan.secure ? max(plan.minimumCollaborators, threshold) : plan.minimumCollaborators }

    func isRegistered(_ name: String) -> Bool {
        if registered.contains(name) { return true }
        // `confide credentials sign` may have registered a name since the start.
        if let names = try? FLRegistry.loadCollaborators(plan.path(plan.collaboratorsFile)) { registered = names }
        return registered.contains(name)
    }

    /// Records a task request; `done` when the answer is that the federation has finished.
    func noteTaskRequest(_ name: String, done: Bool) {
        if seen.insert(name).inserted { metrics.collaboratorsSeen.set(seen.count) }
        if done { toldDone.insert(name) }
    }

    /// Whether every collaborator seen during this run has been told the federation is done.
    var everyoneToldDone: Bool { seen.isSubset(of: toldDone) }

    func currentModel() -> (round: UInt64, model: [Double]) { (round.number, model) }

    /// Closes the current phase when everyone expected is done, or when the cut-off has passed and enough are.
    func tick() throws {
        guard !finished else { return }
        let (done, expected) = round.progress(registered: registered)
        let allIn = !expected.isEmpty && expected.isSubset(of: done)
        let late = Date().timeIntervalSince(round.phaseStarted) >= plan.cutoffSeconds
        let minimum: Int
        switch round.phase {
        case .keys, .shares, .masked: minimum = needed
        case .consistency, .unmask: minimum = threshold
        case .done: return
        }
        guard allIn || (late && done.count >= minimum) else {
            if late && !round.stalledWarned {
                round.stalledWarned = true
                log.warning("round \(round.number): \(done.count) of \(expected.count) collaborators after the cut-off, waiting for at least \(minimum)")
            }
            if late, plan.secure, round.phase > .keys, Date().timeIntervalSince(round.phaseStarted) >= 2 * plan.cutoffSeconds {
                restartRound(done: done.count, minimum: minimum)
            }
            return
        }
        if !allIn {
            let missing = expected.subtracting(done)
            metrics.dropouts.increment(by: missing.count)
            log.warning("round \(round.number): cut-off reached; continuing without \(missing.sorted().joined(separator: ", "))")
        }
        round.stalledWarned = false
        round.phaseStarted = Date()
        switch round.phase {
        case .keys:
            for (index, name) in round.keys.keys.sorted().enumerated() { round.points[name] = UInt8(index + 1) }
            round.phase = .shares
        case .shares:
            round.sharers = Array(done).sorted()
            round.phase = .masked
        case .masked:
            if plan.secure {
                round.survivors = round.masked.keys.sorted()
                round.phase = .consistency
            } else {
                try aggregatePlain()
            }
        case .consistency:
            // Saved before any survivor can reveal, so that a restarted aggregator finishes this attempt.
            do { try FLUnmaskCheckpoint(round).write(to: unmaskFile) } catch let error as ConfideError {
                log.warning("round \(round.number): \(error.message); a restart of the aggregator during the unmasking will stall the round")
            }
            round.phase = .unmask
        case .unmask:
            do { try aggregateSecure() } catch let error as ConfideError {
                // Retrying cannot help (the shares are what they are), and restarting the round would let the
                // aggregator unmask a second sum of the same updates: the federation stops.
                failure = error
                finished = true
                FLUnmaskCheckpoint.remove(unmaskFile)
                log.error("round \(round.number) cannot be unmasked, the federation stops without aggregating it: \(error.message)")
            }
        case .done: break
        }
    }

    /// Abandons a secure round stuck after its key phase: only the collaborators of that phase could
    /// still finish it, and after a second cut-off too few of them have. The round starts again from the
    /// key phase under a new attempt name, so everyone (including those who left and came back) takes part
    /// with fresh keys. An abandoned attempt never reached its unmasking (that needs `threshold` reveals,
    /// which would have closed the phase), so the aggregator learns nothing from it.
    private func restartRound(done: Int, minimum: Int) {
        log.warning(
            "round \(round.number): \(done) of at least \(minimum) collaborators finished the \(round.phase) phase after two cut-offs; restarting the round (attempt \(round.restarts + 2))")
        FLUnmaskCheckpoint.remove(unmaskFile)
        round = round.restarted(secure: plan.secure)
    }

    // MARK: secure phases

    /// Records a collaborator's keys, already verified by the caller (certificate and signature) as
    /// ``FLKeyAdvertisement/verify(_:round:attempt:)``.
    /// - Parameter signingKey: the key of the collaborator's certificate, for its survivor-set signature.
    func advertise(_ advertisement: FLKeyAdvertisement, signingKey: P256.Signing.PublicKey, round number: UInt64, attempt: String) throws {
        let name = advertisement.collaborator
        try expect(number, attempt, phase: .keys, name)
        guard round.keys[name] == nil else { throw ConfideError(.invalidArgument, "\(name) already advertised its keys for round \(number)") }
        guard round.keys.count < FLFixedPoint.maximumCollaborators else {
            throw ConfideError(.invalidArgument, "round \(number) already has keys from \(FLFixedPoint.maximumCollaborators) collaborators, the most a round can have")
        }
        round.keys[name] = advertisement
        round.signingKeys[name] = signingKey
    }

    /// The key directory once the key phase has closed; nil while it is open.
    /// - Throws: `.outOfRange` when the attempt was abandoned or the round is over.
    func directory(round number: UInt64, attempt: String) throws -> [String: FLKeyAdvertisement]? {
        try expectCurrent(number, attempt)
        return round.phase > .keys ? round.keys : nil
    }

    func share(_ name: String, _ boxes: [String: [UInt8]], round number: UInt64, attempt: String) throws {
        try expect(number, attempt, phase: .shares, name)
        guard round.keys[name] != nil else { throw ConfideError(.invalidArgument, "\(name) sent shares without keys in round \(number)") }
        guard !round.sharers.contains(name) else { throw ConfideError(.invalidArgument, "\(name) already sent its shares for round \(number)") }
        guard Set(boxes.keys) == Set(round.keys.keys).subtracting([name]) else {
            throw ConfideError(.invalidArgument, "\(name) sent shares for a different set of collaborators than round \(number)'s")
        }
        for (to, box) in boxes { round.mailbox[to, default: [:]][name] = box }
        round.sharers.append(name)
    }

    /// The shares addressed to `name` from every collaborator who shared, once the phase has closed.
    /// - Throws: `.outOfRange` when the attempt was abandoned or the round is over.
    func sharesFor(_ name: String, round number: UInt64, attempt: String) throws -> [String: [UInt8]]? {
        try expectCurrent(number, attempt)
        guard round.phase > .shares else { return nil }
        let sharers = Set(round.sharers)
        return (round.mailbox[name] ?? [:]).filter { sharers.contains($0.key) }
    }

    /// - Throws: `.outOfRange` when the attempt was abandoned or the round is over.
    func survivors(round number: UInt64, attempt: String) throws -> (survivors: [String], dropped: [String])? {
        try expectCurrent(number, attempt)
        guard round.phase > .masked else { return nil }
        return (round.survivors, round.sharers.filter { !round.survivors.contains($0) })
    }

    /// Records a survivor's signature over the survivor set (the consistency check).
    /// - Throws: `.invalidArgument` for a collaborator that is not a survivor or already signed, a
    ///   signature over another set; `.authenticationFailed` for a signature that does not verify
    ///   with its certificate's key.
    func sign(_ name: String, survivors: [String], signature: [UInt8], round number: UInt64, attempt: String) throws {
        try expect(number, attempt, phase: .consistency, name)
        guard round.survivors.contains(name), let key = round.signingKeys[name] else { throw ConfideError(.invalidArgument, "\(name) is not a survivor of round \(number)") }
        guard round.signatures[name] == nil else { throw ConfideError(.invalidArgument, "\(name) already signed the survivor set of round \(number)") }
        guard survivors.sorted() == round.survivors else { throw ConfideError(.invalidArgument, "\(name) signed a survivor set other than round \(number)'s") }
        let message = FLSecAggTranscript.survivors(federation: verifier.federation, round: number, attempt: attempt, survivors: round.survivors)
        guard FLPeerVerifier.isValid(signature: signature, of: message, key: key) else {
            throw ConfideError(.authenticationFailed, "the survivor-set signature of \(name) in round \(number) does not verify with its certificate")
        }
        round.signatures[name] = signature
    }

    /// The survivor set and the survivors' signatures over it once the consistency phase has closed; nil while it is open.
    /// - Throws: `.outOfRange` when the attempt was abandoned or the round is over.
    func signatures(round number: UInt64, attempt: String) throws -> (survivors: [String], signatures: [String: [UInt8]])? {
        try expectCurrent(number, attempt)
        return round.phase > .consistency ? (round.survivors, round.signatures) : nil
    }

    /// Accepts a survivor's revealed shares, checked against what it may reveal: only in the unmask
    /// phase of the current attempt, once, from a survivor that signed the survivor set, and exactly
    /// one share per sharer — of the self-mask seed for survivors, of the masking key for the dropped —
    /// each at the revealer's own Shamir point (so nobody reveals a share it was not given) with the
    /// secret's length. Nothing is recorded from a refused reveal.
    /// - Throws: `.outOfRange` in another phase, round or attempt; `.invalidArgument` naming what is wrong.
    func reveal(_ name: String, _ shares: [FLRevealedShare], round number: UInt64, attempt: String) throws {
        do {
            try expect(number, attempt, phase: .unmask, name)
            guard round.survivors.contains(name) else { throw ConfideError(.invalidArgument, "\(name) is not a survivor of round \(number)") }
            guard round.signatures[name] != nil else { throw ConfideError(.invalidArgument, "\(name) did not sign the survivor set of round \(number)") }
            // The same reveal again (after a lost connection) changes nothing and is accepted.
            if round.revealed[name] == shares { return }
            guard round.revealed[name] == nil else { throw ConfideError(.invalidArgument, "\(name) already revealed its shares for round \(number)") }
            guard let point = round.points[name] else { throw ConfideError(.invalidArgument, "\(name) holds no shares in round \(number)") }
            let sharers = Set(round.sharers), surviving = Set(round.survivors)
            guard shares.count == sharers.count else {
                throw ConfideError(.invalidArgument, "\(name) revealed \(shares.count) shares; round \(number) needs one for each of its \(sharers.count) sharers")
            }
            var owners = Set<String>()
            for share in shares {
                let owner = NetRole.printable(share.owner)
                guard sharers.contains(share.owner) else { throw ConfideError(.invalidArgument, "\(name) revealed a share of '\(owner)', who did not share keys in round \(number)") }
                guard owners.insert(share.owner).inserted else { throw ConfideError(.invalidArgument, "\(name) revealed two shares of \(owner)") }
                let kind: FLRevealedShare.Kind = surviving.contains(share.owner) ? .selfSeed : .maskingKey
                guard share.kind == kind else {
                    let (sent, status, accepted) = kind == .selfSeed ? ("masking-key", "survived", "seed") : ("self-mask seed", "dropped out", "masking-key")
                    throw ConfideError(.invalidArgument, "\(name) revealed a \(sent) share of \(owner), who \(status): only \(accepted) shares are accepted for it")
                }
                guard share.x == point else {
                    throw ConfideError(.invalidArgument, "\(name) revealed a share at point \(share.x) of \(owner)'s secret, but holds point \(point): it may reveal only its own shares")
                }
                guard share.share.count == (kind == .selfSeed ? 16 : 32) else { throw ConfideError(.invalidArgument, "\(name) revealed a share of \(owner) with the wrong length") }
            }
            round.revealed[name] = shares
        } catch let error as ConfideError {
            log.warning("refused the revealed shares of \(name) in round \(number): \(error.message)")
            throw error
        }
    }

    // MARK: updates

    /// Accepts one collaborator's update after checking it; a rejected update is named in the log.
    func submit(_ name: String, round number: UInt64, attempt: String, encoding: String, payload: Data, weight: Double, metrics: [String: Double]) throws {
        do {
            try expect(number, attempt, phase: .masked, name)
            let expected = expectedLength
            switch (encoding, plan.secure) {
            case ("masked", true):
                guard round.sharers.contains(name) else { throw ConfideError(.invalidArgument, "\(name) did not share its keys in round \(number)") }
                let words = try FLWire.words(payload, what: "the masked update")
                if let expected, words.count != expected {
                    throw ConfideError(.shapeMismatch, "the masked update has \(words.count) entries, round \(number) expects \(expected)")
                }
                if let first = round.masked.values.first, first.count != words.count {
                    throw ConfideError(.shapeMismatch, "the masked update has \(words.count) entries, others sent \(first.count)")
                }
                round.masked[name] = words
            case ("plain", false):
                let values = try FLWire.doubles(payload, what: "the update")
                if let expected, values.count + 1 != expected {
                    throw ConfideError(.shapeMismatch, "the update has \(values.count) entries, round \(number) expects \(expected - 1)")
                }
                if let index = values.firstIndex(where: { !$0.isFinite }) {
                    throw ConfideError(.invalidValue, "entry \(index) of the update is not a finite number")
                }
                guard weight.isFinite, weight > 0 else { throw ConfideError(.invalidValue, "the update's weight (sample count) must be positive") }
                if let first = round.plain.values.first, first.sum.count != values.count {
                    throw ConfideError(.shapeMismatch, "the update has \(values.count) entries, others sent \(first.sum.count)")
                }
                round.plain[name] = (values, weight)
            default:
                throw ConfideError(.invalidArgument, "update encoding '\(encoding)' does not match the plan (secure_aggregation: \(plan.secure))")
            }
            if metrics.values.allSatisfy(\.isFinite) { round.metrics[name] = metrics }
        } catch let error as ConfideError {
            self.metrics.rejectedUpdates.increment()
            log.warning("rejected the update of \(name) in round \(number) before aggregation: \(error.message)")
            throw error
        }
    }

    /// The most bytes an update of the current round may have: the expected vector, or the
    /// statistics bound in round 0.
    func maximumUpdateBytes() -> Int {
        expectedLength.map { $0 * 8 } ?? FLWire.maxStatisticsBytes
    }

    /// Entries of a round's aggregated vector (the weighted sum and the total weight), once known.
    private var expectedLength: Int? {
        if round.number == 0 { return nil }
        return model.count + 1
    }

    private func expect(_ number: UInt64, _ attempt: String, phase: FLRound.Phase, _ name: String) throws {
        guard !finished else { throw ConfideError(.invalidArgument, failure == nil ? "the federation has finished" : "the federation has stopped") }
        try expectCurrent(number, attempt)
        guard round.phase == phase else {
            throw ConfideError(.outOfRange, "\(name) is late or early for round \(number) (the aggregator is in phase \(round.phase))")
        }
    }

    private func expectCurrent(_ number: UInt64, _ attempt: String) throws {
        guard number == round.number else {
            throw ConfideError(.outOfRange, "round \(number) is not the current round (the aggregator is in round \(round.number))")
        }
        guard attempt == round.attempt else {
            throw ConfideError(.outOfRange, "round \(number) was restarted (the attempt quoted is not the current one)")
        }
    }

    // MARK: aggregation

    private func aggregatePlain() throws {
        let names = round.plain.keys.sorted()
        var result: [Double]
        if plan.aggregation == .median && round.number > 0 {
            let models = names.map { name in round.plain[name]!.sum.map { $0 / round.plain[name]!.weight } }
            result = (0..<models[0].count).map { i in
                let column = models.map { $0[i] }.sorted()
                return column.count % 2 == 1 ? column[column.count / 2] : (column[column.count / 2 - 1] + column[column.count / 2]) / 2
            }
        } else {
            var sum = [Double](repeating: 0, count: round.plain[names[0]]!.sum.count)
            var weight = 0.0
            for name in names {
                let update = round.plain[name]!
                for i in sum.indices { sum[i] += update.sum[i] }
                weight += update.weight
            }
            result = sum.map { $0 / weight }
        }
        try finishRound(result, names: names)
    }

    private func aggregateSecure() throws {
        let (sum, rejected) = try FLSecAggUnmasker.sum(
            round: round.number, threshold: threshold, masked: round.masked, sharers: round.sharers,
            keys: round.keys.mapValues(\.keys), revealed: round.revealed)
        for rejection in rejected {
            let what = rejection.kind == .selfSeed ? "self-mask seed" : "masking key"
            log.warning(
                "round \(round.number): the share of \(rejection.owner)'s \(what) revealed by \(rejection.revealer) does not match the committed secret (reconstructed from the other shares); set aside")
        }
        let decoded = FLFixedPoint.decode(sum)
        guard let weight = decoded.last, weight > 0.5, decoded.allSatisfy(\.isFinite) else {
            throw ConfideError(.invalidValue, "round \(round.number): the unmasked sum is malformed")
        }
        try finishRound(decoded.dropLast().map { $0 / weight }, names: round.masked.keys.sorted())
    }

    private func finishRound(_ mean: [Double], names: [String]) throws {
        if round.number == 0 {
            let d = (mean.count) / 2
            model = FLTrainer(spec: plan.model, features: d).initialModel(statistics: mean)
        } else {
            model = mean
        }
        var metrics: [String: Double] = [:]
        let reporting = round.metrics.filter { names.contains($0.key) }
        for key in Set(reporting.values.flatMap(\.keys)) where !key.hasSuffix("_samples") {
            var total = 0.0, weight = 0.0
            for m in reporting.values {
                guard let value = m[key] else { continue }
                let w = m["\(key.hasPrefix("train") ? "train" : "validation")_samples"] ?? 1
                total += value * w
                weight += w
            }
            if weight > 0 { metrics[key] = total / weight }
        }
        history.append(.init(round: round.number, collaborators: names, metrics: metrics))
        self.metrics.rounds.increment()
        let next = round.number + 1
        finished = next > UInt64(plan.rounds)
        try FLCheckpoint(nextRound: next, model: model, history: history).write(to: plan.path(plan.checkpointFile))
        FLUnmaskCheckpoint.remove(unmaskFile)
        let summary = metrics.keys.sorted().map { "\($0) \(String(format: "%.4f", metrics[$0]!))" }.joined(separator: ", ")
        log.info("round \(round.number) aggregated from \(names.count) collaborators (\(names.joined(separator: ", ")))\(summary.isEmpty ? "" : ": " + summary)")
        observer?(next - 1, model)
        round = FLRound(number: next, secure: plan.secure)
        if finished { log.info("federation finished after round \(next - 1)") }
    }
}
