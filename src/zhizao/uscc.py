"""The 18-character unified social credit code (统一社会信用代码), GB 32100-2015.

Layout: position 1 registration authority, 2 organisation type, 3-8 the GB/T 2260
administrative-division code of the registering office, 9-17 the organisation code
(GB 11714), 18 the check character.

Characters come from a 31-symbol alphabet (digits and capitals without I, O, S, V, Z),
each standing for its index 0..30. The check character is

    C18 = 31 - (sum_{i=1..17} C_i * W_i  mod 31),  with 31 written as 0,
    W_i = 3^(i-1) mod 31 = 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.

The organisation code's own check character (position 17, GB 11714-1997) is

    C9 = 11 - (sum_{i=1..8} c_i * w_i  mod 11), w = 3 7 9 10 5 8 4 2; 10 -> 'X', 11 -> '0',

with letters valued A=10 ... Z=35. GB 32100 only requires the 18th character; the GB 11714 check
is offered separately because some genuine codes issued to individual businesses do not follow it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .errors import ZhizaoError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Registration authorities and the organisation types they may issue (GB 32100-2015 table 1).
AUTHORITY_TYPES = {
    "1": "1239",
    "5": "1239",
    "9": "123",
    "Y": "1",
    "2": "19",
    "3": "12345",
    "4": "19",
    "6": "129",
    "7": "129",
    "8": "19",
    "A": "19",
    "B": "129",
    "C": "19",
    "D": "1",
    "E": "1",
    "F": "1",
    "G": "1",
    "N": "123",
}


@dataclass(frozen=True)
class USCCError(ZhizaoError, ValueError):
    code: str
    reason: str

    def __str__(self) -> str:  # pragma: no cover - trivial
        return f"{self.code!r}: {self.reason}"


def check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters."""
    if len(first17) != 17:
        raise USCCError(first17, "need exactly 17 characters to compute the check character")
    try:
        total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS))
    except KeyError as e:
        raise USCCError(first17, f"character {e.args[0]!r} is not allowed") from None
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    """The GB 11714 check character of a 9-character organisation code."""

    def val(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    r = 11 - sum(val(c) * w for c, w in zip(first8, ORG_WEIGHTS)) % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def problem(code: object, *, check_org: bool = False) -> str | None:
    """Why `code` is not a valid unified social credit code, or None if it is."""
    if not isinstance(code, str):
        return "not text"
    if len(code) != 18:
        return f"must have 18 characters, has {len(code)}"
    bad = [c for c in code if c not in _VALUE]
    if bad:
        return f"character {bad[0]!r} is not allowed (digits and capitals without I, O, S, V, Z)"
    if code[0] not in AUTHORITY_TYPES:
        return f"unknown registration authority {code[0]!r}"
    if code[1] not in AUTHORITY_TYPES[code[0]]:
        return f"organisation type {code[1]!r} is not issued by authority {code[0]!r}"
    if not code[2:8].isdigit():
        return "positions 3-8 must be a six-digit administrative-division code"
    expected = check_char(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]!r}, expected {expected!r}"
    if check_org and code[16] != org_check_char(code[8:16]):
        return "organisation-code check character (position 17) does not match GB 11714"
    return None


def is_valid(code: object, *, check_org: bool = False) -> bool:
    return problem(code, check_org=check_org) is None


def validate(code: str, *, check_org: bool = False) -> str:
    """Return the code (upper-cased, stripped) or raise USCCError with the reason."""
    norm = code.strip().upper() if isinstance(code, str) else code
    why = problem(norm, check_org=check_org)
    if why:
        raise USCCError(str(code), why)
    return norm


def make(division: str, org8: str, authority: str = "9", kind: str = "1") -> str:
    """Build a valid code from its parts (the organisation and final check characters are computed)."""
    org = org8 + org_check_char(org8)
    first17 = authority + kind + division + org
    return first17 + check_char(first17)


def synthetic(division: str, rng: random.Random) -> str:
    """A valid-format code for a synthetic enterprise registered in `division`.

    The organisation code starts with 'MA' as codes issued since 2015 do, followed by six random
    symbols; nothing marks it as synthetic, so the warehouse carries `synthetic = true` beside it.
    """
    body = "MA" + "".join(rng.choice(ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
    return make(division, body)
