import ConfideCore
import X509

/// The one role a deployment certificate names, in its canonical spelling.
///
/// `confide credentials` issues one name per certificate: `partyN` for a compute node (or a socket
/// party), `partyN-data` for party N's data and result services, `orchestrator`, and in federated
/// learning `aggregator` and the collaborators' names. Servers check callers and clients check
/// servers against the exact role they expect; anything else is refused.
public enum NetRole: Hashable, Sendable, CustomStringConvertible {
    /// `partyN`: party N's compute node.
    case party(Int)
    /// `partyN-data`: party N's data and result services.
    case partyData(Int)
    /// `orchestrator`: the client that registers graphs and drives sessions.
    case orchestrator
    /// Any other name (FL's `aggregator` and collaborators); never spelled like a party role.
    case named(String)

    /// Parses a canonical role name.
    /// - Throws: `.authenticationFailed` for an empty name, or a party name that is not canonical
    ///   (`party01`, `party-1`, `party1-Data`).
    public init(name: String) throws {
        if name == "orchestrator" { self = .orchestrator; return }
        if name.hasPrefix("party") {
            var rest = Substring(name.dropFirst(5))
            var data = false
            if rest.hasSuffix("-data") {
                data = true
                rest = rest.dropLast(5)
            }
            guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }), rest.count <= 9, let rank = Int(rest),
                String(rank) == rest
            else {
                throw ConfideError(.authenticationFailed, "'\(NetRole.printable(name))' is not a canonical role name (partyN or partyN-data, N without leading zeros)")
            }
            self = data ? .partyData(rank) : .party(rank)
            return
        }
        guard !name.isEmpty else { throw ConfideError(.authenticationFailed, "an empty name is not a role") }
        self = .named(name)
    }

    /// The canonical spelling (`party1`, `party1-data`, `orchestrator`, or the name).
    public var name: String {
        switch self {
        case let .party(rank): return "party\(rank)"
        case let .partyData(rank): return "party\(rank)-data"
        case .orchestrator: return "orchestrator"
        case let .named(name): return name
        }
    }

    public var description: String { name }

    /// Whether a DNS name is spelled like a role (so it may appear in a certificate only as that
    /// certificate's own role): anything starting with `party`, and `orchestrator`, `aggregator`.
    public static func looksLikeRole(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasPrefix("party") || lower == "orchestrator" || lower == "aggregator"
    }

    /// The role a certificate names: its single common name, which must be canonical; every DNS
    /// subject alternative name spelled like a role must be that same name (the other names are
    /// host names and addresses).
    /// - Throws: `.authenticationFailed` for no or several common names, a non-canonical name, or a
    ///   certificate that names several roles.
    public static func of(certificate: Certificate) throws -> NetRole {
        var commonNames: [String] = []
        for rdn in certificate.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                if let text = String(attribute.value) { commonNames.append(text) }
            }
        }
        guard commonNames.count == 1, let common = commonNames.first else {
            throw ConfideError(.authenticationFailed, "the certificate has \(commonNames.count) common names, expected exactly one role")
        }
        let role = try NetRole(name: common)
        let sans: SubjectAlternativeNames?
        do { sans = try certificate.extensions.subjectAlternativeNames } catch {
            throw ConfideError(.authenticationFailed, "the subject alternative names of '\(printable(common))' cannot be parsed")
        }
        for name in Array(sans ?? SubjectAlternativeNames([])) {
            guard case let .dnsName(text) = name, looksLikeRole(text), text != common else { continue }
            throw ConfideError(
                .authenticationFailed,
                "the certificate of '\(printable(common))' also names '\(printable(text))': one certificate names one role")
        }
        return role
    }

    /// The role of a DER-encoded certificate.
    /// - Throws: `.authenticationFailed` for a certificate that does not parse, and as ``of(certificate:)``.
    public static func of(der: [UInt8]) throws -> NetRole {
        let certificate: Certificate
        do { certificate = try Certificate(derEncoded: der) } catch {
            throw ConfideError(.authenticationFailed, "the certificate cannot be parsed")
        }
        return try of(certificate: certificate)
    }

    /// A name cut to `limit` printable ASCII characters, for messages and logs (CR/LF and control
    /// characters become `?`, so a caller cannot forge log lines).
    public static func printable(_ name: String, limit: Int = 64) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.prefix(limit).map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? $0 : "?" }))
    }
}
