"""The matrix in long form: (region, industry, value) rows to the dense matrix and back to a table of every cell
(cells_table, complexity_long), a reference proximity from a larger long-form matrix, and reading a matrix CSV a user
brings (`zhizao opportunities --matrix`).

Reference proximity: φ may come from a larger matrix (a province or the nation) than the city's own
districts: φ is computed on the reference matrix, restricted to the industries of X; an industry
missing from the reference has φ = 1 to itself and 0 to the others (what ecomplexity does with a
`proximity_edgelist`). Density, COI and COG then use that φ.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import AnalyticsError
from .maths import Complexity, complexity, presence, proximity, rca, restrict_phi


def reference_proximity(ref_regions, ref_industries, ref_values, industries, *, threshold: float = 1.0) -> np.ndarray:
    """φ over `industries` computed on a (larger) reference matrix given in long form. Industries the
    reference lacks get φ = 1 with themselves and 0 with the others."""
    _, ri, rx = long_to_matrix(ref_regions, ref_industries, ref_values)
    cols = np.nansum(rx, axis=0) != 0
    ri, rx = ri[cols], rx[:, cols]
    rows = np.nansum(rx, axis=1) != 0
    m = presence(rca(rx[rows]), threshold)
    phi_ref = proximity(m)
    industries = np.asarray(industries).astype(str)
    pos = {c: i for i, c in enumerate(ri.astype(str).tolist())}
    idx = np.array([pos.get(c, -1) for c in industries.tolist()], dtype=np.int64)
    have = idx >= 0
    out = np.full((len(industries), len(industries)), np.nan)
    out[np.ix_(have, have)] = phi_ref[np.ix_(idx[have], idx[have])]
    return restrict_phi(out)


# ------------------------------------------------------------------------------------------ long form
def _factorize_sorted(labels) -> tuple[np.ndarray, np.ndarray]:
    """Codes and sorted distinct labels (as pandas.factorize(sort=True)). Text goes through Arrow's hash
    dictionary (2-3× faster than pandas); a column in runs (the regions of a region-major long table) or
    repeating one period (its industries) is encoded on one run or one period only."""
    import pandas as pd

    a = labels if isinstance(labels, (pd.Series, pd.Index)) else np.asarray(labels)
    try:
        arr = pa.array(a)
    except (pa.ArrowException, TypeError, ValueError):
        arr = None
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)) or arr.null_count:
        codes, uniq = pd.factorize(a, sort=True)
        return codes, np.asarray(uniq)
    n = len(arr)
    head = arr.slice(0, 64)
    runs = period = None
    if n > 256 and len(pc.unique(head)) <= 8:  # long runs of one label: encode the run heads only
        change = pc.not_equal(arr.slice(1), arr.slice(0, n - 1)).to_numpy(zero_copy_only=False)
        runs = np.flatnonzero(np.r_[True, change])
        arr = arr.take(pa.array(runs))
    elif n > 256:  # one period repeated: encode the first period only
        k = _period(arr)
        if k < n and n % k == 0 and arr.slice(k).equals(arr.slice(0, n - k)):  # compared in place, no mask built
            period, arr = k, arr.slice(0, k)
    enc = pc.dictionary_encode(arr)
    enc = enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc
    uniq = np.asarray(enc.dictionary.to_pylist(), dtype=object)
    order = np.argsort(uniq, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    codes = rank[enc.indices.to_numpy(zero_copy_only=False)]
    if runs is not None:
        codes = np.repeat(codes, np.diff(np.r_[runs, n]))
    elif period is not None:
        codes = np.tile(codes, n // period)
    return codes, uniq[order]


def long_to_matrix(regions, industries, values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Long (region, industry, value) → sorted labels and the dense matrix (repeated cells summed)."""
    r_idx, rl = _factorize_sorted(regions)
    i_idx, il = _factorize_sorted(industries)
    return rl, il, _dense(r_idx, i_idx, values, len(rl), len(il))


def _dense(r_idx: np.ndarray, i_idx: np.ndarray, values, L: int, P: int) -> np.ndarray:
    """The L × P matrix of summed values from the cells' codes."""
    flat = r_idx * P if r_idx.dtype == np.int64 else r_idx.astype(np.int64) * P
    flat += i_idx
    return np.bincount(flat, weights=np.asarray(values, float), minlength=L * P).reshape(L, P)


