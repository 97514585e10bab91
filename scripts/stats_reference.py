#!/usr/bin/env python3
"""Reference values for kru-core's statistics module (core/src/stats.rs), computed with SciPy.

Writes one JSON fixture per data set into core/tests/data/stats/; core/tests/stats_scipy.rs
checks `kru_core::stats` against them. The inputs come from a seeded NumPy generator and the
JSON is written in a fixed layout, so re-running the script rewrites byte-identical files
(for a given NumPy/SciPy).

Inputs are stored exactly: paired scores as integer numerators plus one `denominator` per
file (score = numerator / denominator, computed the same way in Python and Rust), item
matrices as 0/1 integers. Undefined statistics are `null` (the Rust side returns `None`).

Usage:
    python3 scripts/stats_reference.py          # (re)write the fixtures
    python3 scripts/stats_reference.py --check  # recompute in memory; exit 1 if the committed
                                                # fixtures differ beyond CHECK_TOLERANCE
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy
from scipy import special, stats

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "core" / "tests" / "data" / "stats"

# Differences are quantised to this grid before the Wilcoxon test (stats::WILCOXON_GRID).
WILCOXON_GRID = 1e9
# --check: relative (or absolute, below magnitude 1) tolerance between recomputed and
# committed reference values. Inputs and null-ness must match exactly.
CHECK_TOLERANCE = 1e-12
SEED = 20_240_611


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def num(x) -> float | None:
    """A finite Python float, or None for nan/inf."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def is_constant(x: np.ndarray) -> bool:
    return len(x) == 0 or bool(np.all(x == x[0]))


def round_half_away(v: np.ndarray) -> np.ndarray:
    """libm::round: round to nearest, ties away from zero (np.rint rounds ties to even)."""
    t = np.trunc(v)
    return t + np.sign(v) * (np.abs(v - t) >= 0.5)


def moments_ref(x: np.ndarray) -> dict:
    n = len(x)
    return {
        "n": n,
        "mean": num(np.mean(x)) if n >= 1 else None,
        "population_variance": num(np.var(x, ddof=0)) if n >= 1 else None,
        "sample_sd": num(np.std(x, ddof=1)) if n >= 2 else None,
    }


def pearson_ref(x: np.ndarray, y: np.ndarray) -> float | None:
    if len(x) < 2 or is_constant(x) or is_constant(y):
        return None
    return num(stats.pearsonr(x, y).statistic)


# --------------------------------------------------------------------------------------------
# paired data sets
# --------------------------------------------------------------------------------------------


def ttest_ref(pre: np.ndarray, post: np.ndarray) -> dict | None:
    d = post - pre
    if len(d) < 2 or is_constant(d):
        return None
    res = stats.ttest_rel(post, pre)
    return {"t": num(res.statistic), "df": num(res.df), "p_value": num(res.pvalue)}


def cohens_dz_ref(pre: np.ndarray, post: np.ndarray) -> dict | None:
    d = post - pre
    n = len(d)
    if n < 2 or is_constant(d):
        return None
    dz = np.mean(d) / np.std(d, ddof=1)
    se = math.sqrt(1.0 / n + dz * dz / (2.0 * n))
    z = stats.norm.ppf(0.975)
    return {"d": num(dz), "se": num(se), "ci_low": num(dz - z * se), "ci_high": num(dz + z * se)}


def wilcoxon_ref(pre: np.ndarray, post: np.ndarray) -> dict | None:
    # Rank the differences on the 1e-9 grid, exactly as the Rust histogram does. The test is
    # invariant to the scale, so the integer keys themselves are passed to SciPy.
    keys = round_half_away((post - pre) * WILCOXON_GRID)
    n_nonzero = int(np.count_nonzero(keys))
    n_zero = len(keys) - n_nonzero
    if n_nonzero == 0:
        return None
    kw = dict(zero_method="wilcox", correction=False, method="approx")
    two = stats.wilcoxon(keys, **kw)
    greater = stats.wilcoxon(keys, alternative="greater", **kw)
    w_plus = float(greater.statistic)
    return {
        "statistic": num(two.statistic),
        "w_plus": num(w_plus),
        "w_minus": num(n_nonzero * (n_nonzero + 1) / 2 - w_plus),
        "z": num(two.zstatistic),
        "z_signed": num(greater.zstatistic),
        "p_value": num(two.pvalue),
        "n_nonzero": n_nonzero,
        "n_zero": n_zero,
    }


