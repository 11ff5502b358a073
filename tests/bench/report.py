"""The figures of one `make bench` run, each beside its goal (and the floor measured in the same
run, where there is one), printed as a final table with pass/fail. Figures are printed, never
asserted: a benchmark says how fast, the tests say what happens."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    case: str
    name: str
    value: float
    unit: str
    goal: str  # in words: "≤ 2.5× floor", "≤ 50 ms"; empty: a figure without a goal
    passed: bool | None
    floor: str = ""


FIGURES: list[Figure] = []


def at_most(case: str, name: str, value: float, limit: float, unit: str, *,
            floor: str = "", goal: str = "") -> Figure:
    figure = Figure(case, name, value, unit, goal or f"≤ {limit:g} {unit}".strip(),
                    value <= limit, floor)
    FIGURES.append(figure)
    return figure


def at_least(case: str, name: str, value: float, limit: float, unit: str, *,
             floor: str = "", goal: str = "") -> Figure:
    figure = Figure(case, name, value, unit, goal or f"≥ {limit:g} {unit}".strip(),
                    value >= limit, floor)
    FIGURES.append(figure)
    return figure


def info(case: str, name: str, value: float, unit: str, *, floor: str = "") -> Figure:
    """A figure printed for context, without a goal of its own."""
    figure = Figure(case, name, value, unit, "", None, floor)
    FIGURES.append(figure)
    return figure


def print_table() -> int:
    """The final table; returns how many figures missed their goal."""
    if not FIGURES:
        return 0
    print("\n== figures against their goals ==")
    print(f"{'case':<10} {'figure':<44} {'value':>12} {'goal':<18} {'floor':<22} result")
    for f in FIGURES:
        value = f"{f.value:,.2f} {f.unit}".strip()
        result = "—" if f.passed is None else ("pass" if f.passed else "MISS")
        print(f"{f.case:<10} {f.name:<44} {value:>12} {f.goal or '—':<18} {f.floor:<22} "
              f"{result}")
    goals = [f for f in FIGURES if f.passed is not None]
    missed = sum(not f.passed for f in goals)
    print(f"{len(goals) - missed} of {len(goals)} figures meet their goal")
    return missed
