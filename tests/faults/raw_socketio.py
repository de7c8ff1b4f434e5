"""A minimal Socket.IO-over-WebSocket client on a plain TCP socket, for fault tests.

python-socketio's client reads and answers pings in background threads; these tests need a
client that does nothing it is not told to (a silent one), and hundreds of connections from one
thread. Speaks just enough: the WebSocket handshake, masked text frames, Engine.IO v4 open/ping
and Socket.IO connect, events with acks.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import socket
import struct
from typing import Any

_ACK = re.compile(r"43(\d+)\[")


class RawSocketIO:
    """One Socket.IO connection over the WebSocket transport, driven by hand."""

    def __init__(self, port: int, timeout: float = 15.0) -> None:
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self._buffer = b""
        self._next_ack = 0
        self._acks: dict[int, Any] = {}
        self.sid: str | None = None
        self._handshake()

    # --- WebSocket ----------------------------------------------------------------------------

    def _handshake(self) -> None:
        key = base64.b64encode(os.urandom(16)).decode()
        origin = f"http://127.0.0.1:{self.port}"
        request = (
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{self.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        while b"\r\n\r\n" not in self._buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the WebSocket handshake")
            self._buffer += chunk
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise ConnectionError(f"no upgrade: {head.decode(errors='replace')}")

    def send_text(self, text: str) -> None:
        """One masked text frame (clients must mask)."""
        payload = text.encode()
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x81, 0x80 | length)
        elif length < 65536:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, length)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, length)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _read(self, count: int) -> bytes:
        while len(self._buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self._buffer += chunk
        data, self._buffer = self._buffer[:count], self._buffer[count:]
        return data

    def recv_frame(self) -> tuple[int, bytes]:
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._read(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._read(8))
        return first & 0x0F, self._read(length)

    def recv_packet(self) -> str:
        """The next Engine.IO packet (text frame); pings are answered, as a live client would."""
        while True:
            opcode, payload = self.recv_frame()
            if opcode == 0x8:
                raise ConnectionError("the server sent a WebSocket close frame")
            if opcode != 0x1:
                continue
            text = payload.decode()
            if text == "2":
                self.send_text("3")
                continue
            return text

    # --- Socket.IO ----------------------------------------------------------------------------

    def connect(self, auth: dict[str, Any]) -> RawSocketIO:
        """Engine.IO open, then the Socket.IO connect packet with `auth`; raises when refused."""
        opened = self.recv_packet()
        if not opened.startswith("0"):
            raise ConnectionError(f"expected the Engine.IO open packet, got {opened[:80]!r}")
        self.send_text("40" + json.dumps(auth))
        while True:
            packet = self.recv_packet()
            if packet.startswith("40"):
                self.sid = json.loads(packet[2:])["sid"]
                return self
            if packet.startswith("44"):
                raise ConnectionRefusedError(packet[2:])

    def emit(self, event: str, data: Any = None) -> int:
        """Send an event that asks for an ack; returns the ack id to `wait_ack` for."""
        ack_id = self._next_ack
        self._next_ack += 1
        self.send_text(f"42{ack_id}" + json.dumps([event, data]))
        return ack_id

    def wait_ack(self, ack_id: int) -> Any:
        """Read until the ack with this id; server events in between are skipped, and acks that
        overtake it (the server handles events concurrently) kept for their own `wait_ack`."""
        while ack_id not in self._acks:
            packet = self.recv_packet()
            match = _ACK.match(packet)
            if match:
                self._acks[int(match.group(1))] = json.loads(packet[match.end() - 1 :])[0]
        return self._acks.pop(ack_id)

    def call(self, event: str, data: Any = None) -> Any:
        return self.wait_ack(self.emit(event, data))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def read_until_closed(sock: socket.socket, timeout: float) -> bytes:
    """Drain what the server sent until it closes the connection (b"" or a reset).

    Raises `socket.timeout` when the connection is still open after `timeout` seconds of silence.
    """
    sock.settimeout(timeout)
    received = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk
