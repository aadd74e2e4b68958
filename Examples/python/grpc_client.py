"""A third-party client of Confide's compute nodes, written with grpcio only (as CipherCore's runtime example).

This script plays the three data nodes (DataManagerService + ResultProviderService) and the
orchestrator, talking to three `confide node` processes over CipherCore's gRPC interface with
mutual TLS. It runs two examples and checks the results:

  * two millionaires: CipherCore's compiled graph; parties 0 and 1 must get the bit 1 (3000 > 2000);
  * median: the uncompiled median graph in Confide's envelope, on CipherCore's secret-shared
    median inputs; party 0 must get 511.

Python stubs are generated at run time from the repository's Protos/ with grpc_tools.

Usage: python grpc_client.py --confide PATH_TO_CONFIDE [--examples PATH_TO_ciphercore-examples]
"""
import argparse
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent import futures

import grpc
from grpc_tools import protoc

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

SCALARS = {  # name -> (bytes per element, signed)
    "u8": (1, False), "i8": (1, True), "u16": (2, False), "i16": (2, True), "u32": (4, False), "i32": (4, True),
    "u64": (8, False), "i64": (8, True), "u128": (16, False), "i128": (16, True),
}


def generate_stubs(out):
    """Compiles Protos/*.proto into Python modules in `out` and makes them importable."""
    os.makedirs(out, exist_ok=True)
    protos = os.path.join(REPO, "Protos")
    files = [os.path.join(protos, f) for f in sorted(os.listdir(protos)) if f.endswith(".proto")]
    args = ["grpc_tools.protoc", "-I" + protos, "--python_out=" + out, "--grpc_python_out=" + out] + files
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    sys.path.insert(0, out)


# ---- value encoding (ciphercore-compat.md section 1), written from the spec ----

def flatten(value):
    if isinstance(value, list):
        return [x for item in value for x in flatten(item)]
    return [value]


def shape_of(value):
    shape = []
    while isinstance(value, list):
        shape.append(len(value))
        value = value[0]
    return shape


