import ConfideCore
import ConfideNet
import Crypto
import Foundation
import SwiftASN1
import X509

/// The federation's certificates: the CA and the aggregator's certificate (`fl init`), a
/// collaborator's key and certificate signing request (`credentials request`), and the CA signing a
/// request, which also registers the collaborator's name (`credentials sign`).
public enum FLCertificates {
    /// Writes `ca.pem`, `aggregator_cert.pem` and `aggregator_key.pem` (0600) in `folder`, and the CA
    /// key `ca_key.pem` (0600) in `keyFolder` (0700), away from the aggregator's files: the
    /// aggregator never needs it, only whoever signs collaborators' requests does.
    public static func createAuthority(in folder: String, keyFolder: String, hosts: [String], days: Int = 365) throws {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName("Confide federation CA") }
        let now = Date()
        let ca: Certificate
        do {
            ca = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
                notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
                issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                },
                issuerPrivateKey: Certificate.PrivateKey(key))
        } catch { throw ConfideError(.invalidArgument, "cannot create the federation CA", cause: "\(type(of: error))") }
        try write(try pem(ca), folder, "ca.pem", secret: false)
        do {
            try FileManager.default.createDirectory(atPath: keyFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { throw ConfideError(.io, "cannot create the CA key folder \(keyFolder)") }
        try write(key.pemRepresentation, keyFolder, "ca_key.pem", secret: true)
        let aggregatorKey = P256.Signing.PrivateKey()
        let certificate = try issue(name: "aggregator", publicKey: Certificate.PublicKey(aggregatorKey.publicKey), hosts: hosts, ca: ca, caKey: key, days: days)
        try write(try pem(certificate), folder, "aggregator_cert.pem", secret: false)
        try write(aggregatorKey.pemRepresentation, folder, "aggregator_key.pem", secret: true)
    }

    /// A new key (`NAME_key.pem`, 0600) and certificate signing request (`NAME.csr`) in `folder`.
    /// - Returns: the path of the request.
    public static func request(name: String, folder: String) throws -> String {
        guard FLRegistry.isValidName(name) else { throw ConfideError(.invalidArgument, "'\(name)' is not a valid collaborator name (letters, digits, - and _)") }
        let key = P256.Signing.PrivateKey()
        let csr: CertificateSigningRequest
        do {
            csr = try CertificateSigningRequest(
                version: .v1, subject: try DistinguishedName { CommonName(name) }, privateKey: Certificate.PrivateKey(key),
                attributes: CertificateSigningRequest.Attributes(), signatureAlgorithm: .ecdsaWithSHA256)
        } catch { throw ConfideError(.invalidArgument, "cannot create the certificate request for '\(name)'", cause: "\(type(of: error))") }
        try write(key.pemRepresentation, folder, "\(name)_key.pem", secret: true)
        let text: String
        do { text = try csr.serializeAsPEM().pemString } catch { throw ConfideError(.invalidArgument, "cannot encode the certificate request") }
        try write(text, folder, "\(name).csr", secret: false)
        return URL(fileURLWithPath: folder).appendingPathComponent("\(name).csr").path
    }

    /// Signs a request with the CA: writes `NAME_cert.pem` next to the request and adds NAME to `registry` (cols.yaml).
    /// - Returns: the collaborator's name and the certificate's path.
    /// - Throws: `.invalidValue` for a request that does not parse, has a bad signature or an invalid name.
    public static func sign(request file: String, caCertificate: String, caKey: String, registry: String, hosts: [String] = [], days: Int = 365) throws -> (name: String, certificate: String) {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ConfideError(.io, "cannot read certificate request \(file)") }
        let csr: CertificateSigningRequest
        do { csr = try CertificateSigningRequest(pemEncoded: text) } catch { throw ConfideError(.invalidValue, "\(file) is not a PEM certificate signing request") }
        guard csr.publicKey.isValidSignature(csr.signature, for: csr) else { throw ConfideError(.invalidValue, "\(file): the request's signature does not verify") }
        var names: [String] = []
        for rdn in csr.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName { if let text = String(attribute.value) { names.append(text) } }
        }
        guard names.count == 1, let name = names.first, FLRegistry.isValidName(name), name != "aggregator" else {
            throw ConfideError(.invalidValue, "\(file): the request must name exactly one collaborator (letters, digits, - and _)")
        }
        guard let caText = try? String(contentsOfFile: caCertificate, encoding: .utf8), let keyText = try? String(contentsOfFile: caKey, encoding: .utf8) else {
            throw ConfideError(.io, "cannot read the CA files \(caCertificate) and \(caKey)")
        }
        let ca: Certificate, key: P256.Signing.PrivateKey
        do {
            ca = try Certificate(pemEncoded: caText)
            key = try P256.Signing.PrivateKey(pemRepresentation: keyText)
        } catch { throw ConfideError(.invalidValue, "the CA files are not a PEM certificate and P-256 key") }
        let certificate = try issue(name: name, publicKey: csr.publicKey, hosts: hosts, ca: ca, caKey: key, days: days)
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        try write(try pem(certificate), folder, "\(name)_cert.pem", secret: false)
        try FLRegistry.register(name, in: registry)
        return (name, URL(fileURLWithPath: folder).appendingPathComponent("\(name)_cert.pem").path)
    }

    /// Issues a certificate for `name` (both client and server use) signed by the CA.
    public static func issue(name: String, publicKey: Certificate.PublicKey, hosts: [String], ca: Certificate, caKey: P256.Signing.PrivateKey, days: Int = 365) throws -> Certificate {
        for host in hosts where host != name && NetRole.looksLikeRole(host) {
            throw ConfideError(.invalidArgument, "host '\(NetRole.printable(host))' is spelled like a role name: the certificate of '\(name)' names one role only")
        }
        var alternatives: [GeneralName] = [.dnsName(name)]
        for host in hosts where host != name {
            if let bytes = ipBytes(host) { alternatives.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes)))) } else { alternatives.append(.dnsName(host)) }
        }
        let now = Date()
        do {
            return try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(Double(days) * 86_400),
                issuer: ca.subject, subject: try DistinguishedName { CommonName(name) }, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                    try ExtendedKeyUsage([.serverAuth, .clientAuth])
                    SubjectAlternativeNames(alternatives)
                },
                issuerPrivateKey: Certificate.PrivateKey(caKey))
        } catch { throw ConfideError(.invalidArgument, "cannot issue the certificate for '\(name)'", cause: "\(type(of: error))") }
    }

    static func ipBytes(_ host: String) -> [UInt8]? {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        if inet_pton(AF_INET6, host, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    static func pem(_ certificate: Certificate) throws -> String {
        do { return try certificate.serializeAsPEM().pemString } catch { throw ConfideError(.invalidArgument, "cannot encode a certificate") }
    }

    static func write(_ text: String, _ folder: String, _ name: String, secret: Bool) throws {
        let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: url)
        guard FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: secret ? 0o600 : 0o644]) else {
            throw ConfideError(.io, "cannot write \(url.path)")
        }
    }
}
