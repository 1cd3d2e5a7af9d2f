"""Growth opportunities: RCA, M, diversity/ubiquity, ECI/PCI, proximity, density, COI/COG — by hand on
small matrices, and equal to the Harvard Growth Lab's `ecomplexity` 0.5.3 on random matrices — then
the ranked recommendations, the --matrix CSV contract and the command line.

The hand-computed example is the nested 3 × 3 matrix
        p0 p1 p2
    c0   1  1  1        diversity 3, 2, 1; ubiquity 3, 2, 1
    c1   1  1  0        M̃ has eigenvalues 1, 1/4, 1/9; for λ = 1/4 the eigenvector is PCI* ∝ (−2, 1, 4),
    c2   1  0  0        ECI* = (1, −1/2, −2); mean −1/2, standard deviation √1.5.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import assert_same_rows
from zhizao.analytics import AnalyticsError, Context
from zhizao.analytics import complexity as cx
from zhizao.analytics.complexity import maths as cxm
from zhizao.analytics.complexity import matrix as cxl
from zhizao.analytics.complexity import policy as cxp
from zhizao.cli import app

NESTED = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]], dtype=float)
S15 = math.sqrt(1.5)


# ------------------------------------------------------------------------------------------ by hand
def test_rca_and_presence_on_a_two_by_two():
    x = np.array([[1.0, 3.0], [3.0, 1.0]])
    r = cxm.rca(x)  # (x_cp/x_c)/(x_p/x): (1/4)/(4/8) = 0.5, (3/4)/(1/2) = 1.5
    np.testing.assert_allclose(r, [[0.5, 1.5], [1.5, 0.5]])
    np.testing.assert_array_equal(cxm.presence(r), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(cxm.presence(np.array([[1.0, 0.999999]])), [[1, 0]])  # RCA ≥ 1, not > 1


def test_diversity_ubiquity_eci_pci_on_the_nested_matrix():
    c = cxm.complexity(NESTED, manual=True)
    np.testing.assert_array_equal(c.diversity, [3, 2, 1])
    np.testing.assert_array_equal(c.ubiquity, [3, 2, 1])
    assert c.eigenvalue == pytest.approx(0.25)
    # ECI = (ECI* − mean)/sd; PCI uses ECI's mean and sd; the most diverse region ranks first
    np.testing.assert_allclose(c.eci, [1.5 / S15, 0.0, -1.5 / S15], atol=1e-12)
    np.testing.assert_allclose(c.pci, [-1.5 / S15, 1.5 / S15, 4.5 / S15], atol=1e-12)
    # … so a region's ECI is the mean PCI of its industries
    np.testing.assert_allclose(c.eci, (NESTED @ c.pci) / NESTED.sum(axis=1), atol=1e-12)


def test_eci_sign_follows_diversity_whichever_way_the_matrix_is_ordered():
    flipped = NESTED[::-1, ::-1]  # least diverse region first
    c = cxm.complexity(flipped, manual=True)
    np.testing.assert_allclose(c.eci, [-1.5 / S15, 0.0, 1.5 / S15], atol=1e-12)
    wide = np.hstack([NESTED, NESTED])  # more industries than regions: the other eigen path
    c2 = cxm.complexity(wide, manual=True)
    assert c2.eci[0] > c2.eci[1] > c2.eci[2]


def test_proximity_and_density_by_hand():
    c = cxm.complexity(NESTED, manual=True)
    # φ = co-occurrence / max(ubiquity): φ01 = 2/3, φ02 = 1/3, φ12 = 1/2
    np.testing.assert_allclose(c.proximity, [[1, 2 / 3, 1 / 3], [2 / 3, 1, 1 / 2], [1 / 3, 1 / 2, 1]])
    # ω_cp = Σ_k M_ck φ_pk / Σ_k φ_pk, row sums of φ: 2, 13/6, 11/6
    np.testing.assert_allclose(c.density, [[1, 1, 1], [5 / 6, 10 / 13, 5 / 11], [1 / 2, 4 / 13, 2 / 11]])


def test_coi_and_cog_by_hand():
    c = cxm.complexity(NESTED, manual=True)
    # COI* = Σ_p ω_cp (1 − M_cp) PCI*_p with PCI* = (−2, 1, 4): 0, 5/11·4, 4/13·1 + 2/11·4
    raw = np.array([0, 20 / 11, 148 / 143])
    np.testing.assert_allclose(c.coi, (raw - raw.mean()) / raw.std())
    # COG*_cp = (1 − M_cp) Σ_k (1 − M_ck) φ_kp PCI*_k / Σ φ_k·, divided by sd(ECI*) = √1.5
    np.testing.assert_allclose(c.cog, np.array([[0, 0, 0], [0, 0, 24 / 11], [0, 222 / 143, 345 / 143]]) / S15)


def test_all_zero_rows_and_columns_are_left_out():
    x = np.array([[2.0, 1.0, 0.0, 4.0], [0.0, 0.0, 0.0, 0.0], [1.0, 3.0, 0.0, 1.0], [1.0, 1.0, 0.0, 5.0]])
    c = cxm.complexity(x)
    assert np.isnan(c.eci[1]) and np.isnan(c.pci[2]) and np.isnan(c.rca[1]).all() and np.isnan(c.rca[:, 2]).all()
    kept = cxm.complexity(x[[0, 2, 3]][:, [0, 1, 3]])
    np.testing.assert_allclose(c.eci[[0, 2, 3]], kept.eci)
    np.testing.assert_allclose(c.cog[np.ix_([0, 2, 3], [0, 1, 3])], kept.cog)


def test_too_small_a_matrix_has_no_eci():
    c = cxm.complexity(np.array([[1.0, 2.0]]))
    assert np.isnan(c.eci).all() and np.isnan(c.pci).all() and np.isnan(c.cog).all()


# ------------------------------------------------------------------------------------------ ecomplexity
def ecomplexity_of(df: pd.DataFrame, **kw) -> pd.DataFrame:
    """Run the oracle quietly (it prints years and warns even with verbose=False)."""
    from ecomplexity import ecomplexity

    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ecomplexity(
            df,
            {"time": "year", "loc": "loc", "prod": "prod", "val": "val"},
            check_logsupermodularity=False,
            verbose=False,
            **kw,
        )


def random_long(seed: int, L: int, P: int, zeros: float = 0.3) -> pd.DataFrame:
    """Capabilities-style random matrix: values ~ lognormal × (region capability ≥ industry need), plus
    noise cells and a share of zeros; sometimes a whole zero region or industry."""
    rng = np.random.default_rng(seed)
    cap, need = rng.random(L), rng.random(P)
    base = np.where(cap[:, None] + 0.3 >= need[None, :], 1.0, 0.15)
    x = base * rng.lognormal(2.0, 1.5, (L, P)) * (rng.random((L, P)) > zeros)
    if seed % 3 == 0:
        x[rng.integers(L)] = 0.0
        x[:, rng.integers(P)] = 0.0
    return pd.DataFrame(
        {
            "year": 2024,
            "loc": np.repeat([f"r{i:03d}" for i in range(L)], P),
            "prod": np.tile([f"p{j:04d}" for j in range(P)], L),
            "val": x.ravel(),
        }
    )


COLUMNS = ("rca", "mcp", "diversity", "ubiquity", "eci", "pci", "density", "coi", "cog")


def assert_equal_to_ecomplexity(ours: pd.DataFrame, theirs: pd.DataFrame, tol: float = 1e-9) -> None:
    m = theirs.merge(
        ours,
        left_on=["loc", "prod"],
        right_on=["region", "industry"],
        suffixes=("_e", "_z"),
        how="outer",
        indicator=True,
    )
    assert (m["_merge"] == "both").all() and len(m) == len(theirs)
    for col in COLUMNS:
        a, b = m[f"{col}_e"].astype(float).to_numpy(), m[f"{col}_z"].astype(float).to_numpy()
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=col)
        ok = ~np.isnan(a)
        assert ok.any(), col
        np.testing.assert_allclose(b[ok], a[ok], rtol=tol, atol=tol, err_msg=col)


@pytest.mark.parametrize(
    "seed, L, P",
    [(1, 12, 30), (2, 40, 25), (3, 30, 80), (4, 7, 9), (5, 60, 120), (6, 25, 25), (7, 90, 40), (9, 15, 200)],
)
def test_equal_to_ecomplexity_on_random_matrices(seed, L, P):
    df = random_long(seed, L, P)
    ours = cxl.complexity_long(df["loc"], df["prod"], df["val"]).to_pandas()
    assert_equal_to_ecomplexity(ours, ecomplexity_of(df))


def test_equal_to_ecomplexity_where_the_eigenvector_comes_from_lanczos_iteration():
    """Above DENSE_EIGEN_BELOW regions (and industries) ECI/PCI come from ARPACK's Lanczos iteration on
    the deflated matrix instead of a dense eigen-decomposition: still ecomplexity's numbers, on both sides
    of the matrix, with empty rows and columns, the same on every run."""
    L = cxm.DENSE_EIGEN_BELOW + 30
    for seed, shape in ((21, (L, L + 70)), (24, (L + 60, L))):
        df = random_long(seed, *shape)
        ours = cxl.complexity_long(df["loc"], df["prod"], df["val"]).to_pandas()
        assert_equal_to_ecomplexity(ours, ecomplexity_of(df))
        again = cxl.complexity_long(df["loc"], df["prod"], df["val"]).to_pandas()
        pd.testing.assert_frame_equal(ours, again)


@pytest.mark.parametrize(
    "labels",
    [
        ["b", "a", "c", "a"] * 100,  # no order
        [f"r{i // 7:03d}" for i in range(700)],  # runs (a region-major long table's regions)
        [f"p{i % 70:03d}" for i in range(700)],  # one period repeated (its industries)
        [f"p{i % 70:03d}" for i in range(699)],  # a period cut short
        [f"p{i % 70:03d}" for i in range(630)] + ["p000"] * 70,  # a period, then something else
        ["x"] * 300 + ["w"] * 300 + ["x"] * 300,  # a run coming back
        ["区" + str(i % 3) for i in range(1000)],
    ],
)
def test_labels_are_numbered_as_pandas_numbers_them(labels):
    want_codes, want_uniq = pd.factorize(np.array(labels, dtype=object), sort=True)
    for given in (labels, np.array(labels), pd.Series(labels, dtype="str")):
        codes, uniq = cxl._factorize_sorted(given)
        assert uniq.tolist() == list(want_uniq) and codes.tolist() == want_codes.tolist()


def _near_grids(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The grid given otherwise: rows shuffled; a 0 cell left out; a cell given twice (its value split in two);
    the industries of one region in another order; two regions swapped; a region renamed out of sorted order."""
    rng = np.random.default_rng(5)
    quarter = df.iloc[[7]].assign(val=df["val"].iloc[7] / 4)
    rest = df.iloc[[7]].assign(val=df["val"].iloc[7] * 3 / 4)
    split = pd.concat([df.iloc[:7], quarter, rest, df.iloc[8:]])
    P = df["prod"].nunique()
    one = df.copy()
    one.iloc[P : 2 * P] = one.iloc[P : 2 * P].iloc[::-1].to_numpy()
    swapped = pd.concat([df.iloc[P : 2 * P], df.iloc[:P], df.iloc[2 * P :]])
    renamed = df.assign(loc=df["loc"].map(lambda c: {"r000": "r999"}.get(c, c)))
    return {
        "shuffled": df.sample(frac=1, random_state=rng.integers(1 << 30)),
        "a cell missing (a 0)": df.drop(index=df.index[np.flatnonzero(df["val"].to_numpy() == 0)[0]]),
        "a cell given twice": split,
        "one region's industries reversed": one,
        "two regions swapped": swapped,
        "regions not in sorted order": renamed,
    }


