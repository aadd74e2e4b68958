import ConfideCore
import ConfideData
import Foundation
import Yams

extension DeploymentConfig {
    /// Reads a deployment file.
    /// - Throws: `.io` when the file cannot be read; `.invalidArgument` naming the file, line and key
    ///   for unknown keys, wrong kinds of values, bad addresses and a party count other than 3.
    public init(file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ConfideError(.io, "cannot read the deployment file \(file)") }
        guard data.count <= 1 << 20 else { throw ConfideError(.tooLarge, "\(file): a deployment file is at most 1 MiB") }
        try self.init(yaml: String(decoding: data, as: UTF8.self), file: file)
    }

    /// Reads a deployment from YAML text; relative paths are relative to `file`'s folder.
    public init(yaml text: String, file: String) throws {
        let reader = YAMLReader(file: file)
        let base = URL(fileURLWithPath: file).deletingLastPathComponent().path
        let root = try reader.root(text)
        try reader.checkKeys(root, at: "", known: ["credentials", "tls", "timeouts", "data_key", "party_transport", "budget", "parties"])
        let credentials = try reader.string(root["credentials"], at: "credentials") ?? "credentials"
        var config = DeploymentConfig.localDefaults(credentials: credentials, base: base)
        func path(_ node: Node?, _ at: String) throws -> String? {
            try reader.string(node, at: at).map { DeploymentConfig.resolve($0, base: base) }
        }
        if let tls = try reader.mapping(root["tls"], at: "tls") {
            try reader.checkKeys(tls, at: "tls", known: ["ca", "server_name", "orchestrator_cert", "orchestrator_key"])
            config.ca = try path(tls["ca"], "tls.ca") ?? config.ca
            config.serverName = try reader.string(tls["server_name"], at: "tls.server_name") ?? config.serverName
            config.orchestratorCertificate = try path(tls["orchestrator_cert"], "tls.orchestrator_cert") ?? config.orchestratorCertificate
            config.orchestratorKey = try path(tls["orchestrator_key"], "tls.orchestrator_key") ?? config.orchestratorKey
        }
        if let timeouts = try reader.mapping(root["timeouts"], at: "timeouts") {
            try reader.checkKeys(timeouts, at: "timeouts", known: ["round", "service", "connect", "session"])
            func seconds(_ key: String, _ current: Duration) throws -> Duration {
                try reader.int(timeouts[key], at: "timeouts.\(key)", range: 1...86_400).map { .seconds($0) } ?? current
            }
            config.roundTimeout = try seconds("round", config.roundTimeout)
            config.serviceTimeout = try seconds("service", config.serviceTimeout)
            config.connectTimeout = try seconds("connect", config.connectTimeout)
            config.sessionTimeout = try seconds("session", config.sessionTimeout)
        }
        config.dataKey = try reader.string(root["data_key"], at: "data_key") ?? config.dataKey
        if let word = try reader.string(root["party_transport"], at: "party_transport") {
            guard let transport = PartyTransport(rawValue: word) else {
                throw ConfideError(.invalidArgument, "\(file): party_transport must be grpc or socket, found '\(word)'")
            }
            config.partyTransport = transport
        }
        if let budget = try reader.mapping(root["budget"], at: "budget") {
            try reader.checkKeys(budget, at: "budget", known: ["scalars", "bytes", "rounds"])
            config.budget.maxScalars = try reader.int(budget["scalars"], at: "budget.scalars", range: 1...Int.max) ?? config.budget.maxScalars
            config.budget.maxBytes = try reader.int(budget["bytes"], at: "budget.bytes", range: 1...Int.max) ?? config.budget.maxBytes
            config.budget.maxRounds = try reader.int(budget["rounds"], at: "budget.rounds", range: 1...Int.max) ?? config.budget.maxRounds
        }
        if let parties = try reader.sequence(root["parties"], at: "parties") {
            guard parties.count == 3 else {
                throw ConfideError(.invalidArgument, "\(file): parties lists \(parties.count) part\(parties.count == 1 ? "y" : "ies"), a deployment has 3")
            }
            for (p, node) in parties.enumerated() {
                let at = "parties[\(p)]"
                guard let party = try reader.mapping(node, at: at) else { continue }
                try reader.checkKeys(party, at: at, known: ["name", "compute", "data", "results", "tls", "inputs", "output", "result_tables", "approved_graphs", "control_auth"])
                var entry = config.parties[p]
                entry.name = try reader.string(party["name"], at: "\(at).name") ?? entry.name
                for (key, digit) in [("compute", 3), ("data", 1), ("results", 2)] {
                    guard let service = try reader.mapping(party[key], at: "\(at).\(key)") else { continue }
                    try reader.checkKeys(service, at: "\(at).\(key)", known: key == "compute" ? ["address", "listen", "server_tls_listen", "metrics_port"] : key == "data" ? ["address", "listen", "metrics_port"] : ["address", "listen"])
                    if key == "compute", let text = try reader.string(service["server_tls_listen"], at: "\(at).compute.server_tls_listen") {
                        entry.serverTLSListen = try RuntimeEndpoint(parsing: text, what: "\(file): \(at).compute.server_tls_listen")
                    }
                    var value = DeploymentConfig.defaultService(p, digit)
                    if let address = try reader.string(service["address"], at: "\(at).\(key).address") {
                        value.address = try RuntimeEndpoint(parsing: address, what: "\(file): \(at).\(key).address")
                        let isLiteral = value.address.host == "localhost" || value.address.host.first?.isNumber == true || value.address.host.contains(":")
                        value.listen = RuntimeEndpoint(host: isLiteral ? value.address.host : "0.0.0.0", port: value.address.port)
                    }
                    if let listen = try reader.string(service["listen"], at: "\(at).\(key).listen") {
                        value.listen = try RuntimeEndpoint(parsing: listen, what: "\(file): \(at).\(key).listen")
                    }
                    value.metricsPort = try reader.int(service["metrics_port"], at: "\(at).\(key).metrics_port", range: 1...65_535)
                    switch key {
                    case "compute": entry.compute = value
                    case "data": entry.data = value
                    default: entry.results = value
                    }
                }
                if let tls = try reader.mapping(party["tls"], at: "\(at).tls") {
                    try reader.checkKeys(tls, at: "\(at).tls", known: ["cert", "key", "data_cert", "data_key"])
                    entry.certificate = try path(tls["cert"], "\(at).tls.cert") ?? entry.certificate
                    entry.key = try path(tls["key"], "\(at).tls.key") ?? entry.key
                    entry.dataCertificate = try path(tls["data_cert"], "\(at).tls.data_cert") ?? entry.dataCertificate
                    entry.dataKey = try path(tls["data_key"], "\(at).tls.data_key") ?? entry.dataKey
                }
                if let inputs = try reader.sequence(party["inputs"], at: "\(at).inputs") {
                    entry.inputs = try inputs.enumerated().map { i, item in
                        let text = try reader.string(item, at: "\(at).inputs[\(i)]") ?? ""
                        let (key, input) = DataStore.keyAndFile(text)
                        return key + "=" + DeploymentConfig.resolve(input, base: base)
                    }
                }
                entry.output = try path(party["output"], "\(at).output") ?? entry.output
                if let tables = try reader.sequence(party["result_tables"], at: "\(at).result_tables") {
                    entry.resultTables = try tables.enumerated().map { i, item in
                        let word = try reader.string(item, at: "\(at).result_tables[\(i)]") ?? ""
                        guard let format = OutputFile.Format(rawValue: word), format != .json else {
                            throw ConfideError(.invalidArgument, "\(file)\(reader.line(item)): \(at).result_tables[\(i)] must be csv or npy, found '\(word.prefix(40))'")
                        }
                        return format
                    }
                }
                entry.approvedGraphs = try path(party["approved_graphs"], "\(at).approved_graphs") ?? entry.approvedGraphs
                if let word = try reader.string(party["control_auth"], at: "\(at).control_auth") {
                    guard let auth = ControlAuth(rawValue: word) else {
                        throw ConfideError(.invalidArgument, "\(file)\(reader.line(party["control_auth"]!)): \(at).control_auth must be certificate or none, found '\(word)'")
                    }
                    entry.controlAuth = auth
                }
                config.parties[p] = entry
            }
            let names = config.parties.map(\.name)
            guard Set(names).count == 3 else { throw ConfideError(.invalidArgument, "\(file): party names must differ, found \(names.joined(separator: ", "))") }
        }
        self = config
    }
}