def gains_ref(pre: np.ndarray, post: np.ndarray) -> dict:
    pre_pct = pre * 100.0
    post_pct = post * 100.0
    n = len(pre_pct)
    class_gain = None
    if n >= 1:
        m_pre, m_post = np.mean(pre_pct), np.mean(post_pct)
        if m_pre < 100.0:
            class_gain = num((m_post - m_pre) / (100.0 - m_pre))
    keep = pre_pct < 100.0
    g = (post_pct[keep] - pre_pct[keep]) / (100.0 - pre_pct[keep])
    return {
        "class_gain": class_gain,
        "mean_individual_gain": num(np.mean(g)) if len(g) else None,
        "excluded_at_ceiling": int(n - np.count_nonzero(keep)),
    }


def paired_fixture(name: str, description: str, den: int, pre_num, post_num) -> dict:
    pre_num = [int(v) for v in pre_num]
    post_num = [int(v) for v in post_num]
    assert len(pre_num) == len(post_num)
    pre = np.array(pre_num, dtype=np.float64) / float(den)
    post = np.array(post_num, dtype=np.float64) / float(den)
    return {
        "kind": "paired",
        "name": name,
        "description": description,
        "denominator": den,
        "pre_numerators": pre_num,
        "post_numerators": post_num,
        "expected": {
            "n": len(pre),
            "pre": moments_ref(pre),
            "post": moments_ref(post),
            "diff": moments_ref(post - pre),
            "t_test": ttest_ref(pre, post),
            "cohens_dz": cohens_dz_ref(pre, post),
            "wilcoxon": wilcoxon_ref(pre, post),
            "pearson_r": pearson_ref(pre, post),
            "gains": gains_ref(pre, post),
        },
    }


def paired_fixtures(rng: np.random.Generator) -> list[dict]:
    out = []
    out.append(
        paired_fixture("tiny_n2", "two learners, scores out of 12", 12, [3, 5], [6, 11])
    )
    out.append(
        paired_fixture(
            "tiny_n3_zero_diff", "three learners, one zero difference", 12, [4, 6, 8], [4, 9, 7]
        )
    )
    pre = rng.integers(2, 9, size=30)
    post = np.clip(pre + rng.choice([-1, 0, 0, 1, 1, 2, 2, 3], size=30), 0, 12)
    out.append(
        paired_fixture(
            "ties_and_zeros", "30 learners on a 0..=12 grid: many tied and zero differences",
            12, pre, post,
        )
    )
    pre = rng.integers(0, 13, size=10)
    out.append(
        paired_fixture(
            "all_equal", "post equals pre for everyone: every difference is zero",
            12, pre, pre,
        )
    )
    pre = rng.integers(0, 4, size=12)
    out.append(
        paired_fixture(
            "constant_shift", "everyone gains exactly 1/4: differences have zero variance",
            4, pre, pre + 1,
        )
    )
    out.append(paired_fixture("single_learner", "one learner", 12, [7], [9]))
    out.append(paired_fixture("empty", "no learner", 12, [], []))
    pre = rng.integers(6, 13, size=40)
    pre[:3] = 12
    post = np.clip(pre - rng.integers(0, 5, size=40), 0, 12)
    out.append(
        paired_fixture(
            "negative_gains", "40 learners who mostly got worse; three started at 100 %",
            12, pre, post,
        )
    )
    pre = rng.binomial(12, 0.45, size=5000)
    post = np.clip(pre + rng.binomial(4, 0.55, size=5000) - rng.binomial(2, 0.4, size=5000),
                   0, 12)
    out.append(
        paired_fixture(
            "large_5000", "5,000 learners, scores k/12 with k in 0..=12", 12, pre, post
        )
    )
    pre = rng.binomial(12, 0.25, size=400)
    post = rng.binomial(12, 0.8, size=400)
    out.append(
        paired_fixture(
            "strong_effect", "400 learners with a large gain: very small p-values",
            12, pre, post,
        )
    )
    pre = np.clip(np.round(rng.normal(550, 120, size=200)), 0, 1000).astype(int)
    post = np.clip(pre + np.round(rng.normal(40, 80, size=200)), 0, 1000).astype(int)
    out.append(
        paired_fixture(
            "continuous_1000", "200 learners, scores in steps of 1/1000: few ties",
            1000, pre, post,
        )
    )
    post = rng.integers(5, 11, size=15)
    out.append(
        paired_fixture(
            "all_at_ceiling", "every learner scored 100 % before: gains undefined",
            10, np.full(15, 10), post,
        )
    )
    return out


