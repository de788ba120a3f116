"""Trust on first use for a LAN server's TLS certificate.

An office server's certificate is self-signed (``crm-admin server start`` makes it), so no public
CA can vouch for it.  Instead this PC pins it: the first connection to ``host:port`` fetches the
certificate (PostgreSQL's SSLRequest, then a TLS handshake), the user compares its SHA-256
fingerprint with the one ``crm-admin server fingerprint`` prints on the server and trusts it; from
then on every connection is ``sslmode=verify-ca`` against exactly that certificate, with SCRAM
channel binding.  Another machine posing as the server has another certificate: refused before
any password is sent.

    address = secure_address(profile.address())   # UntrustedServer on the first connection
    trust(exc.host, exc.port, exc.certificate)    # after the user said yes
    forget(host, port)                            # the administrator replaced the certificate

This PC's own embedded server on loopback may answer without TLS, as it always has.
"""

from __future__ import annotations

import hashlib
import re
import socket
import ssl
import struct
from dataclasses import replace
from pathlib import Path

from crm_desktop import local_data
from crm_desktop.db.connection import ServerAddress
from crm_desktop.messages import UserError

SSL_REQUEST = struct.pack("!ii", 8, 80877103)  # length, the SSLRequest code (1234 << 16 | 5679)
PIN_FOLDER = "trusted-servers"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class UntrustedServer(Exception):
    """The first connection to this address: its certificate waits for the user's yes."""

    def __init__(self, host: str, port: int, certificate: bytes):
        self.host, self.port, self.certificate = host, port, certificate
        super().__init__(f"{host}:{port} is not trusted yet ({fingerprint(certificate)})")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)


def fetch_certificate(host: str, port: int, timeout: float = 5) -> bytes | None:
    """The server's certificate (DER), or None when it answers that it has no TLS.

    Raises OSError when nothing answers; ssl.SSLError when the handshake fails.
    """
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(SSL_REQUEST)
        answer = sock.recv(1)
        if answer == b"N":
            return None
        if answer != b"S":
            raise OSError(f"{host}:{port} does not speak the PostgreSQL protocol")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # we judge the certificate ourselves, by its fingerprint
        with context.wrap_socket(sock) as tls:
            return tls.getpeercert(binary_form=True)


def fingerprint(certificate: bytes) -> str:
    """SHA-256 of the DER certificate, as ``AB:CD:…`` (what ``openssl x509 -fingerprint`` shows)."""
    digest = hashlib.sha256(certificate).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def pin_path(host: str, port: int) -> Path:
    safe_host = re.sub(r"[^A-Za-z0-9.-]", "_", host.lower())
    return local_data.data_root() / PIN_FOLDER / f"{safe_host}_{port}.pem"


def pinned(host: str, port: int) -> bytes | None:
    """The certificate this PC trusts for ``host:port`` (None: never connected)."""
    try:
        return ssl.PEM_cert_to_DER_cert(pin_path(host, port).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None


def trust(host: str, port: int, certificate: bytes) -> Path:
    """Pin ``certificate`` for ``host:port``; returns the PEM file libpq verifies against."""
    path = pin_path(host, port)
    local_data.write_file(path, ssl.DER_cert_to_PEM_cert(certificate))
    return path


def forget(host: str, port: int) -> bool:
    """Drop the pin of ``host:port`` (the next connection asks again); False when there was none."""
    try:
        pin_path(host, port).unlink()
        return True
    except FileNotFoundError:
        return False


def secure_address(address: ServerAddress) -> ServerAddress:
    """``address`` with the pinned certificate to verify, or the refusal.

    UntrustedServer: first connection (ask the user).  UserError server_certificate_changed (the
    old and new fingerprints), server_without_tls (a LAN server, or a pinned one, without TLS),
    server_unreachable.

    With several hosts (a primary and its standby) each one that answers is checked as above and
    those that do not answer (the primary that just died) are skipped; libpq then verifies against
    a bundle of every host's pinned certificate.
    """
    endpoints = address.endpoints()
    if len(endpoints) == 1:
        return _secure_one(address)
    secured, unreachable = [], 0
    for host, port in endpoints:
        try:
            secured.append(_secure_one(replace(address, host=host, port=port)))
        except UserError as refused:
            if refused.key != "server_unreachable":
                raise
            unreachable += 1
    if not secured:
        raise UserError("server_unreachable", server=address.label())
    pinned_files = [pin_path(h, p) for h, p in endpoints if pin_path(h, p).exists()]
    if not pinned_files:
        return address  # loopback servers without TLS
    if len(pinned_files) < len(secured):
        raise UserError("server_without_tls", server=address.label())
    bundle = local_data.data_root() / PIN_FOLDER / f"bundle-{hashlib.sha256(address.label().encode()).hexdigest()[:16]}.pem"
    local_data.write_file(bundle, "".join(path.read_text(encoding="ascii") for path in pinned_files))
    return replace(address, sslmode="verify-ca", sslrootcert=str(bundle), channel_binding="require")


def _secure_one(address: ServerAddress) -> ServerAddress:
    host, port = address.host, address.port
    try:
        certificate = fetch_certificate(host, port)
    except (OSError, ssl.SSLError):
        raise UserError("server_unreachable", server=address.label()) from None
    known = pinned(host, port)
    if certificate is None:
        if known is not None or host not in LOOPBACK:
            raise UserError("server_without_tls", server=address.label())
        return address
    if known is None:
        raise UntrustedServer(host, port, certificate)
    if known != certificate:
        raise UserError("server_certificate_changed", server=address.label(),
                        old=fingerprint(known), new=fingerprint(certificate))
    return replace(address, sslmode="verify-ca", sslrootcert=str(pin_path(host, port)),
                   channel_binding="require")
