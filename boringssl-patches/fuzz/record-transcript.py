#!/usr/bin/env python3
"""record-transcript.py UPSTREAM_PORT OUT [SESSION]

Relays one TCP connection from 127.0.0.1:<port it prints on stdout> to
127.0.0.1:UPSTREAM_PORT and writes OUT: an input for BoringSSL's TLS client
fuzzers (ssl/test/fuzzer.h) made of what the server sent.

The fuzzers run in BORINGSSL_UNSAFE_FUZZER_MODE, where records after
ChangeCipherSpec are not encrypted and the Finished check always passes. So the
server's records are kept as recorded up to and including its ChangeCipherSpec
(ServerHello, Certificate, ServerKeyExchange, ServerHelloDone,
NewSessionTicket: plaintext in TLS 1.2), and the encrypted rest is replaced by
a plaintext Finished, an HTTP response and close_notify, so that the fuzzed
client completes the handshake. A server that ends the handshake without a
ChangeCipherSpec (a fatal alert) sent only plaintext, all of which is kept. With SESSION (a PEM file written by
`bssl client -session-out`), the input first offers that session (kSessionTag),
its time set to the fixed clock of BORINGSSL_UNSAFE_DETERMINISTIC_MODE so that
the fuzzed client finds it valid. The session must resume by session ID: the
placeholder session ID that goes with a ticket differs in the fuzzed client.
Exits non-zero if the server sent nothing.
"""
import base64
import selectors
import socket
import struct
import sys
import time

CHANGE_CIPHER_SPEC, ALERT, HANDSHAKE, APPLICATION_DATA = 20, 21, 22, 23
DATA_TAG, SESSION_TAG = 0, 1
DETERMINISTIC_TIME = 1234  # ssl_get_current_time in deterministic mode
TIMEOUT = 30


def relay(upstream_port):
    """Accepts one connection and relays it; returns the bytes the server sent."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(TIMEOUT)
    print(listener.getsockname()[1], flush=True)
    client, _ = listener.accept()
    server = socket.create_connection(("127.0.0.1", upstream_port), timeout=TIMEOUT)
    peer = {client: server, server: client}
    sel = selectors.DefaultSelector()
    for s in peer:
        sel.register(s, selectors.EVENT_READ)
    from_server = bytearray()
    deadline = time.monotonic() + TIMEOUT
    open_sockets = 2
    while open_sockets and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=1):
            data = key.fileobj.recv(65536)
            if not data:
                sel.unregister(key.fileobj)
                open_sockets -= 1
                try:
                    peer[key.fileobj].shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                continue
            if key.fileobj is server:
                from_server += data
            peer[key.fileobj].sendall(data)
    return bytes(from_server)


def der_length(n):
    if n < 0x80:
        return bytes([n])
    encoded = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(encoded)]) + encoded


def der_elements(data):
    """Yields (tag, whole element) for each DER element in data."""
    pos = 0
    while pos < len(data):
        tag, length, start = data[pos], data[pos + 1], pos + 2
        if length & 0x80:
            count = length & 0x7F
            length = int.from_bytes(data[start:start + count], "big")
            start += count
        yield tag, data[pos:start + length]
        pos = start + length


def with_time(session, seconds):
    """Returns the SSL_SESSION DER session with its time ([1] INTEGER) replaced."""
    (tag, whole), = der_elements(session)
    assert tag == 0x30, "an SSL_SESSION is a SEQUENCE"
    header = 2 + (whole[1] & 0x7F if whole[1] & 0x80 else 0)
    integer = seconds.to_bytes((seconds.bit_length() + 8) // 8, "big")
    time = bytes([0x02]) + der_length(len(integer)) + integer
    time = bytes([0xA1]) + der_length(len(time)) + time
    contents = b"".join(time if tag == 0xA1 else element
                        for tag, element in der_elements(whole[header:]))
    return bytes([0x30]) + der_length(len(contents)) + contents


def record(content_type, version, payload):
    return struct.pack("!BHH", content_type, version, len(payload)) + payload


def fuzzer_input(from_server, session):
    kept = bytearray()
    version = None
    pos = 0
    while pos + 5 <= len(from_server):
        content_type, version, length = struct.unpack_from("!BHH", from_server, pos)
        end = pos + 5 + length
        kept += from_server[pos:end]
        pos = end
        if content_type == CHANGE_CIPHER_SPEC:
            finished = bytes([20, 0, 0, 12]) + bytes(12)
            kept += record(HANDSHAKE, version, finished)
            kept += record(APPLICATION_DATA, version, b"HTTP/1.0 200 OK\r\n\r\nfuzz\n")
            kept += record(ALERT, version, bytes([1, 0]))
            break
    if version is None:
        sys.exit("record-transcript.py: the server sent nothing")
    settings = b""
    if session:
        session = with_time(session, DETERMINISTIC_TIME)
        settings = struct.pack("!H", SESSION_TAG) + len(session).to_bytes(3, "big") + session
    return settings + struct.pack("!H", DATA_TAG) + bytes(kept)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    session = b""
    if len(sys.argv) == 4:
        pem = open(sys.argv[3]).read().splitlines()
        session = base64.b64decode("".join(l for l in pem if not l.startswith("-----")))
    from_server = relay(int(sys.argv[1]))
    with open(sys.argv[2], "wb") as out:
        out.write(fuzzer_input(from_server, session))


main()
