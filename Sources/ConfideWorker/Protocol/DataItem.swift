import ConfideCore

/// One `inData` / `outData` element (EEA TC 1.1 §6.1.7): `index`, `dataHash`, `data` (base64 of
/// `ciphertext ‖ tag`), `encryptedDataEncryptionKey` and `iv` (hex). Absent text fields are "".
public struct DataItem: Sendable, Equatable {
    public var index: Int
    public var dataHash: String
    public var data: String
    public var encryptedDataEncryptionKey: String
    public var iv: String

    public init(index: Int, dataHash: String = "", data: String, encryptedDataEncryptionKey: String = "", iv: String = "") {
        self.index = index
        self.dataHash = dataHash
        self.data = data
        self.encryptedDataEncryptionKey = encryptedDataEncryptionKey
        self.iv = iv
    }

    /// The text this item contributes to a request or response hash: dataHash ‖ data ‖ encryptedDataEncryptionKey ‖ iv.
    public var hashText: String { dataHash + data + encryptedDataEncryptionKey + iv }

    /// Reads an item; `field` names it in errors (for example `inData[2]`).
    public init(json: JSONValue, field: String) throws {
        guard json.objectValue != nil else { throw ConfideError(.invalidValue, "\(field) must be an object") }
        guard let index = json["index"]?.integer(as: Int.self), index >= 0 else {
            throw ConfideError(.invalidValue, "\(field).index must be a non-negative integer")
        }
        func text(_ key: String) throws -> String {
            guard let value = json[key] else { return "" }
            guard let s = value.stringValue else { throw ConfideError(.invalidValue, "\(field).\(key) must be a string") }
            return s
        }
        self.init(
            index: index, dataHash: try text("dataHash"), data: try text("data"),
            encryptedDataEncryptionKey: try text("encryptedDataEncryptionKey"), iv: try text("iv")
        )
        guard json["data"]?.stringValue != nil else { throw ConfideError(.invalidValue, "\(field).data is required") }
    }

    public var json: JSONValue {
        .object([
            ("index", .int(index)), ("dataHash", .string(dataHash)), ("data", .string(data)),
            ("encryptedDataEncryptionKey", .string(encryptedDataEncryptionKey)), ("iv", .string(iv)),
        ])
    }
}