# --------------------------------------------------------------------------------------------
# McNemar
# --------------------------------------------------------------------------------------------

MCNEMAR_PAIRS = [
    (0, 0), (1, 0), (0, 1), (3, 3), (5, 1), (10, 2), (2, 10), (12, 12), (0, 24), (24, 0),
    (20, 4), (1, 23), (12, 13), (13, 12), (25, 0), (0, 25), (30, 10), (50, 50), (100, 80),
    (7, 60), (500, 400), (400, 100), (1000, 10),
]


def mcnemar_ref(b: int, c: int) -> dict:
    n = b + c
    if n == 0:
        # Convention (not SciPy: binomtest rejects n = 0): no discordant pair, p = 1.
        return {"b": b, "c": c, "method": "exact", "statistic": 0.0, "p_value": 1.0}
    if n < 25:
        k = min(b, c)
        p = stats.binomtest(k, n, 0.5).pvalue
        return {"b": b, "c": c, "method": "exact", "statistic": float(k), "p_value": num(p)}
    chi2 = (abs(b - c) - 1) ** 2 / n
    return {
        "b": b, "c": c, "method": "chi2",
        "statistic": num(chi2), "p_value": num(stats.chi2.sf(chi2, 1)),
    }


def mcnemar_fixture() -> dict:
    return {
        "kind": "mcnemar",
        "name": "mcnemar",
        "description": "discordant counts (b, c) spanning the exact (b + c < 25) and "
        "continuity-corrected chi-square methods; b + c = 0 is p = 1 by convention",
        "cases": [mcnemar_ref(b, c) for b, c in MCNEMAR_PAIRS],
    }


# --------------------------------------------------------------------------------------------
# KR-20 and item discrimination
# --------------------------------------------------------------------------------------------


def kr20_fixture(name: str, description: str, k: int, rows) -> dict:
    x = np.array(rows, dtype=np.float64).reshape(len(rows), k)
    n = x.shape[0]
    total = x.sum(axis=1)
    alpha = None
    if k >= 2 and n >= 1 and not is_constant(total):
        p = x.mean(axis=0)
        alpha = num(k / (k - 1) * (1.0 - np.sum(p * (1.0 - p)) / np.var(total, ddof=0)))
    return {
        "kind": "kr20",
        "name": name,
        "description": description,
        "k": k,
        "rows": [[int(v) for v in row] for row in rows],
        "expected": {
            "n": n,
            "alpha": alpha,
            "total": moments_ref(total),
            "item_difficulty": [num(np.mean(x[:, i])) if n else None for i in range(k)],
            "item_discrimination": [pearson_ref(x[:, i], total - x[:, i]) for i in range(k)],
        },
    }


