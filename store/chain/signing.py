"""Ed25519 keys and the signed form of a checkpoint (pure: key files, no database).

A checkpoint signs the chain's head at a position: whoever can write to the database can
recompute every link, but cannot sign without the private key, which is kept outside it
(``AUDIT_SIGNING_KEY``, a PEM file readable by the projector alone). Verifying needs only
the public key (``AUDIT_VERIFY_KEY``), so an auditor can check without being able to sign.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


@dataclass(frozen=True)
class Checkpoint:
    """A signed head: ``signed_at`` is UTC ISO text, ``signature`` hex, ``key_id`` names the public key.

    ``digests_sha256`` is the SHA-256 of the (position, event digest) pairs since the checkpoint before
    (``pack``), kept beside it: a rewrite found at this checkpoint is then traced to its first event.
    """

    position: int
    head: str
    signed_at: str
    signature: str
    key_id: str
    digests_sha256: str

    def summary(self) -> dict[str, object]:
        return {"position": self.position, "head": self.head, "signed_at": self.signed_at, "key_id": self.key_id}


def payload(position: int, head: str, signed_at: str, digests_sha256: str) -> bytes:
    """The exact bytes signed (a fixed text form, so any tool can check a checkpoint by hand)."""
    lines = ("launch-tracker chain checkpoint v1", f"position {position}", f"head {head}", f"signed_at {signed_at}")
    return "\n".join((*lines, f"digests {digests_sha256}", "")).encode()


def pack(rows: list[tuple[int, str]]) -> bytes:
    """(position, event digest) pairs as bytes: 8-byte big-endian position, 32-byte digest."""
    return b"".join(position.to_bytes(8, "big") + bytes.fromhex(event_digest) for position, event_digest in rows)


def unpack(data: bytes) -> list[tuple[int, str]]:
    return [(int.from_bytes(data[i : i + 8], "big"), data[i + 8 : i + 40].hex()) for i in range(0, len(data), 40)]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def generate(out: Path) -> Ed25519PublicKey:
    """A new key pair: ``out`` (private, PEM, mode 0600, never overwritten) and ``out.pub``."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(pem)
    public = private.public_key()
    Path(f"{out}.pub").write_bytes(public_pem(public))
    return public


def load_private(path: str | Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def load_public(path: str | Path) -> Ed25519PublicKey:
    data = Path(path).read_bytes()
    if b"PRIVATE KEY" in data:
        return load_private(path).public_key()
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return key


def sign(private: Ed25519PrivateKey, position: int, head: str, signed_at: str, digests: bytes) -> Checkpoint:
    digests_sha256 = sha256(digests)
    signature = private.sign(payload(position, head, signed_at, digests_sha256)).hex()
    return Checkpoint(position, head, signed_at, signature, key_id(private.public_key()), digests_sha256)


def valid(keys: dict[str, Ed25519PublicKey], checkpoint: Checkpoint) -> bool:
    """Signed by one of ``keys`` (by key id) over exactly this position, head and time."""
    public = keys.get(checkpoint.key_id)
    if public is None:
        return False
    try:
        public.verify(
            bytes.fromhex(checkpoint.signature),
            payload(checkpoint.position, checkpoint.head, checkpoint.signed_at, checkpoint.digests_sha256),
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def verify_keys(verify_key: str | None, signing_key: str | None) -> dict[str, Ed25519PublicKey] | None:
    """The public keys checkpoints are checked with, by key id; None when neither is configured.

    ``verify_key`` may name several files separated by ``os.pathsep`` (old keys after a rotation).
    """
    paths = [p for p in (verify_key or "").split(os.pathsep) if p] or ([signing_key] if signing_key else [])
    if not paths:
        return None
    keys = []
    for path in paths:
        try:
            keys.append(load_public(path))
        except (OSError, ValueError) as error:
            raise ValueError(f"audit key {path}: {error}") from error
    return {key_id(key): key for key in keys}
