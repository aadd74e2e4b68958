import ArgumentParser
import ConfideCore
import ConfideNet
import Foundation

/// `confide credentials`: a CA and TLS certificates for every node of a deployment (CipherCore example layout).
struct CredentialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials",
        abstract: "Create a CA and certificates for every party and the orchestrator, or issue one node's certificate.",
        discussion: """
            Writes, under --out: ca.pem, ca_key.pem, party{p}/cert.pem, party{p}/key.pem, party{p}/data_cert.pem, \
            party{p}/data_key.pem, orchestrator_cert.pem, orchestrator_key.pem. Keys (P-256) are written with mode 0600. \
            Link certificates name their party (common name and DNS name partyN) plus every --hosts entry \
            (DNS names and IP addresses). Existing files are never replaced without --force.
            With --ca-cert and --ca-key, issues only the certificate of node --name from that existing CA \
            (files --name_cert.pem and --name_key.pem, or NAME/cert.pem and NAME/key.pem for partyN).
            Without a central dealer: each party runs `credentials request --name partyN` (or partyN-data, \
            orchestrator; its key stays with it) and the CA holder runs `credentials sign partyN.csr --ca ca.pem \
            --ca-key ca_key.pem --hosts ...`. Making every key in one place (the default) is convenient but trusted \
            like the CA. Federated learning uses the same two commands for collaborators (sign registers NAME in cols.yaml).
            """,
        subcommands: [CredentialsRequestCommand.self, CredentialsSignCommand.self]
    )

    @Option(help: "Output directory.")
    var out: String?

    @Option(help: "Comma-separated host names and IP addresses to include as subject alternative names.")
    var hosts: String = "localhost,127.0.0.1,::1"

    @Option(help: "Number of parties.")
    var parties: Int = 3

    @Option(help: "Validity in days.")
    var days: Int = 365

    @Flag(help: "Replace existing files.")
    var force = false

    @Option(name: .customLong("ca-cert"), help: "Existing CA certificate (PEM): issue one node's certificate only.")
    var caCertificate: String?

    @Option(name: .customLong("ca-key"), help: "Existing CA private key (PEM), with --ca-cert.")
    var caKey: String?

    @Option(help: "Node name for --ca-cert mode, e.g. party1 or orchestrator.")
    var name: String?

    func run() throws {
        guard let out else { throw ConfideError(.invalidArgument, "--out is required: the output directory") }
        let hostList = hosts.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if caCertificate != nil || caKey != nil || name != nil {
            guard let caCertificate, let caKey, let name else {
                throw ConfideError(.invalidArgument, "issuing one node needs --ca-cert, --ca-key and --name together")
            }
            let isParty = name.hasPrefix("party") && name.dropFirst(5).allSatisfy(\.isNumber) && name.count > 5
            let certFile = isParty ? "\(name)/cert.pem" : "\(name)_cert.pem"
            let keyFile = isParty ? "\(name)/key.pem" : "\(name)_key.pem"
            try NetCredentials.issueNode(
                caCertificate: caCertificate, caKey: caKey, name: name, hosts: hostList, days: days,
                directory: out, certFile: certFile, keyFile: keyFile, force: force)
            print("issued \(certFile) and \(keyFile) in \(out)")
        } else {
            try NetCredentials.writeDeployment(to: out, parties: parties, hosts: hostList, days: days, force: force)
            print("wrote CA and certificates for \(parties) parties and the orchestrator in \(out)")
        }
    }
}
