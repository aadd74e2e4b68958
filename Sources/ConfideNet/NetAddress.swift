import ConfideCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a party listens or connects: `tcp://HOST:PORT`, `tcp://HOST` (port chosen by the OS, where
/// allowed) or `file:///path` (a Unix domain socket, for parties on one machine).
///
/// Hosts are DNS names, IPv4 literals (`127.0.0.1`) or bracketed IPv6 literals (`tcp://[::1]:2525`).
public enum NetAddress: Sendable, Hashable, CustomStringConvertible {
    /// A TCP endpoint; `port == 0` means "chosen by the operating system" (listening only).
    case tcp(host: String, port: Int)
    /// A Unix domain socket at an absolute path.
    case unix(path: String)

    /// Parses an address URL.
    /// - Throws: `.invalidAddress` naming the problem (unknown scheme, missing host, bad port, relative path).
    public init(_ url: String) throws {
        if url.hasPrefix("tcp://") {
            let rest = String(url.dropFirst("tcp://".count))
            guard !rest.isEmpty else { throw ConfideError(.invalidAddress, "address '\(url)' has no host") }
            var host: String
            var portText: String?
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else {
                    throw ConfideError(.invalidAddress, "address '\(url)': IPv6 literal is missing ']'")
                }
                host = String(rest[rest.index(after: rest.startIndex)..<close])
                let after = rest[rest.index(after: close)...]
                if !after.isEmpty {
                    guard after.hasPrefix(":") else {
                        throw ConfideError(.invalidAddress, "address '\(url)': expected ':PORT' after the IPv6 literal")
                    }
                    portText = String(after.dropFirst())
                }
                guard NetAddress.isIPv6Literal(host) else {
                    throw ConfideError(.invalidAddress, "address '\(url)': '\(host)' is not an IPv6 address")
                }
            } else {
                let colons = rest.filter { $0 == ":" }.count
                if colons > 1 {
                    throw ConfideError(.invalidAddress, "address '\(url)': IPv6 literals must be written in brackets, e.g. tcp://[::1]:2525")
                }
                if let colon = rest.firstIndex(of: ":") {
                    host = String(rest[..<colon])
                    portText = String(rest[rest.index(after: colon)...])
                } else {
                    host = rest
                }
            }
            guard !host.isEmpty else { throw ConfideError(.invalidAddress, "address '\(url)' has no host") }
            guard host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "_" || $0 == "%" }) else {
                throw ConfideError(.invalidAddress, "address '\(url)': host '\(host)' contains characters not allowed in a host name")
            }
            var port = 0
            if let portText {
                guard let value = Int(portText), (0...65535).contains(value), !portText.isEmpty, portText.allSatisfy(\.isNumber) else {
                    throw ConfideError(.invalidAddress, "address '\(url)': port '\(portText)' is not a number in 0...65535")
                }
                port = value
            }
            host = host.lowercased()
            self = .tcp(host: host, port: port)
        } else if url.hasPrefix("file://") {
            let path = String(url.dropFirst("file://".count))
            guard path.hasPrefix("/") else {
                throw ConfideError(.invalidAddress, "address '\(url)': a file URL needs an absolute path (file:///path)")
            }
            guard path.utf8.count < 104 else {
                throw ConfideError(.invalidAddress, "address '\(url)': Unix socket paths must be shorter than 104 bytes")
            }
            self = .unix(path: path)
        } else {
            throw ConfideError(.invalidAddress, "address '\(url)': expected tcp://HOST[:PORT] or file:///path")
        }
    }

    /// Whether the port is left to the operating system (`tcp://HOST`).
    public var hasExplicitPort: Bool {
        if case .tcp(_, let port) = self { return port != 0 }
        return true
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port):
            let h = host.contains(":") ? "[\(host)]" : host
            return port == 0 ? "tcp://\(h)" : "tcp://\(h):\(port)"
        case .unix(let path):
            return "file://\(path)"
        }
    }

    static func isIPv6Literal(_ text: String) -> Bool {
        var buffer = in6_addr()
        return inet_pton(AF_INET6, text, &buffer) == 1
    }

    package static func ipBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
