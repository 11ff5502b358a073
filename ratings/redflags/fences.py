"""Quartiles and Tukey fences as the Cardinal library computes them (statrs' `quantile`, the
R-8 estimator: approximately median-unbiased), so our fences match an outsider's recomputation
with Cardinal on the same data."""

import math
from collections.abc import Iterable


def quantile(values: Iterable[float], tau: float) -> float:
    """The tau-th quantile (0 ≤ tau ≤ 1) of `values`, R-8; NaN for no values."""
    data = sorted(float(v) for v in values)
    n = len(data)
    if n == 0 or not 0 <= tau <= 1:
        return math.nan
    h = (n + 1 / 3) * tau + 1 / 3
    hf = math.floor(h)
    if hf <= 0 or tau == 0:
        return data[0]
    if hf >= n or tau == 1:
        return data[-1]
    low, high = data[hf - 1], data[hf]
    return low + (h - hf) * (high - low)


def quartiles(values: Iterable[float]) -> tuple[float, float]:
    data = list(values)
    return quantile(data, 0.25), quantile(data, 0.75)


def lower_fence(values: Iterable[float]) -> dict:
    """Q1 − 1.5·IQR, with the quartiles and the sample size (the flag's figures)."""
    data = list(values)
    q1, q3 = quartiles(data)
    return {"q1": q1, "q3": q3, "fence": q1 - 1.5 * (q3 - q1), "n": len(data)}


def upper_fence(values: Iterable[float]) -> dict:
    """Q3 + 1.5·IQR, with the quartiles and the sample size."""
    data = list(values)
    q1, q3 = quartiles(data)
    return {"q1": q1, "q3": q3, "fence": q3 + 1.5 * (q3 - q1), "n": len(data)}


def rounded(value: float) -> float:
    return round(float(value), 6)