def test_the_grid_given_in_any_order_or_shape_gives_the_same_cells():
    """complexity_long takes the input's own label columns and reshapes the values when the long table is the sorted
    grid itself; any other shape of the same figures goes through numbering and summing, and every cell's measures
    come out the same (a cell missing counts as 0)."""
    df = random_long(31, 40, 60)
    want = cxl.complexity_long(df["loc"], df["prod"], df["val"]).to_pandas().set_index(["region", "industry"])
    for name, given in _near_grids(df).items():
        got = cxl.complexity_long(given["loc"], given["prod"], given["val"]).to_pandas()
        assert len(got) == len(want), name
        got = got.set_index(["region", "industry"])
        if name == "regions not in sorted order":
            got = got.rename(index={"r999": "r000"}).sort_index()
            np.testing.assert_allclose(got["value"], want.sort_index()["value"], err_msg=name)
            continue
        got = got.loc[want.index]
        for col in ("value", *COLUMNS):
            np.testing.assert_allclose(got[col], want[col], rtol=1e-12, atol=1e-12, err_msg=f"{name}: {col}")
    assert cxl._as_grid(df["loc"], df["prod"]) is not None
    relabelled = df.copy()  # one row of the first region's run given to the second: not the grid any more
    relabelled.iloc[5, relabelled.columns.get_loc("loc")] = "r001"
    for name, given in {**_near_grids(df), "a row relabelled inside a run": relabelled}.items():
        assert cxl._as_grid(given["loc"], given["prod"]) is None, name


