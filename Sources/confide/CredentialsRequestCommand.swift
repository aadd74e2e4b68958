import ArgumentParser
import ConfideCore
import ConfideFL
import ConfideNet
import Foundation
import X509

/// `confide credentials request --name NAME`: a private key and certificate signing request made where the
/// key stays, for a deployment role (`partyN`, `partyN-data`, `orchestrator`) or an FL collaborator.
struct CredentialsRequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Create a key (NAME_key.pem, 0600) and a certificate signing request (NAME.csr) for a deployment role or a collaborator.",
        discussion: """
            For partyN, partyN-data and orchestrator the request is for the deployment CA (`confide credentials sign \
            NAME.csr --ca ca.pem --ca-key ca_key.pem`); any other name is an FL collaborator. No party's private key \
            is ever made by someone else this way; `confide credentials` without a request makes every key in one \
            place, which is convenient but trusted like the CA.
            """)

    /// `--name` (the collaborator's name, the certificate's common name) and `--out` (the output folder, default `.`)
    /// are `credentials` options.
    @ParentCommand var credentials: CredentialsCommand

    func run() throws {
        let out = credentials.out ?? "."
        guard let name = credentials.name else { throw ConfideError(.invalidArgument, "--name is required: the role or collaborator's name") }
        if NetRole.looksLikeRole(name) {
            let role: NetRole
            do { role = try NetRole(name: name) } catch let error as ConfideError { throw ConfideError(.invalidArgument, error.message) }
            let (key, request) = try NetCredentials.request(role: role)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try PrivateFile.writeNew(Array(key.utf8), to: out + "/\(name)_key.pem")
            try PrivateFile.writeNew(Array(request.utf8), to: out + "/\(name).csr")
            print("wrote \(out)/\(name).csr and \(name)_key.pem (0600); send the .csr (never the key) to the deployment's CA holder")
            return
        }
        let request = try FLCertificates.request(name: name, folder: out)
        print("wrote \(request) and \(name)_key.pem in \(out); send the .csr (never the key) to the federation owner")
    }
}

/// `confide credentials sign REQUEST`: the federation CA signs a request and registers the collaborator.
struct CredentialsSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a collaborator's certificate request with the federation CA (NAME_cert.pem next to it) and register NAME in cols.yaml.")

    @Argument(help: "The certificate signing request (PEM).")
    var request: String

    @Option(help: "The federation CA certificate.")
    var ca = "cert/ca.pem"

    /// `--ca-key` (required: `fl init` keeps it in `WORKSPACE-ca/`, `credentials` in its `--out` folder) and
    /// `--hosts` are `credentials` options.
    @ParentCommand var credentials: CredentialsCommand

    @Option(help: "The collaborator registry to add the name to.")
    var registry = "cols.yaml"

    func run() throws {
        guard let caKey = credentials.caKey else {
            throw ConfideError(.invalidArgument, "--ca-key is required: the CA's private key (fl init writes it to WORKSPACE-ca/ca_key.pem, outside the workspace)")
        }
        let hostList = credentials.hosts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let text = try? String(contentsOfFile: request, encoding: .utf8) else { throw ConfideError(.io, "cannot read certificate request \(request)") }
        if CredentialsSignCommand.isDeploymentRequest(text) {
            guard let caText = try? String(contentsOfFile: ca, encoding: .utf8), let keyText = try? String(contentsOfFile: caKey, encoding: .utf8) else {
                throw ConfideError(.io, "cannot read the CA files \(ca) and \(caKey)")
            }
            let authority = try NetCertificateAuthority(certificatePEM: caText, keyPEM: keyText)
            let issued: (role: NetRole, certificatePEM: String)
            do { issued = try authority.issue(requestPEM: text, hosts: hostList, days: credentials.days) } catch let error as ConfideError {
                throw error.prefixed(request)
            }
            let out = URL(fileURLWithPath: request).deletingLastPathComponent().appendingPathComponent("\(issued.role.name)_cert.pem").path
            try PrivateFile.writeNew(Array(issued.certificatePEM.utf8), to: out)
            print("signed \(out) for \(issued.role.name) (hosts: \(hostList.joined(separator: ", ")))")
            return
        }
        let (name, certificate) = try FLCertificates.sign(request: request, caCertificate: ca, caKey: caKey, registry: registry, hosts: hostList)
        print("signed \(certificate) for collaborator \(name) and registered it in \(registry)")
    }
}

extension CredentialsSignCommand {
    /// Whether a request names a deployment role (a common name spelled like `party…` or `orchestrator`);
    /// the deployment CA then signs it or refuses it with its own error. Anything else is an FL
    /// collaborator's request.
    static func isDeploymentRequest(_ requestPEM: String) -> Bool {
        guard let request = try? CertificateSigningRequest(pemEncoded: requestPEM) else { return false }
        for rdn in request.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                if let text = String(attribute.value), NetRole.looksLikeRole(text), text != "aggregator" { return true }
            }
        }
        return false
    }
}
