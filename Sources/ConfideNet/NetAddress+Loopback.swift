import ConfideCore
import NIOCore
import NIOPosix

extension NetAddress {
    /// `count` TCP ports on 127.0.0.1 that are free now: each is bound with port 0 (the operating
    /// system chooses), read and released. Another program may take one before it is used; callers
    /// that start parties on them get a clear listen error then.
    /// - Throws: `.io` when no port can be bound.
    public static func freeLoopbackPorts(_ count: Int) async throws -> [Int] {
        var channels: [any Channel] = []
        defer { for channel in channels { channel.close(promise: nil) } }
        for _ in 0..<count {
            do {
                channels.append(try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get())
            } catch {
                throw ConfideError(.io, "cannot bind a loopback port", cause: "\(error)")
            }
        }
        return channels.compactMap { $0.localAddress?.port }
    }
}