@pytest.mark.parametrize("period, repeats", [(1, 5), (7, 3), (1024, 2), (1025, 2), (9000, 3), (300, 1)])
def test_a_grids_period_is_where_its_first_label_comes_again(period, repeats):
    import pyarrow as pa

    labels = pa.array([f"p{j:05d}" for j in range(period)] * repeats)
    assert cxl._period(labels) == (period if repeats > 1 else len(labels))


@pytest.mark.parametrize("threshold", [0.8, 1.3])
def test_equal_to_ecomplexity_with_another_rca_threshold(threshold):
    df = random_long(11, 30, 50, zeros=0.1)
    ours = cxl.complexity_long(df["loc"], df["prod"], df["val"], threshold=threshold).to_pandas()
    assert_equal_to_ecomplexity(ours, ecomplexity_of(df, rca_mcp_threshold=threshold))


def test_equal_to_ecomplexity_with_a_given_binary_matrix():
    df = random_long(12, 20, 35)
    df["val"] = (df["val"] > df["val"].median()).astype(float)
    rl, il, x = cxl.long_to_matrix(df["loc"], df["prod"], df["val"])
    ours = cxl.cells_table(cxm.complexity(x, rl, il, manual=True)).to_pandas()
    assert_equal_to_ecomplexity(ours, ecomplexity_of(df, presence_test="manual"))


