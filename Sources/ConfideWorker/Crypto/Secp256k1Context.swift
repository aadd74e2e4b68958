import CSecp256k1
import ConfideCore
import Crypto

/// The libsecp256k1 context shared by every key: created once, randomised against side channels, then only read.
///
/// libsecp256k1 documents a context as safe to use from many threads as long as it is not mutated;
/// after `secp256k1_context_randomize` at creation this one never is.
final class Secp256k1Context: @unchecked Sendable {
    let pointer: OpaquePointer

    static let shared = Secp256k1Context()

    private init() {
        guard let context = secp256k1_context_create(confide_secp256k1_context_none) else {
            fatalError("libsecp256k1 could not create a context")
        }
        var seed = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in seed.indices { seed[i] = generator.next() }
        _ = secp256k1_context_randomize(context, seed)
        pointer = context
    }

    deinit { secp256k1_context_destroy(pointer) }
}