def encode_leaf(scalar, numbers):
    if scalar == "bit":
        out = bytearray((len(numbers) + 7) // 8)
        for i, bit in enumerate(numbers):
            if int(bit) & 1:
                out[i // 8] |= 1 << (i % 8)
        return bytes(out)
    width, _ = SCALARS[scalar]
    modulus = 1 << (8 * width)
    return b"".join((int(n) % modulus).to_bytes(width, "little") for n in numbers)


def type_json(typed):
    """The CipherCore type (version 2 spelling) of a human-readable typed value."""
    kind = typed["kind"]
    if kind == "scalar":
        return {"Scalar": typed["type"]}
    if kind == "array":
        return {"Array": [shape_of(typed["value"]), typed["type"]]}
    if kind == "tuple":
        return {"Tuple": [type_json(v) for v in typed["value"]]}
    if kind == "vector":
        items = typed["value"]
        return {"Vector": [len(items), type_json(items[0])]}
    if kind == "named tuple":
        return {"NamedTuple": [[f["name"], type_json(f["value"])] for f in typed["value"]]}
    raise ValueError("unknown kind %r" % kind)


def to_proto_value(typed, value_pb2):
    kind = typed["kind"]
    if kind in ("scalar", "array"):
        numbers = flatten(typed["value"]) if kind == "array" else [typed["value"]]
        return value_pb2.Value(bytes=value_pb2.BytesValue(data=encode_leaf(typed["type"], numbers)))
    children = [f["value"] for f in typed["value"]] if kind == "named tuple" else typed["value"]
    return value_pb2.Value(vector=value_pb2.VectorValue(value=[to_proto_value(c, value_pb2) for c in children]))


def to_typed_value(typed, value_pb2):
    return value_pb2.TypedValue(value=to_proto_value(typed, value_pb2), type_json=json.dumps(type_json(typed)))


def decode_leaf(type_spec, data):
    """Decodes a scalar or array leaf to a flat list of Python ints."""
    if "Scalar" in type_spec:
        scalar, count = type_spec["Scalar"], 1
    else:
        shape, scalar = type_spec["Array"]
        count = 1
        for d in shape:
            count *= d
    if scalar == "bit":
        return [(data[i // 8] >> (i % 8)) & 1 for i in range(count)]
    width, signed = SCALARS[scalar]
    return [int.from_bytes(data[i * width:(i + 1) * width], "little", signed=signed) for i in range(count)]


# ---- data nodes ----

def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


class DataNode:
    """One party's DataManagerService and ResultProviderService (the seed's KVDataServer and result server)."""

    def __init__(self, party, creds, data_port, results_port, stubs):
        data_pb2, data_grpc, results_pb2, results_grpc, value_pb2 = stubs
        self.values = {}
        self.results = {}
        self.arrived = threading.Condition()
        node = self

        class KVDataServer(data_grpc.DataManagerServiceServicer):
            def GetValue(self, request, context):
                values = node.values.get(request.key)
                if values is None:
                    return data_pb2.GetValueResponse(status=1, error="Not found")
                return data_pb2.GetValueResponse(status=0, typed_value=values)

        class ResultServer(results_grpc.ResultProviderServiceServicer):
            def ProvideResult(self, request, context):
                with node.arrived:
                    node.results[request.key] = request
                    node.arrived.notify_all()
                return results_pb2.ProvideResultResponse(status=0)

        def read(name):
            with open(os.path.join(creds, "party%d" % party, name), "rb") as f:
                return f.read()

        with open(os.path.join(creds, "ca.pem"), "rb") as f:
            ca = f.read()
        credentials = grpc.ssl_server_credentials(
            ((read("data_key.pem"), read("data_cert.pem")),), root_certificates=ca, require_client_auth=True)
        self.servers = []
        for port, add in ((data_port, lambda s: data_grpc.add_DataManagerServiceServicer_to_server(KVDataServer(), s)),
                          (results_port, lambda s: results_grpc.add_ResultProviderServiceServicer_to_server(ResultServer(), s))):
            server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
            add(server)
            server.add_secure_port("127.0.0.1:%d" % port, credentials)
            server.start()
            self.servers.append(server)

    def wait_result(self, key, timeout=120):
        deadline = time.time() + timeout
        with self.arrived:
            while key not in self.results:
                remaining = deadline - time.time()
                if remaining <= 0:
                    return None
                self.arrived.wait(remaining)
            return self.results[key]

    def stop(self):
        for server in self.servers:
            server.stop(0)


# ---- orchestrator ----

def create_client_stub(address, ca, party_grpc, party_pb2, cert=None, key=None, attempts=60):
    """Connects with retries while the node starts (as the seed's helper): server-side TLS like the
    seed's example, or mutual TLS when a certificate and key are given."""
    delay = 0.2
    for attempt in range(attempts):
        credentials = grpc.ssl_channel_credentials(root_certificates=ca, private_key=key, certificate_chain=cert)
        channel = grpc.secure_channel(address, credentials, options=[("grpc.ssl_target_name_override", "localhost")])
        stub = party_grpc.PartyServiceStub(channel)
        try:
            stub.ListSessions(party_pb2.SessionListRequest(), timeout=5)
            return stub
        except grpc.RpcError:
            if attempt == attempts - 1:
                raise
            time.sleep(delay)
            delay = min(delay * 1.5, 2.0)


def run_session(stubs, graph_bytes, data_key, compute_ports, party_pb2, data_pb2):
    graph_id = str(uuid.uuid4())
    for i, stub in enumerate(stubs):
        response = stub.RegisterGraph(party_pb2.RegisterGraphRequest(graph_json=graph_bytes, graph_id=graph_id))
        assert response.result == 0, "party %d refused the graph: %s" % (i, response.message)
    session_id = str(uuid.uuid4())
    addresses = [party_pb2.Address(address="127.0.0.1", port=p) for p in compute_ports]
    for i, stub in enumerate(stubs):
        request = party_pb2.CreateSessionRequest(
            session_id=session_id, graph_id=graph_id, party_id=i,
            data_settings=data_pb2.DataRequest(key=data_key).SerializeToString(), party_address=addresses)
        response = stub.CreateSession(request)
        assert response.result == 0, "party %d refused the session: %s" % (i, response.message)
    deadline = time.time() + 180
    while True:
        statuses = []
        for stub in stubs:
            entries = {e.session_id: e.status for e in stub.ListSessions(party_pb2.SessionListRequest()).session}
            statuses.append(entries[session_id])
        if all(s not in (0, 1) for s in statuses):  # neither CREATED nor RUNNING
            break
        assert time.time() < deadline, "the session did not end"
        time.sleep(0.1)
    for stub in stubs:
        stub.FinishSession(party_pb2.FinishSessionRequest(session_id=session_id))
    assert statuses == [2, 2, 2], "session statuses %s (2 = FINISHED)" % statuses
    return session_id


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--confide", required=True, help="path to the confide executable")
    parser.add_argument("--examples", default=os.path.join(REPO, "..", "shared", "ciphercore-examples"))
    args = parser.parse_args()
    examples = os.path.abspath(args.examples)

    work = tempfile.mkdtemp(prefix="confide-grpc-client-")
    generate_stubs(os.path.join(work, "stubs"))
    import data_pb2, data_pb2_grpc, party_pb2, party_pb2_grpc, results_pb2, results_pb2_grpc, value_pb2  # noqa: E402
    stubs = (data_pb2, data_pb2_grpc, results_pb2, results_pb2_grpc, value_pb2)

    creds = os.path.join(work, "creds")
    subprocess.run([args.confide, "credentials", "--out", creds], check=True, stdout=subprocess.DEVNULL)
    ports = free_ports(9)
    data_ports, results_ports, compute_ports = ports[0:3], ports[3:6], ports[6:9]

    data_nodes = [DataNode(p, creds, data_ports[p], results_ports[p], stubs) for p in range(3)]
    for p in range(3):
        with open(os.path.join(examples, "two_millionaires", "party%d" % p, "input.txt")) as f:
            data_nodes[p].values[b"millionaires"] = [to_typed_value(v, value_pb2) for v in json.load(f)]
        with open(os.path.join(examples, "median", "party%d" % p, "input.txt")) as f:
            data_nodes[p].values[b"median"] = [to_typed_value(v, value_pb2) for v in json.load(f)]

    # Each party's operator approves what may run on its data (here one policy for all three).
    policy = os.path.join(work, "policy.yaml")
    subprocess.run([args.confide, "approve", os.path.join(examples, "two_millionaires", "graph.json"), "--output-parties", "0,1",
                    "--data-keys", "millionaires", "--out", policy], check=True, stdout=subprocess.DEVNULL)
    graph = json.loads(subprocess.run([args.confide, "example", "median"], check=True, capture_output=True).stdout)
    median_bytes = json.dumps({"confide_version": 1, "context": graph, "inputs": ["secret-shared"], "outputs": ["0"]}).encode()
    median_file = os.path.join(work, "median-envelope.json")
    with open(median_file, "wb") as f:
        f.write(median_bytes)
    subprocess.run([args.confide, "approve", median_file, "--out", policy], check=True, stdout=subprocess.DEVNULL)
    unapproved = json.dumps({"confide_version": 1, "context": graph, "inputs": ["secret-shared"], "outputs": ["1"]}).encode()

    nodes = []
    logs = []
    try:
        for p in range(3):
            log = open(os.path.join(work, "node%d.log" % p), "wb")
            logs.append(log)
            nodes.append(subprocess.Popen(
                [args.confide, "node", "--party", str(p), "--listen", "127.0.0.1", "--port", str(compute_ports[p]),
                 "--data", "127.0.0.1:%d" % data_ports[p], "--results", "127.0.0.1:%d" % results_ports[p],
                 "--ca", os.path.join(creds, "ca.pem"), "--cert", os.path.join(creds, "party%d" % p, "cert.pem"),
                 "--key", os.path.join(creds, "party%d" % p, "key.pem"), "--control-auth", "none", "--approved-graphs", policy],
                stdout=log, stderr=log))

        def read(name):
            with open(os.path.join(creds, name), "rb") as f:
                return f.read()

        # The orchestrator's certificate (mutual TLS) works on the compute ports ...
        mutual = [create_client_stub("127.0.0.1:%d" % port, read("ca.pem"), party_pb2_grpc, party_pb2,
                                     cert=read("orchestrator_cert.pem"), key=read("orchestrator_key.pem")) for port in compute_ports]
        mutual[0].ListSessions(party_pb2.SessionListRequest())
        print("connected to 3 compute nodes with mutual TLS")
        # ... and so does the seed's way, server-side TLS only, on the same ports (--control-auth none with a
        # policy); the peers reach each other on those ports with their party certificates.
        clients = [create_client_stub("127.0.0.1:%d" % port, read("ca.pem"), party_pb2_grpc, party_pb2) for port in compute_ports]
        print("connected to 3 compute nodes with server-side TLS only (as the seed's example)")
        # The policy decides what runs: a graph no party approved is refused.
        refused = clients[0].RegisterGraph(party_pb2.RegisterGraphRequest(graph_json=unapproved, graph_id="unapproved"))
        assert refused.result != 0 and "not-approved" in refused.message, "an unapproved graph was registered: %s" % refused.message
        print("an unapproved graph is refused: %s" % refused.message[:120])

        with open(os.path.join(examples, "two_millionaires", "graph.json"), "rb") as f:
            session = run_session(clients, f.read(), b"millionaires", compute_ports, party_pb2, data_pb2)
        for p in range(3):
            result = data_nodes[p].wait_result(session)
            assert result is not None and not result.error, "party %d: no result (%s)" % (p, result and result.error)
            bits = decode_leaf(json.loads(result.typed_value.type_json), result.typed_value.value.bytes.data)
            print("two millionaires, party %d: %s%s" % (p, bits[0], "" if p < 2 else " (not an output party: random)"))
            if p < 2:
                assert bits == [1], "party %d expected 1, got %s" % (p, bits)

        session = run_session(clients, median_bytes, b"median", compute_ports, party_pb2, data_pb2)
        result = data_nodes[0].wait_result(session)
        assert result is not None and not result.error, "median: no result (%s)" % (result and result.error)
        values = decode_leaf(json.loads(result.typed_value.type_json), result.typed_value.value.bytes.data)
        print("median, party 0: %s" % values)
        assert values == [511], "median expected [511], got %s" % values
        print("ok: grpcio client, data nodes and orchestrator interoperate with confide node")
    finally:
        for node in nodes:
            node.terminate()
        for node in nodes:
            try:
                node.wait(10)
            except subprocess.TimeoutExpired:
                node.kill()
        for log in logs:
            log.close()
        for data_node in data_nodes:
            data_node.stop()


if __name__ == "__main__":
    main()
