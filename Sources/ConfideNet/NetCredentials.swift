import ConfideCore
import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority of a deployment: its certificate and signing key (P-256).
public struct NetCertificateAuthority: Sendable {
    public let certificate: Certificate
    let key: P256.Signing.PrivateKey

    /// Creates a new self-signed CA.
    /// - Throws: `.invalidArgument` if the certificate cannot be built.
    public static func generate(name: String = "Confide deployment CA", days: Int = 365) throws -> NetCertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let signer = Certificate.PrivateKey(key)
        let subject = try DistinguishedName { CommonName(name) }
        let now = Date()
        do {
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(keyIdentifier: ArraySlice(netKeyIdentifier(of: key.publicKey)))
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: signer.publicKey,
                notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
                issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions, issuerPrivateKey: signer)
            return NetCertificateAuthority(certificate: certificate, key: key)
        } catch {
            throw ConfideError(.invalidArgument, "cannot create the CA certificate", cause: "\(type(of: error))")
        }
    }

    /// Loads an existing CA from PEM text (certificate and PKCS#8 or SEC1 P-256 key).
    /// - Throws: `.invalidValue` when either text is not a P-256 certificate/key or the key does not match the certificate.
    public init(certificatePEM: String, keyPEM: String) throws {
        let certificate: Certificate
        do { certificate = try Certificate(pemEncoded: certificatePEM) } catch {
            throw ConfideError(.invalidValue, "the CA certificate is not a PEM X.509 certificate")
        }
        let key: P256.Signing.PrivateKey
        do { key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM) } catch {
            throw ConfideError(.invalidValue, "the CA key is not a PEM P-256 private key")
        }
        guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
            throw ConfideError(.invalidValue, "the CA key does not belong to the CA certificate")
        }
        self.init(certificate: certificate, key: key)
    }

    init(certificate: Certificate, key: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.key = key
    }

    /// The CA certificate as PEM text.
    public var certificatePEM: String { get throws { try certificate.serializeAsPEM().pemString } }
    /// The CA private key as PEM text (PKCS#8). Secret: write it 0600 and never log it.
    public var keyPEM: String { key.pemRepresentation }

    /// Issues a certificate for one node: common name `commonName` (a canonical ``NetRole`` name such as
    /// `party0`), and as subject alternative names `commonName` plus every host (DNS names, and IPv4/IPv6
    /// literals as IP addresses). A host spelled like another role is refused: one certificate, one role.
    /// - Returns: the certificate and its new private key, both as PEM text.
    /// - Throws: `.invalidArgument` for an empty name or a certificate that cannot be built.
    public func issue(commonName: String, hosts: [String], days: Int = 365) throws -> NetIdentity {
        let names = try NetCertificateAuthority.alternativeNames(commonName, hosts)
        return try sign(commonNames: [commonName], alternativeNames: names, days: days)
    }

    /// Issues the certificate a node asked for with a certificate signing request (``NetCredentials/request(role:)``),
    /// so that its private key never leaves the node: the request's signature must verify, and it must name
    /// one deployment role (`partyN`, `partyN-data` or `orchestrator`) with a P-256 key.
    /// - Returns: the role and the certificate as PEM text.
    /// - Throws: `.invalidValue` for a request that does not parse or verify, or names no deployment role;
    ///   `.invalidArgument` as ``issue(commonName:hosts:days:)``.
    public func issue(requestPEM: String, hosts: [String], days: Int = 365) throws -> (role: NetRole, certificatePEM: String) {
        let request: CertificateSigningRequest
        do { request = try CertificateSigningRequest(pemEncoded: requestPEM) } catch {
            throw ConfideError(.invalidValue, "not a PEM certificate signing request")
        }
        guard request.publicKey.isValidSignature(request.signature, for: request) else {
            throw ConfideError(.invalidValue, "the request's signature does not verify")
        }
        var commonNames: [String] = []
        for rdn in request.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                if let text = String(attribute.value) { commonNames.append(text) }
            }
        }
        guard commonNames.count == 1, let name = commonNames.first, let role = try? NetRole(name: name) else {
            throw ConfideError(.invalidValue, "the request must name exactly one canonical role (partyN, partyN-data or orchestrator)")
        }
        if case .named = role { throw ConfideError(.invalidValue, "'\(NetRole.printable(name))' is not a deployment role (partyN, partyN-data or orchestrator)") }
        guard let key = P256.Signing.PublicKey(request.publicKey) else { throw ConfideError(.invalidValue, "the request's key is not a P-256 key") }
        let names = try NetCertificateAuthority.alternativeNames(name, hosts)
        return (role, try certificate(publicKey: key, commonNames: [name], alternativeNames: names, days: days).serializeAsPEM().pemString)
    }

    /// The subject alternative names of a role's certificate: the role, then every host.
    private static func alternativeNames(_ commonName: String, _ hosts: [String]) throws -> [GeneralName] {
        guard !commonName.isEmpty else { throw ConfideError(.invalidArgument, "a certificate needs a non-empty name") }
        do { _ = try NetRole(name: commonName) } catch let error as ConfideError { throw ConfideError(.invalidArgument, error.message) }
        for host in hosts where host != commonName && NetRole.looksLikeRole(host) {
            throw ConfideError(
                .invalidArgument, "host '\(NetRole.printable(host))' is spelled like a role name: the certificate of '\(commonName)' names one role only")
        }
        var names: [GeneralName] = [.dnsName(commonName)]
        for host in hosts where host != commonName {
            if let bytes = NetAddress.ipBytes(host) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
            } else {
                names.append(.dnsName(host))
            }
        }
        return names
    }

    /// Signs a certificate with exactly these names and no checks on them (``issue(commonName:hosts:days:)``
    /// checks; tests use this to build certificates that servers must refuse).
    func sign(commonNames: [String], alternativeNames names: [GeneralName], days: Int) throws -> NetIdentity {
        let key = P256.Signing.PrivateKey()
        do {
            let certificate = try certificate(publicKey: key.publicKey, commonNames: commonNames, alternativeNames: names, days: days)
            return NetIdentity(
                certificatePEM: try certificate.serializeAsPEM().pemString, keyPEM: key.pemRepresentation,
                trustedPEM: [try certificatePEM])
        } catch let error as ConfideError {
            throw error
        } catch {
            throw ConfideError(.invalidArgument, "cannot encode the certificate for '\(commonNames.joined(separator: ","))'", cause: "\(type(of: error))")
        }
    }

    /// A node certificate for `key` signed by this CA.
    private func certificate(publicKey key: P256.Signing.PublicKey, commonNames: [String], alternativeNames names: [GeneralName], days: Int) throws -> Certificate {
        let now = Date()
        do {
            let caKeyID = netKeyIdentifier(of: self.key.publicKey)
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(names)
                SubjectKeyIdentifier(keyIdentifier: ArraySlice(netKeyIdentifier(of: key)))
                AuthorityKeyIdentifier(keyIdentifier: ArraySlice(caKeyID))
            }
            let subject = DistinguishedName(commonNames.map { name in RelativeDistinguishedName([RelativeDistinguishedName.Attribute(type: .RDNAttributeType.commonName, utf8String: name)]) })
            return try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key),
                notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
                issuer: self.certificate.subject, subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
                issuerPrivateKey: Certificate.PrivateKey(self.key))
        } catch {
            throw ConfideError(.invalidArgument, "cannot issue the certificate for '\(commonNames.joined(separator: ","))'", cause: "\(type(of: error))")
        }
    }
}

