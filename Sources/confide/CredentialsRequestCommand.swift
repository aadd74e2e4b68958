import ArgumentParser
import ConfideCore
import ConfideFL
import Foundation

/// `confide credentials request --name NAME`: a collaborator's private key and certificate signing request.
struct CredentialsRequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Create a key (NAME_key.pem, 0600) and a certificate signing request (NAME.csr) for a collaborator.")

    /// `--name` (the collaborator's name, the certificate's common name) and `--out` (the output folder, default `.`)
    /// are `credentials` options.
    @ParentCommand var credentials: CredentialsCommand

    func run() throws {
        let out = credentials.out ?? "."
        do {
            guard let name = credentials.name else { throw ConfideError(.invalidArgument, "--name is required: the collaborator's name") }
            let request = try FLCertificates.request(name: name, folder: out)
            print("wrote \(request) and \(name)_key.pem in \(out); send the .csr (never the key) to the federation owner")
        } catch let error as ConfideError { throw CommandFailure(error) }
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

    /// `--ca-key` (default `cert/ca_key.pem`) and `--hosts` are `credentials` options.
    @ParentCommand var credentials: CredentialsCommand

    @Option(help: "The collaborator registry to add the name to.")
    var registry = "cols.yaml"

    func run() throws {
        let caKey = credentials.caKey ?? "cert/ca_key.pem"
        do {
            let hostList = credentials.hosts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let (name, certificate) = try FLCertificates.sign(request: request, caCertificate: ca, caKey: caKey, registry: registry, hosts: hostList)
            print("signed \(certificate) for collaborator \(name) and registered it in \(registry)")
        } catch let error as ConfideError { throw CommandFailure(error) }
    }
}