def _floats(a: np.ndarray) -> pa.Array:
    """A float64 column, NaN as null (zero-copy when there is no NaN)."""
    a = np.ascontiguousarray(a, dtype=float)
    nan = np.isnan(a)
    return pa.array(a, pa.float64(), mask=nan) if nan.any() else pa.array(a, pa.float64())


def cells_table(cx: Complexity, labels: tuple[pa.Array, pa.Array] | None = None) -> pa.Table:
    """One row per region × industry: region, industry, value, rca, mcp, density, eci, pci, coi, cog,
    diversity, ubiquity (every cell of the rectangular grid, as ecomplexity returns). `labels`: the region and
    industry columns when the caller already holds them in this order (the input was the grid itself)."""
    L, P = cx.value.shape
    outside = np.isnan(cx.rca.ravel())  # a cell of an all-zero row or column: no values at all
    ridx = pa.array(np.repeat(np.arange(L, dtype=np.int32), P))
    cidx = pa.array(np.tile(np.arange(P, dtype=np.int32), L))
    if outside.any():
        rep = lambda a: _floats(np.where(outside, np.nan, np.repeat(a, P)))
        til = lambda a: _floats(np.where(outside, np.nan, np.tile(a, L)))
    else:  # a region's value down its row, an industry's down its column: gathered by Arrow (whose memory pool
        # reuses its buffers, where fresh NumPy copies would fault in new pages on every call)
        rep = lambda a: pc.take(_floats(a), ridx)
        til = lambda a: pc.take(_floats(a), cidx)
    mcp = cx.mcp.ravel()
    mcp_nan = np.isnan(mcp)
    mcp_int = np.where(mcp_nan, 0, mcp).astype(np.int64) if mcp_nan.any() else mcp.astype(np.int64)
    take = lambda a, idx: pc.take(pa.array(a.astype(str).tolist(), pa.string()), idx)
    region, industry = labels if labels is not None else (take(cx.regions, ridx), take(cx.industries, cidx))
    return pa.table(
        {
            "region": region,
            "industry": industry,
            "value": pa.array(cx.value.ravel(), pa.float64()),
            "rca": _floats(cx.rca.ravel()),
            "mcp": pa.array(mcp_int, mask=mcp_nan if mcp_nan.any() else None),
            "density": _floats(cx.density.ravel()),
            "eci": rep(cx.eci),
            "pci": til(cx.pci),
            "coi": rep(cx.coi),
            "cog": _floats(cx.cog.ravel()),
            "diversity": rep(cx.diversity),
            "ubiquity": til(cx.ubiquity),
        }
    )


def complexity_long(regions, industries, values, *, threshold: float = 1.0, phi=None) -> pa.Table:
    """Every measure of every cell (cells_table) from a long table: region, industry, value (repeated cells
    summed). When the input is the grid itself in cells_table's order (region-major, each region listing every
    industry in sorted order — what ecomplexity is given, and what a pivoted matrix gives) the matrix is the
    values reshaped and the output's label columns are the input's."""
    grid = _as_grid(regions, industries)
    if grid is not None:
        rl, il, labels = grid
        x = np.asarray(values, float).reshape(len(rl), len(il))
    else:
        r_idx, rl = _factorize_sorted(regions)
        i_idx, il = _factorize_sorted(industries)
        x, labels = _dense(r_idx, i_idx, values, len(rl), len(il)), None
    return cells_table(complexity(x, rl, il, threshold=threshold, phi=phi), labels)


def _as_grid(regions, industries) -> tuple[np.ndarray, np.ndarray, tuple[pa.Array, pa.Array]] | None:
    """(sorted region labels, sorted industry labels, the two input columns as Arrow) when the long table is the
    grid in cells_table's order: the industries one strictly ascending period of P labels repeated, the regions
    runs of P equal labels, the runs' labels strictly ascending (so every cell comes once). None otherwise. Checked
    on the text in place, without numbering every row (the general path's cost)."""
    r, i = _labels_as_arrow(regions), _labels_as_arrow(industries)
    if r is None or i is None or len(r) != len(i) or len(r) == 0:
        return None
    n = len(i)
    P = _period(i)
    if n % P or (P < n and not i.slice(P).equals(i.slice(0, n - P))):
        return None
    il = i.slice(0, P).to_pylist()
    heads = r.take(pa.array(np.arange(0, n, P))).to_pylist()
    if not (_strictly_ascending(il) and _strictly_ascending(heads)):
        return None
    # a region's label changes exactly at the start of each run of P rows, and nowhere else
    change = np.flatnonzero(pc.not_equal(r.slice(1), r.slice(0, n - 1)).to_numpy(zero_copy_only=False))
    if len(change) != len(heads) - 1 or (change + 1 != np.arange(P, n, P)).any():
        return None
    return np.asarray(heads, dtype=object), np.asarray(il, dtype=object), (r, i)


