#!/usr/bin/env python3
"""An EEA Trusted Compute 1.1 requester, written from the specification with pycryptodomex and ecdsa.

It submits Avalon's sample work orders (hello for six names, fib for 9, 10 and 15) to a worker,
checks the worker's signature over each result and the decrypted output, and checks that a bad
requester signature is refused with the spec's code. Exit status 0 when every check passes.

    python3 avalon_requester.py --worker http://127.0.0.1:1947/
"""

import argparse
import base64
import hashlib
import hmac
import json
import secrets
import sys
import time
import urllib.request

from Cryptodome.Cipher import AES, PKCS1_OAEP
from Cryptodome.PublicKey import RSA
from Cryptodome.Random import get_random_bytes
from ecdsa import SECP256k1, SigningKey, VerifyingKey
from ecdsa.util import sigdecode_der, sigencode_der

PENDING = 5
INVALID_SIGNATURE = 4


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


class Worker:
    def __init__(self, url: str):
        self.url = url
        self.next_id = 1

    def call(self, method: str, params: dict) -> dict:
        body = json.dumps({"jsonrpc": "2.0", "method": method, "id": self.next_id, "params": params}).encode()
        self.next_id += 1
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())


def items_hash(items: list) -> bytes:
    """SHA-256 over dataHash, data, encryptedDataEncryptionKey and iv of each item, in index order."""
    text = ""
    for item in sorted(items, key=lambda i: i["index"]):
        text += item.get("dataHash", "") + item.get("data", "") + item.get("encryptedDataEncryptionKey", "") + item.get("iv", "")
    return sha256(text.encode("utf-8"))


def request_hash(p: dict) -> bytes:
    ids = sha256((p["requesterNonce"] + p["workOrderId"] + p["workerId"] + p["workloadId"] + p["requesterId"]).encode("utf-8"))
    return sha256(ids + items_hash(p["inData"]))


def response_hash(r: dict) -> bytes:
    ids = sha256((r["workerNonce"] + r["workOrderId"] + r["workerId"] + r["workloadId"] + r["requesterId"]).encode("utf-8"))
    return sha256(ids + items_hash(r["outData"])) if r.get("outData") else sha256(ids)