def rasch_rows(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    ability = rng.normal(0.0, 1.0, size=(n, 1))
    difficulty = np.linspace(-1.5, 1.5, k).reshape(1, k)
    prob = 1.0 / (1.0 + np.exp(-(ability - difficulty)))
    return (rng.random(size=(n, k)) < prob).astype(int)


def kr20_fixtures(rng: np.random.Generator) -> list[dict]:
    out = []
    rows = rasch_rows(rng, 300, 12)
    rows[:, 4] = 1  # everyone right: zero variance
    rows[:, 9] = 0  # everyone wrong: zero variance
    out.append(
        kr20_fixture(
            "kr20_rasch_300x12", "300 learners, 12 items; items 4 and 9 have zero variance",
            12, rows,
        )
    )
    out.append(kr20_fixture("kr20_tiny_3x2", "3 learners, 2 items", 2, [[1, 0], [1, 1], [0, 0]]))
    out.append(
        kr20_fixture(
            "kr20_constant_total", "every learner has the same total: alpha undefined",
            3, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]],
        )
    )
    out.append(
        kr20_fixture(
            "kr20_single_item", "one item: alpha undefined (k < 2)", 1, [[1], [0], [1], [1]]
        )
    )
    out.append(
        kr20_fixture(
            "kr20_rasch_5000x20", "5,000 learners, 20 items", 20, rasch_rows(rng, 5000, 20)
        )
    )
    return out


# --------------------------------------------------------------------------------------------
# special functions
# --------------------------------------------------------------------------------------------


def special_fixture() -> dict:
    normal_x = [-38.0, -20.0, -10.0, -5.0, -1.96, -1.0, 0.0, 0.5, 1.0, 1.96, 3.0, 5.0, 8.25,
                10.0, 20.0, 37.5]
    ppf_p = [1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 0.001, 0.01, 0.025, 0.05, 0.1, 0.25, 0.4, 0.5,
             0.6, 0.75, 0.9, 0.95, 0.975, 0.99, 0.999, 0.999999]
    t_values = [0.0, 0.1, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0, 10.0, 30.0, 100.0, 1000.0]
    t_dfs = [1.0, 2.0, 3.0, 5.0, 10.0, 29.0, 100.0, 399.0, 1000.0, 4999.0, 1e5, 999999.0]
    chi2_x = [0.0, 1e-10, 0.5, 1.0, 3.84, 10.0, 50.0, 100.0, 500.0, 1000.0, 1400.0]
    binom = [(0, 1, 0.5), (0, 10, 0.5), (3, 10, 0.5), (5, 10, 0.5), (9, 10, 0.5),
             (2, 24, 0.5), (11, 23, 0.5), (0, 24, 0.5), (7, 40, 0.3), (30, 100, 0.5),
             (400, 1000, 0.5), (10, 1000, 0.001), (50, 60, 0.99), (50_000, 100_001, 0.5),
             (49_000, 200_000, 0.25), (100, 200_000, 0.001)]
    beta = [(0.5, 0.5, 0.3), (1.0, 1.0, 0.7), (2.0, 3.0, 0.4), (5.0, 0.5, 0.9), (0.5, 5.0, 0.01),
            (10.0, 10.0, 0.5), (50.0, 0.5, 0.95), (200.0, 300.0, 0.4), (2500.0, 0.5, 0.999),
            (1e4, 1e4, 0.505)]
    return {
        "kind": "special",
        "name": "special",
        "description": "special functions vs scipy.stats / scipy.special",
        "normal_cdf": [[x, num(stats.norm.cdf(x))] for x in normal_x],
        "normal_sf": [[x, num(stats.norm.sf(x))] for x in normal_x],
        "normal_ppf": [[p, num(stats.norm.ppf(p))] for p in ppf_p],
        "student_t_two_sided_p": [
            [t, df, num(2.0 * stats.t.sf(abs(t), df))] for df in t_dfs for t in t_values
        ],
        "student_t_sf": [
            [s * t, df, num(stats.t.sf(s * t, df))]
            for df in t_dfs[:6] for t in t_values[1:8] for s in (-1.0, 1.0)
        ],
        "student_t_cdf": [
            [s * t, df, num(stats.t.cdf(s * t, df))]
            for df in t_dfs[:6] for t in t_values[1:8] for s in (-1.0, 1.0)
        ],
        "chi2_sf_1df": [[x, num(stats.chi2.sf(x, 1))] for x in chi2_x],
        "binomial_cdf": [[k, n, p, num(stats.binom.cdf(k, n, p))] for k, n, p in binom],
        "reg_inc_beta": [[a, b, x, num(special.betainc(a, b, x))] for a, b, x in beta],
    }


