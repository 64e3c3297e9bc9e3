"""A TCP relay in front of PostgreSQL that simulates an outage: it cuts every open connection
and resets new ones until restored. Used by the writer and the end-to-end outage tests."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading


class OutageRelay:
    """TCP relay 127.0.0.1:<port> → PostgreSQL that can cut every connection and reset new ones."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self._upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)  # lets the accept loop notice close()
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._is_down = threading.Event()
        self._is_closed = threading.Event()
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def cut(self) -> None:
        self._is_down.set()
        self._drop_all()

    def restore(self) -> None:
        self._is_down.clear()

    def close(self) -> None:
        self._is_closed.set()
        self._listener.close()
        self._drop_all()

    def _accept_loop(self) -> None:
        while not self._is_closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._is_down.is_set():
                _reset(client)
                continue
            server = socket.create_connection(self._upstream, timeout=5)
            server.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._open.update((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            _shut(sock)

    def _drop_all(self) -> None:
        with self._lock:
            doomed, self._open = self._open, set()
        for sock in doomed:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    # shutdown() wakes a thread blocked in recv() on the socket; close() alone would not.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _reset(sock: socket.socket) -> None:
    # Linger 0 makes close() send RST, the closest a listening socket gets to refusing.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