def test_proximity_equal_to_ecomplexity():
    from ecomplexity import proximity

    df = random_long(13, 30, 45)
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = proximity(df, {"time": "year", "loc": "loc", "prod": "prod", "val": "val"})
    rl, il, x = cxl.long_to_matrix(df["loc"], df["prod"], df["val"])
    phi = cxm.complexity(x, rl, il).proximity
    want = theirs.pivot(index="prod_1", columns="prod_2", values="proximity").reindex(index=il, columns=il).to_numpy()
    np.testing.assert_allclose(phi, want, rtol=1e-12, atol=1e-12)


def test_reference_proximity_equal_to_ecomplexity_with_a_proximity_edgelist():
    """Proximity from a larger reference matrix (here 80 regions, some industries the city lacks and
    some the reference lacks), used for a 12-district city."""
    from ecomplexity import proximity

    ref = random_long(14, 80, 60)
    city = random_long(15, 12, 70)
    city = city[city["prod"] >= "p0005"]  # the city lacks p0000–p0004
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        edges = proximity(ref, {"time": "year", "loc": "loc", "prod": "prod", "val": "val"})
    edges = edges.rename(columns={"prod_1": "prod1", "prod_2": "prod2"})[["prod1", "prod2", "proximity"]]
    theirs = ecomplexity_of(city, proximity_edgelist=edges)
    rl, il, x = cxl.long_to_matrix(city["loc"], city["prod"], city["val"])
    phi = cxl.reference_proximity(ref["loc"], ref["prod"], ref["val"], il)
    assert phi[il.tolist().index("p0065"), il.tolist().index("p0066")] == 0.0  # not in the reference
    ours = cxl.cells_table(cxm.complexity(x, rl, il, phi=phi)).to_pandas()
    assert_equal_to_ecomplexity(ours, theirs)


def test_known_difference_from_ecomplexity_a_region_without_specialisation():
    """With a threshold no cell of one region reaches, ecomplexity gives NaN ECI for every region;
    we give it for the others (documented in the module)."""
    df = random_long(16, 10, 20, zeros=0.0)
    totals = df[df["loc"] != "r000"].groupby("prod")["val"].sum()
    df.loc[df["loc"] == "r000", "val"] = 0.01 * totals.reindex(df.loc[df["loc"] == "r000", "prod"]).to_numpy()
    # r000 is the city in miniature: RCA = 1 < 1.3 in every industry
    ours = cxl.complexity_long(df["loc"], df["prod"], df["val"], threshold=1.3).to_pandas()
    theirs = ecomplexity_of(df, rca_mcp_threshold=1.3)
    assert theirs["eci"].isna().all()
    assert ours.loc[ours.region == "r000", "eci"].isna().all()
    assert ours.loc[ours.region != "r000", "eci"].notna().all()


# ------------------------------------------------------------------------------------------ recommendations
def test_quadrants():
    value = np.array([[5.0, 5.0, 5.0, 5.0, 0.0], [5.0, 5.0, 5.0, 5.0, 1.0]])
    rca = np.array([[1.5, 1.5, 0.5, 0.5, 0.0], [0.5, 0.5, 1.5, 1.5, 2.0]])
    dens = np.array([[0.6, 0.2, 0.6, 0.2, 0.9], [0.4, 0.4, 0.4, 0.4, 0.1]])  # fit vs column mean 0.5 / 0.3 / 0.5
    q = cxp.quadrants(value, rca, dens)
    assert q[0].tolist() == ["strength", "threat", "opportunity", "weakness", "possible entrant"]
    assert q[1].tolist() == ["weakness", "opportunity", "threat", "strength", "threat"]


def test_scores_are_the_profile_weights_on_min_max_normalised_measures():
    dens = np.array([[0.2, 0.4, 0.6]])
    pci = np.array([[0.0, 1.0, 2.0]])
    cog = np.array([[1.0, 1.0, 3.0]])
    tier = np.array([[1.0, 0.25, 0.0]])
    target = np.array([[0.0, 0.5, 1.0]])
    cand = np.array([[True, True, False]])  # the third is held: not a candidate
    w = cxp.PROFILES["balanced"]
    s = cxp.scores(dens, pci, cog, tier, target, cand, w)
    # over the candidates: n(density) = 0, 1; n(pci) = 0, 1; n(cog) = 0, 0 (max = min)
    assert s["feasibility"][0, :2].tolist() == [0.0, 1.0]
    assert s["score"][0, 0] == pytest.approx(w["tier"] * 1.0)
    assert s["score"][0, 1] == pytest.approx(w["density"] + w["pci"] + w["tier"] * 0.25 + w["target"] * 0.5)
    assert np.isnan(s["score"][0, 2])
    for name, p in cxp.PROFILES.items():
        assert sum(p[k] for k in cxp.WEIGHTS) == pytest.approx(1.0), name


def test_related_held_industries_are_the_closest_held_by_proximity():
    c = cxm.complexity(NESTED, manual=True)
    idx, val = cxp.related_held(c.mcp, c.proximity, k=2)
    # region c1 holds p0, p1: for candidate p2 the closest held is p1 (φ 1/2), then p0 (1/3)
    assert idx[1, 2].tolist() == [1, 0]
    np.testing.assert_allclose(val[1, 2], [1 / 2, 1 / 3])
    # region c2 holds only p0: one reason, the other slot empty
    assert idx[2, 1].tolist() == [0, -1]
    names = {"p0": "零", "p1": "一", "p2": "二"}
    reasons = cxp.reasons(idx, val, np.array(["p0", "p1", "p2"]), names)
    assert reasons[1, 2] == "related held: p1 一 (φ 0.50); p0 零 (φ 0.33)"
    zh = cxp.reasons(idx, val, np.array(["p0", "p1", "p2"]), names, "zh")
    assert zh[1, 2] == "相关的已有优势行业：p1 一 (φ 0.50)；p0 零 (φ 0.33)"
    none = np.full((1, 1, 2), -1)
    assert (
        cxp.reasons(none, np.full((1, 1, 2), np.nan), np.array(["p0"]), names, "zh")[0, 0]
        == "没有相关的已有优势行业（φ = 0）"
    )


def test_unknown_profile():
    with pytest.raises(AnalyticsError, match="unknown profile 'greedy'"):
        cxp.profile("greedy")


@pytest.fixture(scope="module")
def demo_2023(demo):
    ctx = Context.open(demo[0], 2023)
    yield ctx, cx.evaluate(ctx)
    ctx.close()


