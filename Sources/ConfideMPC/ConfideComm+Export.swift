// The kernels talk to other parties only through ConfideComm's `Communicator`; users of the
// kernels see its types (messages, tags, `LocalNetwork`) without a second import.
@_exported import ConfideComm
