import ConfideCore

/// One party of an ABY3 session (Mohassel & Rindal, CCS 2018, eprint 2018/403): three parties,
/// semi-honest, honest majority, 2-out-of-3 replicated secret sharing.
///
/// Holds the party's communicator, its correlated-randomness generators and the sequence number
/// that tags collective calls. Every kernel is a method (see the `ABY3Party+…` extensions) and is
/// *collective*: all three parties call the same kernels in the same order with shares of the same
/// types, which keeps tags and the shared generators in step.
///
/// Randomness: at set-up each party i draws a key k_i from its local CSPRNG and sends it to its
/// predecessor i−1, so party i holds k_i (shared with i−1) and k_{i+1} (shared with i+1). Each key
/// seeds an AES-128-CTR stream (``AESCTRGenerator``); the local CSPRNG is an AES-CTR stream keyed
/// from system entropy.
public final class ABY3Party {
    /// The transport; kernels use nothing else to talk to peers.
    public let communicator: any Communicator
    /// This party's rank: 0, 1 or 2.
    public let index: Int
    /// How long a round waits for peers; nil uses the communicator's default.
    public var timeout: Duration?
    /// Stream keyed by k_i, shared with the predecessor (which holds it as its `sharedWithNext`).
    var sharedWithPrevious: AESCTRGenerator
    /// Stream keyed by k_{i+1}, shared with the successor.
    var sharedWithNext: AESCTRGenerator
    /// This party's private stream.
    var local: AESCTRGenerator
    private var sequence: UInt64 = 0

    /// The successor i+1 (mod 3).
    public var next: Int { (index + 1) % 3 }
    /// The predecessor i−1 (mod 3).
    public var previous: Int { (index + 2) % 3 }

    private init(
        communicator: any Communicator, timeout: Duration?, sharedWithPrevious: AESCTRGenerator, sharedWithNext: AESCTRGenerator,
        local: AESCTRGenerator
    ) {
        self.communicator = communicator
        self.index = communicator.party
        self.timeout = timeout
        self.sharedWithPrevious = sharedWithPrevious
        self.sharedWithNext = sharedWithNext
        self.local = local
    }

    /// The rounds of ``setUp(_:timeout:)``.
    public static let setUpRounds = 1

    /// Agrees the pairwise keys with the two other parties and returns the party.
    ///
    /// Collective: all three parties call this first. Communication: 1 round; each party sends 16
    /// bytes (its key) to its predecessor.
    /// - Parameters:
    ///   - communicator: a communicator of exactly three parties.
    ///   - timeout: how long rounds wait for peers; nil uses the communicator's default.
    /// - Throws: `.invalidArgument` unless the communicator has three parties; the communicator's
    ///   errors (`.timeout`, `.peerFailure`); `.protocolViolation` for a key of the wrong length.
    public static func setUp(_ communicator: any Communicator, timeout: Duration? = nil) async throws -> ABY3Party {
        guard communicator.partyCount == 3 else {
            throw ConfideError(.invalidArgument, "ABY3 needs exactly 3 parties, the communicator has \(communicator.partyCount)")
        }
        var local = AESCTRGenerator.fromSystemEntropy()
        var own = [UInt8](repeating: 0, count: 16)
        local.fill(&own)
        let party = communicator.party
        let tag = MessageTag(kind: "setup", sequence: 0)
        let next = (party + 1) % 3, previous = (party + 2) % 3
        // comm: 1 round, 128 bits to the predecessor
        let received = try await communicator.exchange(
            [OutgoingMessage(to: previous, tag: tag, bytes: own)], expecting: [ExpectedMessage(from: next, tag: tag)], timeout: timeout)
        guard received[0].count == 16 else {
            throw ConfideError(.protocolViolation, "party \(next) sent a key of \(received[0].count) bytes for tag \(tag), expected 16")
        }
        return ABY3Party(
            communicator: communicator, timeout: timeout, sharedWithPrevious: try AESCTRGenerator(key: own),
            sharedWithNext: try AESCTRGenerator(key: received[0]), local: local)
    }

    /// The tag of the next collective call of kind `kind`.
    func nextTag(_ kind: String) -> MessageTag {
        sequence += 1
        return MessageTag(kind: kind, sequence: sequence)
    }

    /// One round: sends `outgoing`, waits for `expecting`.
    func exchange(_ outgoing: [OutgoingMessage], expecting: [ExpectedMessage]) async throws -> [[UInt8]] {
        try await communicator.exchange(outgoing, expecting: expecting, timeout: timeout)
    }

    /// The round every party of a resharing takes: send `bytes` to the predecessor, receive the
    /// successor's message of the same tag.
    func sendPreviousReceiveNext(_ bytes: [UInt8], tag: MessageTag) async throws -> [UInt8] {
        try await exchange([OutgoingMessage(to: previous, tag: tag, bytes: bytes)], expecting: [ExpectedMessage(from: next, tag: tag)])[0]
    }
}