/// What one node presents and trusts on a TLS link: its certificate and private key, and the trusted
/// certificates (the deployment's CA, or an explicit set of peer certificates).
public struct NetIdentity: Sendable {
    public var certificatePEM: String
    /// Secret: never log or print it.
    public var keyPEM: String
    public var trustedPEM: [String]

    public init(certificatePEM: String, keyPEM: String, trustedPEM: [String]) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
        self.trustedPEM = trustedPEM
    }

    /// Loads party `party`'s identity from a directory in the CipherCore example layout
    /// (`ca.pem`, `party{p}/cert.pem`, `party{p}/key.pem`).
    /// - Throws: `.io` naming the missing or unreadable file.
    public static func load(directory: String, party: Int) throws -> NetIdentity {
        func read(_ path: String) throws -> String {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfideError(.io, "cannot read credential file \(path)")
            }
            return text
        }
        let base = URL(fileURLWithPath: directory)
        return NetIdentity(
            certificatePEM: try read(base.appendingPathComponent("party\(party)/cert.pem").path),
            keyPEM: try read(base.appendingPathComponent("party\(party)/key.pem").path),
            trustedPEM: [try read(base.appendingPathComponent("ca.pem").path)])
    }

}

extension NetIdentity: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Never shows the key.
    public var description: String { "NetIdentity(certificate, key: <redacted>, \(trustedPEM.count) trusted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["key": "<redacted>"]) }
}

extension NetCertificateAuthority: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Never shows the key.
    public var description: String { "NetCertificateAuthority(key: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["key": "<redacted>"]) }
}

/// Writes the credentials of a whole deployment in the CipherCore example layout.
public enum NetCredentials {
    /// The files `deployment` writes, relative to the output directory.
    public static func deploymentFiles(parties: Int) -> [String] {
        var files = ["ca.pem", "ca_key.pem"]
        for p in 0..<parties {
            files += ["party\(p)/cert.pem", "party\(p)/key.pem", "party\(p)/data_cert.pem", "party\(p)/data_key.pem"]
        }
        return files + ["orchestrator_cert.pem", "orchestrator_key.pem"]
    }