def gcm_seal(key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    cipher = AES.new(key, AES.MODE_GCM, nonce=iv)
    ciphertext, tag = cipher.encrypt_and_digest(plaintext)
    return ciphertext + tag


def gcm_open(key: bytes, iv: bytes, sealed: bytes) -> bytes:
    cipher = AES.new(key, AES.MODE_GCM, nonce=iv)
    return cipher.decrypt_and_verify(sealed[:-16], sealed[-16:])


def retrieve_worker(worker: Worker) -> dict:
    ids = worker.call("WorkerLookUp", {"workerType": 1})["result"]["ids"]
    assert ids, "WorkerLookUp returned no worker"
    details = worker.call("WorkerRetrieve", {"workerId": ids[0]})["result"]
    data = details["details"]["workerTypeData"]
    verifying_key = VerifyingKey.from_pem(data["verificationKey"])
    assert verifying_key.curve == SECP256k1, "the worker's verification key is not on secp256k1"
    signature = bytes.fromhex(data["encryptionKeySignature"])
    assert verifying_key.verify_digest(signature, sha256(data["encryptionKey"].encode("utf-8")), sigdecode=sigdecode_der), \
        "encryption key not signed by the verification key"
    rsa_key = RSA.import_key(data["encryptionKey"])
    assert rsa_key.size_in_bits() == 3072, "expected an RSA-3072 encryption key"
    print(f"worker {ids[0][:16]}…: RSA-{rsa_key.size_in_bits()} encryption key, secp256k1 verification key, "
          f"attestation {data.get('proofDataType') or 'none'}")
    return {"id": ids[0], "rsa": rsa_key, "verifying_key": verifying_key}


def build_order(info: dict, workload: str, text: str, signer: SigningKey):
    session_key = get_random_bytes(32)
    session_iv = get_random_bytes(12)
    item_iv = get_random_bytes(12)  # a fresh IV for the item: never the session IV
    plaintext = text.encode("utf-8")
    params = {
        "responseTimeoutMSecs": 60000,
        "payloadFormat": "JSON-RPC",
        "workOrderId": secrets.token_hex(32),
        "workerId": info["id"],
        "workloadId": workload.encode("utf-8").hex(),
        # The worker requires requesterId = SHA-256 of the verifying key (uncompressed point).
        "requesterId": hashlib.sha256(signer.get_verifying_key().to_string("uncompressed")).hexdigest(),
        "dataEncryptionAlgorithm": "AES-GCM-256",
        "encryptedSessionKey": PKCS1_OAEP.new(info["rsa"]).encrypt(session_key).hex(),
        "sessionKeyIv": session_iv.hex(),
        "requesterNonce": secrets.token_hex(16),
        "inData": [{
            "index": 0,
            "dataHash": hashlib.sha256(plaintext).hexdigest(),
            "data": base64.b64encode(gcm_seal(session_key, item_iv, plaintext)).decode(),
            "encryptedDataEncryptionKey": "",
            "iv": item_iv.hex(),
        }],
    }
    digest = request_hash(params)
    params["encryptedRequestHash"] = gcm_seal(session_key, session_iv, digest).hex()
    params["requesterSignature"] = base64.b64encode(
        signer.sign_digest_deterministic(digest, hashfunc=hashlib.sha256, sigencode=sigencode_der)).decode()
    params["verifyingKey"] = signer.get_verifying_key().to_pem().decode()
    return params, session_key


def result_request(order_id: str, signer: SigningKey) -> dict:
    """WorkOrderGetResult parameters: only the requester may fetch, with its signature of the request."""
    digest = hashlib.sha256(("WorkOrderGetResult:" + order_id).encode("utf-8")).digest()
    signature = signer.sign_digest_deterministic(digest, hashfunc=hashlib.sha256, sigencode=sigencode_der)
    return {"workOrderId": order_id, "requesterSignature": base64.b64encode(signature).decode()}


def run_order(worker: Worker, info: dict, workload: str, text: str, signer: SigningKey) -> str:
    params, session_key = build_order(info, workload, text, signer)
    answer = worker.call("WorkOrderSubmit", params)
    while "error" in answer and answer["error"]["code"] == PENDING:
        answer = worker.call("WorkOrderGetResult", result_request(params["workOrderId"], signer))
        if "error" in answer and answer["error"]["code"] == PENDING:
            time.sleep(0.01)
    assert "result" in answer, f"work order failed: {answer.get('error')}"
    result = answer["result"]
    for key in ("workOrderId", "workerId", "workloadId", "requesterId"):
        assert result[key] == params[key], f"result {key} does not match the request"
    signature = base64.b64decode(result["workerSignature"])
    assert info["verifying_key"].verify_digest(signature, response_hash(result), sigdecode=sigdecode_der), \
        "worker signature does not verify"
    outputs = []
    for item in sorted(result["outData"], key=lambda i: i["index"]):
        assert item["iv"] != params["sessionKeyIv"] and item["iv"] != params["inData"][0]["iv"], "worker reused an IV"
        plain = gcm_open(session_key, bytes.fromhex(item["iv"]), base64.b64decode(item["data"]))
        # Confide's dataHash is HMAC-SHA-256 under the session key (a plain hash would confirm guesses).
        assert hmac.new(session_key, plain, hashlib.sha256).hexdigest() == item["dataHash"].lower(), "outData dataHash mismatch"
        outputs.append(plain.decode("utf-8"))
    return outputs[0]


def fibonacci(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", required=True, help="worker URL")
    parser.add_argument("--hello", default="hello", help="name of the hello workload")
    parser.add_argument("--fib", default="fib", help="name of the fib workload")
    args = parser.parse_args()

    worker = Worker(args.worker)
    info = retrieve_worker(worker)
    signer = SigningKey.generate(curve=SECP256k1)
    orders = [(args.hello, name, f"Hello {name}") for name in ("Krsna", "Rama", "Shiva", "Ganesha", "Lakshmi", "Parvathy")]
    orders += [(args.fib, str(n), f"Fibonacci number at position {n} = {fibonacci(n)}") for n in (9, 10, 15)]
    for workload, text, expected in orders:
        output = run_order(worker, info, workload, text, signer)
        assert output == expected, f"{workload}({text}): expected {expected!r}, got {output!r}"
        print(f"ok  {workload:6} {text:9} -> {output}  (signature verified)")

    # A request signed by a different key than the one it presents must be refused with code 4.
    params, _ = build_order(info, args.hello, "Krsna", signer)
    params["verifyingKey"] = SigningKey.generate(curve=SECP256k1).get_verifying_key().to_pem().decode()
    answer = worker.call("WorkOrderSubmit", params)
    assert answer.get("error", {}).get("code") == INVALID_SIGNATURE, f"bad signature not refused: {answer}"
    print("ok  a bad requester signature is refused (code 4)")

    # An unsigned order is refused; a result is not given without the requester's signature.
    params, _ = build_order(info, args.hello, "Rama", signer)
    del params["requesterSignature"]
    answer = worker.call("WorkOrderSubmit", params)
    assert answer.get("error", {}).get("code") == INVALID_SIGNATURE, f"unsigned order not refused: {answer}"
    print("ok  an unsigned work order is refused (code 4)")
    params, _ = build_order(info, args.hello, "Shiva", signer)
    worker.call("WorkOrderSubmit", params)
    answer = worker.call("WorkOrderGetResult", {"workOrderId": params["workOrderId"]})
    assert answer.get("error", {}).get("code") == INVALID_SIGNATURE, f"unsigned result request answered: {answer}"
    stranger = result_request(params["workOrderId"], SigningKey.generate(curve=SECP256k1))
    answer = worker.call("WorkOrderGetResult", stranger)
    assert answer.get("error", {}).get("code") == INVALID_SIGNATURE, f"a stranger got the result: {answer}"
    print("ok  a result needs the requester's signature (code 4)")
    print(f"all {len(orders) + 3} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