def test_evaluate_on_the_demo(demo_2023, demo_con):
    ctx, out = demo_2023
    assert set(out) == {"complexity", "complexity_region", "complexity_industry", "recommendation"}
    cells, rec = out["complexity"].to_pandas(), out["recommendation"].to_pandas()
    assert set(cells["quadrant"]) <= set(cxp.QUADRANTS)
    # candidates are exactly the cells not specialised in: RCA_cp = (x_cp / x_c) / (x_p / x) < 1, written out in
    # plain SQL over the warehouse on today's map (region_current), not read from the code under test
    rca = demo_con.execute(
        """
        WITH x AS (SELECT m.current_code AS c, e.industry_code AS p, sum(coalesce(y.output_value, 0)) AS x
                   FROM enterprise_year y JOIN enterprise e USING (uscc) JOIN region_current m ON m.code = e.region_code
                   WHERE y.year = 2023 GROUP BY ALL),
             xc AS (SELECT c, sum(x) AS xc FROM x GROUP BY c),
             xp AS (SELECT p, sum(x) AS xp FROM x GROUP BY p),
             tot AS (SELECT sum(x) AS t FROM x)
        SELECT xc.c, xp.p, coalesce(x.x, 0) / xc.xc / (xp.xp / tot.t)
        FROM xc CROSS JOIN xp CROSS JOIN tot LEFT JOIN x ON x.c = xc.c AND x.p = xp.p
        WHERE xc.xc > 0 AND xp.xp > 0"""
    ).fetchall()
    below = {(c, p) for c, p, v in rca if v < 1}
    assert len(below) > 100 and len(below) < len(rca)
    ind = rec[rec.kind == "industry"]
    assert set(ind[["region_code", "code"]].apply(tuple, axis=1)) == below
    held = cells[cells.mcp == 1][["region_code", "industry_code"]].apply(tuple, axis=1)
    assert set(held) == {(c, p) for c, p, v in rca if v >= 1}
    assert set(ind.quadrant) <= {"opportunity", "weakness", "possible entrant"}
    # ranked 1.. per region and kind
    for _, g in rec.groupby(["region_code", "kind"]):
        assert g["rank"].tolist() == list(range(1, len(g) + 1))
        assert (np.diff(g["score"].to_numpy()) <= 1e-12).all()
    assert ind.reason.str.startswith("related held: ").mean() > 0.9
    assert ind.reason_zh.str.startswith("相关的已有优势行业：").mean() > 0.9
    assert (ind.reason.str.count("φ") == ind.reason_zh.str.count("φ")).all()  # the same industries named
    city = {c.id for s in ctx.pack.systems.values() if s.region == ctx.pack.info.root_region for c in s.clusters}
    assert set(rec[rec.kind == "cluster"].code) <= city and len(city) > 10


def test_recommendations_carry_the_tier_and_the_targets(demo_2023):
    """Every candidate's tier and target scores are those of its cluster (industries: the best of the
    clusters containing them, 0 outside every cluster)."""
    ctx, out = demo_2023
    rec = out["recommendation"].to_pandas()
    regions = np.array(sorted(set(rec.region_code)))
    inds = np.array(sorted(set(out["complexity"].column("industry_code").to_pylist())))
    ids, S, tier, target, _ = cxp.policy_arrays(ctx, inds, regions, "scale")
    r, k, p = ({c: i for i, c in enumerate(a.tolist())} for a in (regions, ids, inds))
    cl = rec[rec.kind == "cluster"]
    assert len(cl) > 50
    np.testing.assert_array_equal(cl.tier_score, tier[[k[c] for c in cl.code]])
    np.testing.assert_array_equal(cl.target_score, target[[r[x] for x in cl.region_code], [k[c] for c in cl.code]])
    ind = rec[rec.kind == "industry"]
    member = S[:, [p[c] for c in ind.code]] > 0  # K × rows
    want_tier = np.where(member, tier[:, None], 0).max(axis=0)
    want_target = np.where(member, target[[r[x] for x in ind.region_code]].T, 0).max(axis=0)
    np.testing.assert_array_equal(ind.tier_score, want_tier)
    np.testing.assert_array_equal(ind.target_score, want_target)
    assert (ind.target_score == 1.0).any() and (ind.tier_score == 0).any()


def test_policy_arrays_from_the_pack(demo_2023):
    ctx, _ = demo_2023
    regions = np.array(["500106", "500110", "500117"])
    ids, S, tier, target, names = cxp.policy_arrays(ctx, np.array(["C3670", "C3973", "C3974"]), regions, "scale")
    k = {c: i for i, c in enumerate(ids.tolist())}
    assert S[k["T1-1"]].tolist() == [1.0, 0.0, 0.0] and S[k["T3-1"]].tolist() == [0.0, 0.0, 1.0]
    assert tier[k["T1-1"]] == 1.0 and tier[k["T3-1"]] == 0.5 and tier[k["T4-1"]] == 0.25
    assert target[0, k["T1-1"]] == 1.0  # 沙坪坝区's own 千亿 NEV target
    assert target[1, k["T1-3"]] == 0.5  # the city's materials target
    assert target[2, k["T1-2"]] == 0.5  # 合川区 is in 渝西, which has a T1-2 target
    assert target[1, k["T3-2"]] == 0.0
    _, _, frontier, _, _ = cxp.policy_arrays(ctx, np.array(["C3670"]), regions, "frontier")
    assert frontier[k["T4-1"]] == 1.0 and frontier[k["T1-1"]] == 0.25


