import ConfideNet
import GRPCCore

extension ComputeNode {
    /// The one role the caller's verified certificate names; nil without a certificate.
    func callerRole(_ context: ServerContext) async -> NetRole? {
        if let role = RuntimeTLS.certifiedRole(context) { return role }
        return await peerCertificates.role(of: context)
    }

    /// Why the caller may not make control call `call` (PartyService's and GraphAdmin's), or nil
    /// when it may: control calls need exactly the orchestrator's certificate unless the node
    /// runs with `control_auth: none`. A refusal is logged.
    func controlRefusal(_ context: ServerContext, _ call: String) async -> String? {
        if configuration.controlAuth == .none { return nil }
        let role = await callerRole(context)
        if role == .orchestrator { return nil }
        let shown = role.map { "'\(NetRole.printable($0.name))'" } ?? "no certificate (or one naming no single role)"
        log.warning("refused \(call) from a client with \(shown): control calls need the orchestrator certificate")
        return "\(call) needs a client certificate naming the orchestrator role, the caller presented \(shown)"
    }
}