# --------------------------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------------------------


def encode(value, indent: int = 0) -> str:
    """Deterministic JSON: sorted keys, one key per line, lists of scalars on one line."""
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = ",\n".join(
            f"{pad}  {json.dumps(k)}: {encode(v, indent + 1)}" for k, v in sorted(value.items())
        )
        return "{\n" + inner + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if all(not isinstance(v, (dict, list, tuple)) for v in value):
            return "[" + ", ".join(encode(v) for v in value) + "]"
        inner = ",\n".join(pad + "  " + encode(v, indent + 1) for v in value)
        return "[\n" + inner + "\n" + pad + "]"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("non-finite float in fixture")
        return repr(value)
    if isinstance(value, (bool, int, str)) or value is None:
        return json.dumps(value)
    raise TypeError(f"cannot encode {type(value)!r}")


def build() -> dict[str, str]:
    rng = np.random.default_rng(SEED)
    fixtures = paired_fixtures(rng) + [mcnemar_fixture()] + kr20_fixtures(rng) + [
        special_fixture()
    ]
    files = {}
    for fx in fixtures:
        name = fx["name"]
        if fx["kind"] == "paired":
            name = "paired_" + name
        fx["generator"] = {
            "script": "scripts/stats_reference.py",
            "numpy": np.__version__,
            "scipy": scipy.__version__,
        }
        files[name + ".json"] = encode(fx) + "\n"
    return files


def close(a, b, path: str, errors: list[str]) -> None:
    """Compare recomputed `a` with committed `b` (generator metadata is ignored)."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys_a = set(a) - {"generator"}
        keys_b = set(b) - {"generator"}
        if keys_a != keys_b:
            errors.append(f"{path}: keys differ: {sorted(keys_a ^ keys_b)}")
        for k in sorted(keys_a & keys_b):
            close(a[k], b[k], f"{path}.{k}", errors)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            errors.append(f"{path}: length {len(b)}, expected {len(a)}")
            return
        for i, (x, y) in enumerate(zip(a, b)):
            close(x, y, f"{path}[{i}]", errors)
    elif isinstance(a, float) and isinstance(b, (float, int)) and not isinstance(b, bool):
        if abs(a - b) > CHECK_TOLERANCE * max(1.0, abs(a)):
            errors.append(f"{path}: committed {b!r}, recomputed {a!r}")
    elif a != b or type(a) is not type(b):
        errors.append(f"{path}: committed {b!r}, recomputed {a!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--check", action="store_true",
        help="recompute in memory and fail if the committed fixtures differ beyond tolerance",
    )
    args = parser.parse_args()

    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        files = build()

    if not args.check:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        for stale in OUT_DIR.glob("*.json"):
            if stale.name not in files:
                stale.unlink()
        for name, text in files.items():
            (OUT_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote {len(files)} fixtures to {OUT_DIR.relative_to(ROOT)} "
              f"(SciPy {scipy.__version__}, NumPy {np.__version__})")
        return 0

    errors: list[str] = []
    committed = {p.name for p in OUT_DIR.glob("*.json")}
    for name in sorted(committed - set(files)):
        errors.append(f"{name}: committed but no longer generated")
    for name, text in sorted(files.items()):
        path = OUT_DIR / name
        if not path.exists():
            errors.append(f"{name}: missing")
            continue
        close(json.loads(text), json.loads(path.read_text(encoding="utf-8")), name, errors)
    if errors:
        for e in errors[:50]:
            print("MISMATCH", e, file=sys.stderr)
        print(f"{len(errors)} mismatches in {OUT_DIR.relative_to(ROOT)}", file=sys.stderr)
        return 1
    print(f"{len(files)} fixtures match (SciPy {scipy.__version__}, NumPy {np.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