def _period(a: pa.Array) -> int:
    """Where the first label comes again (searched in windows of growing size, as a grid's period is usually
    short): the length of the repeating period if there is one, else the length of the column."""
    n, start, width = len(a), 1, 1024
    while start < n:
        window = a.slice(start, min(width, n - start))
        again = np.flatnonzero(pc.equal(window, a[0]).to_numpy(zero_copy_only=False))
        if len(again):
            return start + int(again[0])
        start, width = start + len(window), width * 8
    return n


def _strictly_ascending(labels: list[str]) -> bool:
    return all(a < b for a, b in zip(labels, labels[1:]))


def _labels_as_arrow(a) -> pa.Array | None:
    try:
        arr = pa.array(a)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    if arr.null_count or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    return arr.cast(pa.string())


class MatrixError(AnalyticsError):
    """A matrix CSV the user brought that cannot be read (message names the row and column)."""


def read_matrix_csv(path: str | Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A CSV with columns region, industry, value (header row; other columns ignored) → three arrays.
    Row numbers in messages are the file's line numbers (the header is line 1)."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise MatrixError(f"no matrix file at {path}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=True, index_col=False
            )
    except (pd.errors.ParserWarning, pd.errors.ParserError) as e:
        raise MatrixError(f"{path.name}: {_ragged_row(path) or 'cannot parse as CSV: ' + str(e).strip()}") from None
    except UnicodeDecodeError:
        raise MatrixError(f"{path.name}: not UTF-8 text (save the CSV as UTF-8)") from None
    except pd.errors.EmptyDataError:
        raise MatrixError(f"{path.name}: the file is empty (want a header row: region,industry,value)") from None
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in ("region", "industry", "value") if c not in df.columns]
    if missing:
        raise MatrixError(
            f"{path.name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(header has {', '.join(df.columns) or 'nothing'}; want region,industry,value)"
        )
    if df.empty:
        raise MatrixError(f"{path.name}: no rows under the header")
    for col in ("region", "industry"):
        s = df[col].str.strip()
        bad = np.flatnonzero((s == "").to_numpy())
        if len(bad):
            raise MatrixError(f"{path.name}: row {bad[0] + 2}, column {col}: empty")
        df[col] = s
    raw = df["value"].str.strip()
    val = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(val))
    if len(bad):
        i = bad[0]
        raise MatrixError(f"{path.name}: row {i + 2}, column value: {raw.iloc[i]!r} is not a number")
    neg = np.flatnonzero(val < 0)
    if len(neg):
        raise MatrixError(f"{path.name}: row {neg[0] + 2}, column value: {raw.iloc[neg[0]]} is negative")
    dup = df.duplicated(["region", "industry"], keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        first = df.iloc[rows[0]]
        same = rows[
            (df["region"].iloc[rows] == first["region"]).to_numpy()
            & (df["industry"].iloc[rows] == first["industry"]).to_numpy()
        ]
        raise MatrixError(
            f"{path.name}: rows {same[0] + 2} and {same[1] + 2} both give region "
            f"{first['region']!r}, industry {first['industry']!r}"
        )
    if not (val > 0).any():
        raise MatrixError(f"{path.name}: every value is 0")
    return df["region"].to_numpy(dtype=object).astype(str), df["industry"].to_numpy(dtype=object).astype(str), val


def _ragged_row(path: Path) -> str | None:
    """The first line with more fields than the header (for the error message)."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            for line, row in enumerate(reader, start=2):
                if len(row) > len(header):
                    return f"row {line} has {len(row)} fields, the header has {len(header)}"
    except (csv.Error, UnicodeDecodeError):
        return None
    return None
