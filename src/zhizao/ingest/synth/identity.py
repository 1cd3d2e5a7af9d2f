"""Synthetic identities: valid-format credit codes and names that say they are synthetic.

Codes are built from the firm's index through a bijection on 31^6 organisation bodies, so they are
unique for up to 887 million firms per division and identical for the same seed. Names carry the
marker （演示）("demo") so that no synthetic firm can be mistaken for a real one.
"""

from __future__ import annotations

import numpy as np

from ... import uscc

_ALPHA = np.frombuffer(uscc.ALPHABET.encode(), dtype=np.uint8)
_W = np.array(uscc.WEIGHTS, dtype=np.int64)
_ORG_W = np.array(uscc.ORG_WEIGHTS, dtype=np.int64)
_SPACE = 31**6

# Neutral shop-name characters (字号) and industry words; combined with the （演示） marker.
_ZIHAO = list("恒瑞嘉锦泰鑫华宏盛达远航晟越辰骏睿兴隆通和安信诚德博凯旭卓祥裕丰源峰澜川岳舟翔帆")
SYNTHETIC_MARK = "（演示）"


def _org_value(chars: np.ndarray) -> np.ndarray:
    """GB 11714 values of ASCII codes: digits 0-9, letters A=10..Z=35."""
    return np.where(chars <= ord("9"), chars - ord("0"), chars - ord("A") + 10).astype(np.int64)


def credit_codes(index: np.ndarray, divisions: np.ndarray, seed: int) -> np.ndarray:
    """Unique valid USCCs (authority 9, type 1, org code 'MA'+6) for firm indices (vectorised)."""
    index = np.asarray(index, dtype=np.int64)
    if index.size and index.max() >= _SPACE:
        raise ValueError("too many firms for one division's code space")
    rng = np.random.default_rng(seed)
    a = int(rng.integers(1, _SPACE))
    while np.gcd(a, 31) != 1:
        a += 1
    b = int(rng.integers(0, _SPACE))
    body = (index * a + b) % _SPACE
    digits = np.empty((index.size, 6), dtype=np.int64)
    for k in range(5, -1, -1):
        digits[:, k] = body % 31
        body //= 31
    org8 = np.concatenate([np.full((index.size, 2), [ord("M"), ord("A")], dtype=np.uint8), _ALPHA[digits]], axis=1)
    r = 11 - (_org_value(org8) * _ORG_W).sum(axis=1) % 11
    org9 = np.where(r == 10, ord("X"), np.where(r == 11, ord("0"), ord("0") + r)).astype(np.uint8)
    div = np.array([list(d.encode()) for d in divisions], dtype=np.uint8).reshape(-1, 6)
    head = np.full((index.size, 2), [ord("9"), ord("1")], dtype=np.uint8)
    first17 = np.concatenate([head, div, org8, org9[:, None]], axis=1)
    lut = np.zeros(128, dtype=np.int64)
    lut[_ALPHA] = np.arange(31)
    check = (31 - (lut[first17] * _W).sum(axis=1) % 31) % 31
    full = np.concatenate([first17, _ALPHA[check][:, None]], axis=1)
    return full.view("S18").ravel().astype(str)


def names(index: np.ndarray, industry_words: list[str], seed: int) -> list[str]:
    """'瑞航汽车零部件有限公司（演示）'-style names, unique per industry word (a serial number is added
    once the shop-name pairs run out)."""
    combos = len(_ZIHAO) ** 2
    a = 1 + (seed * 2 + 1) % (combos - 1)
    while np.gcd(a, combos) != 1:
        a += 1
    out = []
    for k, word in zip(np.asarray(index, dtype=np.int64), industry_words):
        p = (int(k) * a + seed) % combos
        serial = int(k) // combos
        tag = _ZIHAO[p // len(_ZIHAO)] + _ZIHAO[p % len(_ZIHAO)] + (str(serial) if serial else "")
        out.append(f"{tag}{word}有限公司{SYNTHETIC_MARK}")
    return out