def test_another_profile_reorders_the_list(demo):
    ctx = Context.open(demo[0], 2023, profile="frontier")
    try:
        out = cx.evaluate(ctx)
    finally:
        ctx.close()
    rec = out["recommendation"].to_pandas()
    assert set(rec.profile) == {"frontier"}
    top_clusters = rec[(rec.kind == "cluster") & (rec["rank"] <= 3)]
    assert (top_clusters.tier_score == 1.0).mean() > 0.3  # the 新星 tier scores 1 under 'frontier'


def test_reference_matrix_option(demo, tmp_path, demo_2023):
    """A reference matrix replaces the districts' own proximity: here, the demo's own matrix doubled
    (the same proximity, so the same densities) and then a different one."""
    ctx0, out0 = demo_2023
    cells = out0["complexity"].to_pandas()
    ref = pd.concat([cells.assign(region=cells.region_code), cells.assign(region=cells.region_code + "x")])
    ref[["region", "industry_code", "value"]].rename(columns={"industry_code": "industry"}).to_csv(
        tmp_path / "ref.csv", index=False
    )
    ctx = Context.open(demo[0], 2023, reference=str(tmp_path / "ref.csv"))
    try:
        same = cx.evaluate(ctx)["complexity"]
    finally:
        ctx.close()
    np.testing.assert_allclose(same.column("density").to_numpy(), out0["complexity"].column("density").to_numpy())
    other = random_long(21, 50, 40)
    other["prod"] = np.resize(sorted(set(cells.industry_code)), len(other))
    other.rename(columns={"loc": "region", "prod": "industry", "val": "value"}).to_csv(
        tmp_path / "other.csv", index=False
    )
    ctx = Context.open(demo[0], 2023, reference=str(tmp_path / "other.csv"))
    try:
        diff = cx.evaluate(ctx)["complexity"]
    finally:
        ctx.close()
    assert not np.allclose(diff.column("density").to_numpy(), out0["complexity"].column("density").to_numpy())
    np.testing.assert_allclose(diff.column("eci").to_numpy(), out0["complexity"].column("eci").to_numpy())


@pytest.mark.slow
def test_duckdb_and_spark_build_the_same_matrix(duckdb_ctx, spark_ctx):
    from zhizao.analytics.specialisation import region_industry

    a = duckdb_ctx.to_arrow(region_industry(duckdb_ctx, 2023))
    b = spark_ctx.to_arrow(region_industry(spark_ctx, 2023))
    assert a.num_rows > 500
    assert_same_rows(a, b, keys=["region_code", "industry_code"])


# ------------------------------------------------------------------------------------------ --matrix CSV
def write_csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_matrix_command_equals_ecomplexity(tmp_path):
    df = random_long(31, 9, 14)
    df.rename(columns={"loc": "region", "prod": "industry", "val": "value"})[["region", "industry", "value"]].to_csv(
        tmp_path / "m.csv", index=False
    )
    r = CliRunner().invoke(app, ["opportunities", "--matrix", str(tmp_path / "m.csv"), "--json"])
    assert r.exit_code == 0, r.output
    rows = pd.DataFrame(json.loads(r.stdout))
    assert {"region", "industry", "rca", "mcp", "density", "eci", "pci", "coi", "cog"} <= set(rows.columns)
    assert len(rows) == 9 * 14
    assert_equal_to_ecomplexity(rows.astype({c: float for c in COLUMNS}), ecomplexity_of(df), tol=1e-9)
    r = CliRunner().invoke(app, ["opportunities", "--matrix", str(tmp_path / "m.csv")])
    assert r.exit_code == 0 and "rca" in r.stdout


