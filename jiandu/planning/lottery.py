"""The arithmetic of a verifiable draw (双随机, commit-reveal), kept free of the database
so that what the platform does is exactly what the public page tells anyone to redo:

1. commitment = SHA-256 of the seed (UTF-8), in hex, published at announcement;
2. the seed, revealed at the draw, must hash to the commitment;
3. each key (USCC; certificate number for officers) is ranked by SHA-256(seed + "|" + key)
   in hex, ascending; the first n are drawn. Officers are ranked the same way with their
   own n and paired to the drawn enterprises in rank order, k per enterprise: enterprise i
   gets officers i*k .. i*k+k-1 (counted round the drawn officers when there are fewer)."""

import hashlib
import secrets


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_seed(witness_value: str, platform_value: str | None = None) -> str:
    """The seed: the platform's random value mixed with the witness's by SHA-256, so that
    neither the unit nor the platform nor the witness chooses it alone."""
    platform_value = platform_value or secrets.token_hex(32)
    return sha256_hex(f"{platform_value}|{witness_value}")


def commitment(seed: str) -> str:
    return sha256_hex(seed)


def rank(seed: str, keys) -> list[str]:
    """`keys` in draw order: by SHA-256(seed|key) hex ascending (ties, impossible in
    practice, by the key). Sorted on the raw digest: lowercase hex preserves the order of
    the bytes, so this is the hex order the public page describes, without writing 64
    characters per key; the hash state of "seed|" is computed once and copied per key."""
    base = hashlib.sha256((seed + "|").encode("utf-8"))

    def digest(key: str) -> bytes:
        h = base.copy()
        h.update(key.encode("utf-8"))
        return h.digest()

    return sorted(keys, key=lambda k: (digest(k), k))


def pick(seed: str, keys, n: int) -> list[str]:
    return rank(seed, keys)[:n]


def pair(selected: list[str], officers: list[str], per: int) -> list[list[str]]:
    """The officers of each drawn enterprise, in rank order."""
    if not officers:
        return [[] for _ in selected]
    m = len(officers)
    return [[officers[(i * per + j) % m] for j in range(min(per, m))] for i in range(len(selected))]