    /// Creates a CA and certificates for every party (link and data certificates) and the orchestrator.
    /// Keys are written with mode 0600. The CA key is kept as `ca_key.pem` (0600) so that `issue` can add nodes later.
    /// - Throws: `.invalidArgument` for fewer than 1 party or days < 1; `.io` when a file exists and `force` is
    ///   false (nothing is written then), or a file cannot be written.
    public static func writeDeployment(to directory: String, parties: Int, hosts: [String], days: Int, force: Bool) throws {
        guard parties >= 1 else { throw ConfideError(.invalidArgument, "credentials need at least 1 party, got \(parties)") }
        guard days >= 1 else { throw ConfideError(.invalidArgument, "validity must be at least 1 day, got \(days)") }
        try refuseOverwrite(directory: directory, files: deploymentFiles(parties: parties), force: force)
        let ca = try NetCertificateAuthority.generate(days: days)
        try write(try ca.certificatePEM, to: directory, "ca.pem", secret: false)
        try write(ca.keyPEM, to: directory, "ca_key.pem", secret: true)
        for p in 0..<parties {
            let link = try ca.issue(commonName: "party\(p)", hosts: hosts, days: days)
            try write(link.certificatePEM, to: directory, "party\(p)/cert.pem", secret: false)
            try write(link.keyPEM, to: directory, "party\(p)/key.pem", secret: true)
            let data = try ca.issue(commonName: "party\(p)-data", hosts: hosts, days: days)
            try write(data.certificatePEM, to: directory, "party\(p)/data_cert.pem", secret: false)
            try write(data.keyPEM, to: directory, "party\(p)/data_key.pem", secret: true)
        }
        let orchestrator = try ca.issue(commonName: "orchestrator", hosts: hosts, days: days)
        try write(orchestrator.certificatePEM, to: directory, "orchestrator_cert.pem", secret: false)
        try write(orchestrator.keyPEM, to: directory, "orchestrator_key.pem", secret: true)
    }

    /// Issues one node's certificate from an existing CA (certificate and key files), writing `certFile` and `keyFile`
    /// (0600) relative to `directory`.
    public static func issueNode(
        caCertificate: String, caKey: String, name: String, hosts: [String], days: Int,
        directory: String, certFile: String, keyFile: String, force: Bool
    ) throws {
        guard days >= 1 else { throw ConfideError(.invalidArgument, "validity must be at least 1 day, got \(days)") }
        guard let caText = try? String(contentsOfFile: caCertificate, encoding: .utf8) else {
            throw ConfideError(.io, "cannot read CA certificate \(caCertificate)")
        }
        guard let keyText = try? String(contentsOfFile: caKey, encoding: .utf8) else {
            throw ConfideError(.io, "cannot read CA key \(caKey)")
        }
        let ca = try NetCertificateAuthority(certificatePEM: caText, keyPEM: keyText)
        try refuseOverwrite(directory: directory, files: [certFile, keyFile], force: force)
        let node = try ca.issue(commonName: name, hosts: hosts, days: days)
        try write(node.certificatePEM, to: directory, certFile, secret: false)
        try write(node.keyPEM, to: directory, keyFile, secret: true)
    }

    private static func refuseOverwrite(directory: String, files: [String], force: Bool) throws {
        guard !force else { return }
        let existing = files.filter { FileManager.default.fileExists(atPath: URL(fileURLWithPath: directory).appendingPathComponent($0).path) }
        if !existing.isEmpty {
            throw ConfideError(.io, "refusing to overwrite existing credential files in \(directory) (\(existing.joined(separator: ", "))); pass --force to replace them")
        }
    }

    private static func write(_ text: String, to directory: String, _ name: String, secret: Bool) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            // Create with the final mode so a key is never readable by others, not even briefly.
            guard FileManager.default.createFile(
                atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: secret ? 0o600 : 0o644])
            else { throw ConfideError(.io, "cannot write \(url.path)") }
        } catch let error as ConfideError {
            throw error
        } catch {
            throw ConfideError(.io, "cannot write \(url.path)", cause: "\(type(of: error))")
        }
    }
}

extension NetCredentials {
    /// A new P-256 key and a certificate signing request for `role`, made where the key stays: the
    /// node's operator sends the request (never the key) to whoever holds the deployment CA, who signs
    /// it with ``NetCertificateAuthority/issue(requestPEM:hosts:days:)``.
    /// - Returns: the key (secret: write it 0600) and the request, as PEM text.
    /// - Throws: `.invalidArgument` for a role that is not a deployment role.
    public static func request(role: NetRole) throws -> (keyPEM: String, requestPEM: String) {
        if case .named = role { throw ConfideError(.invalidArgument, "'\(NetRole.printable(role.name))' is not a deployment role (partyN, partyN-data or orchestrator)") }
        let key = P256.Signing.PrivateKey()
        do {
            let request = try CertificateSigningRequest(
                version: .v1, subject: try DistinguishedName { CommonName(role.name) }, privateKey: Certificate.PrivateKey(key),
                attributes: CertificateSigningRequest.Attributes(), signatureAlgorithm: .ecdsaWithSHA256)
            return (key.pemRepresentation, try request.serializeAsPEM().pemString)
        } catch {
            throw ConfideError(.invalidArgument, "cannot create the certificate request for '\(role.name)'", cause: "\(type(of: error))")
        }
    }
}

/// The key identifier of a public key: SHA-1 of its X9.63 bytes (RFC 5280 §4.2.1.2 method 1 uses the same digest).
func netKeyIdentifier(of key: P256.Signing.PublicKey) -> [UInt8] {
    Array(Insecure.SHA1.hash(data: key.x963Representation))
}