@pytest.mark.parametrize(
    "text, message",
    [
        ("region,industry,value\nA,x,1\nA,y,abc\n", "row 3, column value: 'abc' is not a number"),
        ("region,sector,value\nA,x,1\n", "missing column industry"),
        ("region,industry,value\nA,x,1\n,y,2\n", "row 3, column region: empty"),
        ("region,industry,value\nA,x,1\nB,x,2\nA,x,3\n", "rows 2 and 4 both give region 'A', industry 'x'"),
        ("region,industry,value\nA,x,-1\n", "row 2, column value: -1 is negative"),
        ("region,industry,value\nA,x,0\n", "every value is 0"),
        ("region,industry,value\n", "no rows under the header"),
        ("", "the file is empty"),
        ("region,industry,value\nA,x,1\nA,y,1,9\n", "row 3 has 4 fields, the header has 3"),
        ("region,industry,value\nA,x,1\nA,y\n", "row 3, column value: '' is not a number"),
    ],
)
def test_matrix_command_names_the_bad_row_and_column(tmp_path, text, message):
    f = write_csv(tmp_path / "bad.csv", text)
    r = CliRunner().invoke(app, ["opportunities", "--matrix", str(f)])
    assert r.exit_code == 2, r.output
    assert message in " ".join(r.output.split()) and "Traceback" not in r.output


def test_matrix_command_reads_excel_csv_with_a_bom_and_spaces(tmp_path):
    f = tmp_path / "bom.csv"
    f.write_bytes("\ufeffRegion, Industry, Value\nA, x, 3\nA, y, 1\nB, x, 1\nB, y, 3\n".encode("utf-8"))
    r = CliRunner().invoke(app, ["opportunities", "--matrix", str(f), "--json"])
    assert r.exit_code == 0, r.output
    rows = {(x["region"], x["industry"]): x for x in json.loads(r.stdout)}
    assert rows[("A", "x")]["rca"] == pytest.approx(1.5) and rows[("A", "y")]["mcp"] == 0


def test_matrix_command_with_a_reference(tmp_path):
    city = write_csv(tmp_path / "city.csv", "region,industry,value\nA,x,3\nA,y,1\nB,x,1\nB,y,3\nA,z,1\nB,z,1\n")
    ref = write_csv(tmp_path / "ref.csv", "region,industry,value\nR1,x,5\nR1,y,5\nR2,z,9\nR2,x,1\nR3,y,1\n")
    a = json.loads(CliRunner().invoke(app, ["opportunities", "--matrix", str(city), "--json"]).stdout)
    b = json.loads(
        CliRunner().invoke(app, ["opportunities", "--matrix", str(city), "--reference", str(ref), "--json"]).stdout
    )
    assert [r["rca"] for r in a] == [r["rca"] for r in b]
    assert [r["density"] for r in a] != [r["density"] for r in b]


# ------------------------------------------------------------------------------------------ CLI on a warehouse
def test_opportunities_command_for_one_region(demo):
    r = CliRunner().invoke(
        app, ["opportunities", "--db", str(demo[0]), "--year", "2023", "--region", "沙坪坝区", "--top", "5", "--json"]
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {x["region_code"] for x in rows} == {"500106"}
    assert sorted(x["rank"] for x in rows if x["kind"] == "industry") == [1, 2, 3, 4, 5]
    assert all(x["reason"] for x in rows)
    r = CliRunner().invoke(
        app,
        [
            "opportunities",
            "--db",
            str(demo[0]),
            "--year",
            "2023",
            "--region",
            "500106",
            "--by",
            "cluster",
            "--profile",
            "long_jumps",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "profile long_jumps" in r.stdout and "ECI" in r.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--year", "1999"], "no figures for 1999"),
        (["--region", "Atlantis"], "unknown region"),
        (["--region", "CQ-LJXQ", "--year", "2023", "--map", "recorded"], "no figures for 两江新区 (CQ-LJXQ) in 2023"),
        (["--profile", "greedy"], "unknown profile 'greedy'"),
        (["--by", "sector"], "unknown candidate kind"),
    ],
)
def test_opportunities_command_bad_input(demo, args, message):
    r = CliRunner().invoke(app, ["opportunities", "--db", str(demo[0]), *args])
    assert r.exit_code == 2, r.output
    assert message in " ".join(r.output.split()) and "Traceback" not in r.output


def test_opportunities_command_on_an_empty_warehouse(empty_warehouse):
    r = CliRunner().invoke(app, ["opportunities", "--db", str(empty_warehouse)])
    assert r.exit_code == 2 and "no enterprise figures" in " ".join(r.output.split())
