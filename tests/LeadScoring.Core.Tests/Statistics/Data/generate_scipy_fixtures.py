"""Extra SciPy reference values for the Kolmogorov-Smirnov code paths that ../shared/stats-reference does not reach.

The shared reference cases are all small enough for ks_2samp's exact method; these cover scipy.stats.kstwo
(used by the asymptotic method) on every branch of SciPy's algorithm, and ks_2samp on samples that both sides
can rebuild from a formula (no random generator to port).

Regenerate with SciPy 1.10 (Debian bookworm's python3-scipy), from this folder:
    python3 generate_scipy_fixtures.py > scipy_ks.json
"""
import json
import math

import numpy as np
from scipy import stats


def golden(n, step, scale=1.0, shift=0.0, grid=0):
    # i * step mod 1: low-discrepancy, reproducible bit for bit in C#.
    values = []
    for i in range(n):
        v = (i * step) % 1.0
        if grid:
            v = math.floor(v * grid) / grid
        values.append(v * scale + shift)
    return values


def kstwo_cases():
    cases = []
    ns = [1, 2, 3, 5, 10, 37, 100, 140, 141, 500, 1000, 5000, 20000, 100000, 100001, 250000, 500000]
    for n in ns:
        xs = {0.4 / n, 0.6 / n, 0.9 / n, 1.0 / n, 1.5 / n, 0.5, 0.55, 0.75, 0.999, 1.0 - 1.0 / n + 1e-9}
        for nx2 in [0.05, 0.3, 0.7, 0.754, 0.76, 1.0, 1.5, 2.0, 2.19, 2.21, 3.0, 4.0, 4.5, 8.0, 17.0, 19.0, 40.0, 100.0, 300.0, 369.0, 371.0]:
            xs.add(math.sqrt(nx2 / n))
        for x in sorted(xs):
            if not (0.0 < x <= 1.0):
                continue
            sf = float(stats.kstwo.sf(x, n))
            cdf = float(stats.kstwo.cdf(x, n))
            cases.append({"n": n, "x": x, "sf": sf, "cdf": cdf})
    return cases


def ks2_cases():
    specs = [
        # name, n1, step1, scale1, shift1, grid1, n2, step2, scale2, shift2, grid2
        ("exact-equal-sizes", 400, 0.6180339887498949, 1.0, 0.0, 0, 400, 0.7548776662466927, 1.0, 0.05, 0),
        ("exact-unequal-ties", 900, 0.6180339887498949, 1.0, 0.0, 20, 700, 0.7548776662466927, 1.1, 0.0, 20),
        ("exact-one-value", 1, 0.5, 1.0, 0.3, 0, 50, 0.6180339887498949, 1.0, 0.0, 0),
        ("exact-separated", 60, 0.6180339887498949, 1.0, 0.0, 0, 45, 0.7548776662466927, 1.0, 2.0, 0),
        ("exact-limit-10000", 10000, 0.6180339887498949, 1.0, 0.0, 0, 9000, 0.7548776662466927, 1.0, 0.01, 0),
        ("asymp-same", 12000, 0.6180339887498949, 1.0, 0.0, 0, 15000, 0.7548776662466927, 1.0, 0.0, 0),
        ("asymp-small-shift", 20000, 0.6180339887498949, 1.0, 0.0, 0, 11000, 0.7548776662466927, 1.0, 0.02, 0),
        ("asymp-shift", 30000, 0.6180339887498949, 1.0, 0.0, 0, 25000, 0.7548776662466927, 1.0, 0.05, 0),
        ("asymp-unbalanced", 40000, 0.6180339887498949, 1.0, 0.0, 0, 60, 0.7548776662466927, 1.0, 0.1, 0),
        ("asymp-ties", 50000, 0.6180339887498949, 1.0, 0.0, 10, 20000, 0.7548776662466927, 1.0, 0.0, 10),
    ]
    cases = []
    for name, n1, s1, sc1, sh1, g1, n2, s2, sc2, sh2, g2 in specs:
        a = golden(n1, s1, sc1, sh1, g1)
        b = golden(n2, s2, sc2, sh2, g2)
        res = stats.ks_2samp(a, b, method="auto")
        cases.append({
            "name": name,
            "reference": {"n": n1, "step": s1, "scale": sc1, "shift": sh1, "grid": g1},
            "current": {"n": n2, "step": s2, "scale": sc2, "shift": sh2, "grid": g2},
            "expected": {"statistic": float(res.statistic), "pvalue": float(res.pvalue),
                         "method": "exact" if max(n1, n2) <= 10000 else "asymp"},
        })
    return cases


print(json.dumps({"scipy": __import__("scipy").__version__, "kstwo": kstwo_cases(), "ks_2samp": ks2_cases()}, indent=1))
