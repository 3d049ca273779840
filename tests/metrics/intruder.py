"""An intruder who reads only the published output of `equitable metrics --published`.

It never looks at the project's layouts or disclosure model: it knows what the published
columns mean, as a reader of the JSON would, and writes down every sum it can see between the
numbers (and between the sums that means times counts give), then solves a linear programme
for each withheld number. Variables are populations named here, in the intruder's own terms:

    ("staff", scope, dimension, value, group)

`scope` is "all", "paid" (an hourly rate), "top5", "bonus" (paid a bonus) or a quartile;
`dimension`/`value` an organisational breakdown (or "-"); `group` a characteristic value such as
("eth", "Asian"), ("sex", "Female"), ("eth+sex", "Asian", "Female"), ("status", "sex", "known").
A sum of pay is the same name with "pay" or "bonus pay" in front.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

GROUPS = ("Asian", "Black", "Mixed", "White", "Other")
AGGREGATE = "Black, Asian and Multi-ethnic"
MINORITY_PARTS = ("Asian", "Black", "Mixed", "Other")
DETAILED = {
    "Asian": ("Bangladeshi", "Chinese", "Indian", "Pakistani", "Other Asian"),
    "Black": ("African", "Caribbean", "Other Black"),
    "Mixed": (
        "White and Asian",
        "White and Black African",
        "White and Black Caribbean",
        "Other Mixed or Multiple ethnic groups",
    ),
    "White": (
        "English, Welsh, Scottish, Northern Irish or British",
        "Irish",
        "Gypsy or Irish Traveller",
        "Roma",
        "Other White",
    ),
    "Other": ("Arab", "Any other ethnic group"),
}
SEXES = ("Female", "Male", "Prefer not to say", "Not known")
DISABILITIES = ("Disabled", "Not disabled", "Prefer not to say", "Not known")
QUARTERS = ("Lower", "Lower middle", "Upper middle", "Upper")
EVERYONE = ("everyone",)


def eth(label: str) -> tuple:
    return ("eth", label)


@dataclass
class Intruder:
    """Everything read off the published tables: values (None when withheld) and sums."""

    values: dict[tuple, float | None] = field(default_factory=dict)
    sums: list[tuple[tuple, list[tuple]]] = field(default_factory=list)
    # Withheld figures whose value the intruder wants: (cell, what it is).
    withheld: dict[tuple, str] = field(default_factory=dict)
    # A sum of pay read off a mean printed to the penny is known only to within this much.
    slack: dict[tuple, float] = field(default_factory=dict)

    def see(self, cell: tuple, value: Any, what: str = "count") -> None:
        """A published number (None: withheld). The same population read twice must agree."""
        if value is not None and isinstance(value, float) and not math.isfinite(value):
            value = None
        known = self.values.get(cell)
        if value is None:
            self.values.setdefault(cell, None)
            if known is None:
                self.withheld[cell] = what
            return
        self.values[cell] = float(value)
        self.withheld.pop(cell, None)

    def variable(self, cell: tuple) -> None:
        self.values.setdefault(cell, None)

    def total(self, whole: tuple, parts: Sequence[tuple]) -> None:
        for cell in (whole, *parts):
            self.variable(cell)
        self.sums.append((whole, list(parts)))


def implied(count: float | None, share: float | None) -> int | None:
    """The denominator a printed share gives away, when its printed precision (two decimal
    places) fixes it to the unit."""
    if not count or not share:
        return None
    estimate = count * 100 / share
    error = count * 100 * 0.005 / (share * share)
    return round(estimate) if error < 0.45 else None


def staff(scope: str, dimension: str, value: Any, group: tuple) -> tuple:
    return ("staff", scope, dimension, value, group)


def pay(kind: str, cell: tuple) -> tuple:
    return (kind, *cell)


# --- reading each kind of table ----------------------------------------------------------------


def _representation(intruder: Intruder, rows: list[dict], scope: str, dimension: str) -> None:
    by_value: dict[Any, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        by_value[row.get(dimension, "-") if dimension != "-" else "-"][row["ethnic_group"]] = row
    for value, groups in by_value.items():
        total = staff(scope, dimension, value, EVERYONE)
        known = staff(scope, dimension, value, eth("known"))
        for label, row in groups.items():
            cell = staff(scope, dimension, value, eth(label))
            intruder.see(cell, row["count"])
            intruder.see(total, row.get("total"), "total")
            count = row["count"]
            if implied(count, row.get("percent")) is not None:
                intruder.see(total, implied(count, row.get("percent")))
            if implied(count, row.get("percent_of_known")) is not None:
                intruder.see(known, implied(count, row.get("percent_of_known")))
        intruder.total(
            total, [staff(scope, dimension, value, eth(g)) for g in (*GROUPS, "Unknown")]
        )
        intruder.total(known, [staff(scope, dimension, value, eth(g)) for g in GROUPS])
        intruder.total(
            staff(scope, dimension, value, eth(AGGREGATE)),
            [staff(scope, dimension, value, eth(g)) for g in MINORITY_PARTS],
        )
    if dimension != "-":
        values = list(by_value)
        for label in (*GROUPS, "Unknown", AGGREGATE, "known", "everyone"):
            group = EVERYONE if label == "everyone" else eth(label)
            intruder.total(
                staff(scope, "-", "-", group), [staff(scope, dimension, v, group) for v in values]
            )


def _detailed(intruder: Intruder, rows: list[dict]) -> None:
    for row in rows:
        intruder.see(staff("all", "-", "-", eth(row["ethnicity"])), row["count"])
        if implied(row["count"], row.get("percent")) is not None:
            intruder.see(
                staff("all", "-", "-", EVERYONE), implied(row["count"], row.get("percent"))
            )
    present = {row["ethnicity"] for row in rows}
    for group, names in DETAILED.items():
        extra = [n for n in present if n.startswith(group) and "not given" in n]
        intruder.total(
            staff("all", "-", "-", eth(group)),
            [staff("all", "-", "-", eth(n)) for n in (*names, *extra)],
        )
    intruder.total(
        staff("all", "-", "-", eth("Unknown")),
        [staff("all", "-", "-", eth(n)) for n in ("Prefer not to say", "Not known")],
    )


_STATUS_OF = {"ethnicity": "eth", "sex": "sex", "disability": "disability"}


def _disclosure(intruder: Intruder, rows: list[dict], dimension: str) -> None:
    values = set()
    for row in rows:
        value = row.get(dimension, "-") if dimension != "-" else "-"
        values.add(value)
        characteristic = row["characteristic"]
        cells = {
            column: staff("all", dimension, value, ("status", characteristic, column))
            for column in ("known", "prefer_not_to_say", "not_known")
        }
        total = staff("all", dimension, value, EVERYONE)
        for column, cell in cells.items():
            intruder.see(cell, row[column])
        intruder.see(total, row["total"], "total")
        if implied(row["known"], row.get("percent_known")) is not None:
            intruder.see(total, implied(row["known"], row.get("percent_known")))
        intruder.total(total, list(cells.values()))
        # The same people as in the representation and detailed tables.
        if characteristic == "ethnicity":
            intruder.total(cells["known"], [staff("all", dimension, value, eth("known"))])
            intruder.total(
                staff("all", dimension, value, eth("Unknown")),
                [cells["prefer_not_to_say"], cells["not_known"]],
            )
            if dimension == "-":
                intruder.total(
                    cells["prefer_not_to_say"], [staff("all", "-", "-", eth("Prefer not to say"))]
                )
                intruder.total(cells["not_known"], [staff("all", "-", "-", eth("Not known"))])
        if characteristic in ("sex", "disability"):
            labels = SEXES if characteristic == "sex" else DISABILITIES
            key = "sex" if characteristic == "sex" else "dis"
            intruder.total(
                cells["prefer_not_to_say"], [staff("all", dimension, value, (key, labels[2]))]
            )
            intruder.total(cells["not_known"], [staff("all", dimension, value, (key, labels[3]))])
            intruder.total(
                cells["known"],
                [
                    staff("all", dimension, value, (key, labels[0])),
                    staff("all", dimension, value, (key, labels[1])),
                ],
            )
    if dimension != "-":
        for characteristic in {row["characteristic"] for row in rows}:
            for column in ("known", "prefer_not_to_say", "not_known"):
                group = ("status", characteristic, column)
                intruder.total(
                    staff("all", "-", "-", group),
                    [staff("all", dimension, v, group) for v in values],
                )
        intruder.total(
            staff("all", "-", "-", EVERYONE), [staff("all", dimension, v, EVERYONE) for v in values]
        )


def _breakdown_by(
    intruder: Intruder, rows: list[dict], scope_of, key: str, labels: Sequence[str]
) -> None:
    """Top 5% or quartile tables by sex or disability (or ethnic group)."""
    by_scope: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        by_scope[scope_of(row)][row[key]] = row
    short = {"sex": "sex", "disability": "dis", "ethnic_group": "eth"}[key]
    for scope, groups in by_scope.items():
        total = staff(scope, "-", "-", EVERYONE)
        for label, row in groups.items():
            intruder.see(staff(scope, "-", "-", (short, label)), row["count"])
            intruder.see(total, row.get("total"), "total")
            if implied(row["count"], row.get("percent")) is not None:
                intruder.see(total, implied(row["count"], row.get("percent")))
        intruder.total(total, [staff(scope, "-", "-", (short, label)) for label in labels])
        if key == "ethnic_group":
            intruder.total(
                staff(scope, "-", "-", eth(AGGREGATE)),
                [staff(scope, "-", "-", eth(g)) for g in MINORITY_PARTS],
            )
            intruder.total(
                staff(scope, "-", "-", eth("known")),
                [staff(scope, "-", "-", eth(g)) for g in GROUPS],
            )


def _pay_group(row: dict, subject: str) -> tuple:
    if subject == "sex":
        return ("sex", row["sex"])
    if subject == "disability":
        return ("dis", row["disability"])
    if subject == "ethnicity_by_sex":
        return ("eth+sex", row["ethnic_group"], row["sex"])
    return eth(row["ethnic_group"])


def _reference(label: str) -> tuple:
    return {
        "White": eth("White"),
        "White British": eth("White British"),
        "Male": ("sex", "Male"),
        "Not disabled": ("dis", "Not disabled"),
        "White male": ("eth+sex", "White", "Male"),
        "White female": ("eth+sex", "White", "Female"),
    }[label]


def _gap_table(intruder: Intruder, rows: list[dict], subject: str, bonus: bool) -> None:
    scope = "bonus" if bonus else "paid"
    measure = "bonus pay" if bonus else "pay"
    for row in rows:
        group, reference = _pay_group(row, subject), _reference(row["reference_group"])
        for who, prefix in ((group, ""), (reference, "reference_")):
            if bonus:
                intruder.see(staff("all", "-", "-", who), row[f"{prefix}count"])
                count = row[f"{prefix}bonus_count"]
                share = row[f"{prefix}percent_receiving_bonus"]
                everyone = row[f"{prefix}count"]
                if share is not None and everyone and everyone * 0.005 / 100 < 0.45:
                    intruder.see(staff(scope, "-", "-", who), round(share * everyone / 100))
                mean = row[f"{prefix}mean_bonus"]
            else:
                count = row[f"{prefix}count"]
                mean = row[f"{prefix}mean_hourly_pay"]
            intruder.see(staff(scope, "-", "-", who), count)
            total_pay = pay(measure, staff(scope, "-", "-", who))
            if mean is not None and count is not None:
                intruder.see(total_pay, mean * count, "sum")
                intruder.slack[total_pay] = 0.005 * count + 1e-6
            else:
                intruder.see(total_pay, None, "sum")


def _pay_relations(intruder: Intruder, scope: str) -> None:
    """Sums between the groups the pay and bonus tables compare (counts and pay sums alike)."""
    for kind in (None, "pay", "bonus pay"):
        if kind == "pay" and scope != "paid" or kind == "bonus pay" and scope != "bonus":
            continue

        def cell(group: tuple, kind: str | None = kind) -> tuple:
            base = staff(scope, "-", "-", group)
            return base if kind is None else pay(kind, base)

        intruder.total(cell(eth(AGGREGATE)), [cell(eth(g)) for g in MINORITY_PARTS])
        intruder.total(
            cell(eth("All ethnic minorities")),
            [cell(eth(g)) for g in (*MINORITY_PARTS, "White other than British")],
        )
        intruder.total(
            cell(eth("White")), [cell(eth("White British")), cell(eth("White other than British"))]
        )
        for sex in ("Female", "Male"):
            intruder.total(
                cell(("eth+sex", AGGREGATE, sex)),
                [cell(("eth+sex", g, sex)) for g in MINORITY_PARTS],
            )
        for g in (*GROUPS, AGGREGATE):
            intruder.total(
                cell(eth(g)),
                [
                    cell(("eth+sex", g, "Female")),
                    cell(("eth+sex", g, "Male")),
                    cell(("eth+sex", g, "sex unknown")),
                ],
            )
        everyone = cell(EVERYONE)
        intruder.total(everyone, [cell(eth(g)) for g in (*GROUPS, "Unknown")])
        intruder.total(everyone, [cell(("sex", s)) for s in SEXES])
        intruder.total(everyone, [cell(("dis", d)) for d in DISABILITIES])
        for sex in ("Female", "Male"):
            intruder.total(
                cell(("sex", sex)), [cell(("eth+sex", g, sex)) for g in (*GROUPS, "Unknown")]
            )


def read_published(tables: Mapping[str, list[dict]]) -> Intruder:
    """Every number and every sum an intruder can read off the published JSON tables."""
    intruder = Intruder()
    for name, rows in tables.items():
        if name == "representation_overall":
            _representation(intruder, rows, "all", "-")
        elif name.startswith("representation_by_"):
            _representation(intruder, rows, "all", name.removeprefix("representation_by_"))
        elif name == "top_5_percent_earners":
            _representation(intruder, rows, "top5", "-")
        elif name == "representation_in_leadership_tiers":
            _representation(intruder, rows, "in a tier", "-")
        elif name == "representation_detailed_overall":
            _detailed(intruder, rows)
        elif name == "disclosure":
            _disclosure(intruder, rows, "-")
        elif name == "disclosure_by_directorate":
            _disclosure(intruder, rows, "directorate")
        elif name == "top_5_percent_earners_by_sex":
            _breakdown_by(intruder, rows, lambda r: "top5", "sex", SEXES)
        elif name == "top_5_percent_earners_by_disability":
            _breakdown_by(intruder, rows, lambda r: "top5", "disability", DISABILITIES)
        elif name.startswith("pay_quartiles_"):
            key = {"ethnicity": "ethnic_group", "sex": "sex", "disability": "disability"}[
                name.removeprefix("pay_quartiles_")
            ]
            labels = {
                "ethnic_group": (*GROUPS, "Unknown"),
                "sex": SEXES,
                "disability": DISABILITIES,
            }[key]
            _breakdown_by(intruder, rows, lambda r: r["quartile"], key, labels)
        elif name.startswith("pay_gap_"):
            _gap_table(intruder, rows, name.removeprefix("pay_gap_"), bonus=False)
        elif name.startswith("bonus_gap_"):
            _gap_table(intruder, rows, name.removeprefix("bonus_gap_"), bonus=True)
        elif name == "notes":
            for row in rows:
                if row.get("subject") == "top_5_percent_ties":
                    intruder.see(staff("top5", "-", "-", EVERYONE), row.get("count"))
                    intruder.see(staff("paid", "-", "-", EVERYONE), row.get("total"))
                if row.get("subject") == "no_hourly_rate":
                    intruder.see(staff("unpaid", "-", "-", EVERYONE), row.get("count"))
    # Quartiles, the top 5% and the pay tables are all of the people with an hourly rate;
    # everyone is paid or not, paid a bonus or not, in the top 5% or not.
    for group in (
        [eth(g) for g in (*GROUPS, "Unknown", AGGREGATE)]
        + [("sex", s) for s in SEXES]
        + [("dis", d) for d in DISABILITIES]
        + [EVERYONE]
    ):
        if any(staff(q, "-", "-", group) in intruder.values for q in QUARTERS):
            intruder.total(
                staff("paid", "-", "-", group), [staff(q, "-", "-", group) for q in QUARTERS]
            )
        intruder.total(
            staff("all", "-", "-", group),
            [staff("paid", "-", "-", group), staff("unpaid", "-", "-", group)],
        )
        intruder.total(
            staff("all", "-", "-", group),
            [staff("top5", "-", "-", group), staff("not top5", "-", "-", group)],
        )
        intruder.total(
            staff("all", "-", "-", group),
            [staff("bonus", "-", "-", group), staff("no bonus", "-", "-", group)],
        )
    # Everyone in a leadership tier is every tier's row but "Not recorded".
    tiers = {
        row["leadership_tier"]
        for row in tables.get("representation_by_leadership_tier", [])
        if row["leadership_tier"] != "Not recorded"
    }
    if tiers and "representation_in_leadership_tiers" in tables:
        for label in (*GROUPS, "Unknown", AGGREGATE, "known", "everyone"):
            group = EVERYONE if label == "everyone" else eth(label)
            intruder.total(
                staff("in a tier", "-", "-", group),
                [staff("all", "leadership_tier", t, group) for t in sorted(tiers)],
            )
    for scope in ("all", "paid", "bonus", "unpaid"):
        _pay_relations(intruder, scope)
    # A sum of pay over nobody is 0; the intruder reads zeros off the published counts.
    for cell, value in list(intruder.values.items()):
        if cell[0] == "staff" and value == 0:
            for kind in ("pay", "bonus pay"):
                if pay(kind, cell) in intruder.values:
                    intruder.see(pay(kind, cell), 0.0)
    return intruder


# --- the attack ----------------------------------------------------------------------------


def ranges(intruder: Intruder, targets: Sequence[tuple]) -> dict[tuple, tuple[float, float]]:
    """Smallest and largest value of each target under every published number, every sum and
    non-negativity (a linear programme each way, HiGHS through scipy)."""
    from scipy.sparse import lil_matrix

    unknown = [c for c, v in intruder.values.items() if v is None or c in intruder.slack]
    column = {c: k for k, c in enumerate(unknown)}
    bounds = []
    for cell in unknown:
        value = intruder.values[cell]
        if value is None:
            bounds.append((0.0, None))
        else:
            spread = intruder.slack[cell]
            bounds.append((max(0.0, value - spread), value + spread))
    rows: list[dict[int, float]] = []
    rhs: list[float] = []
    for whole, parts in intruder.sums:
        row: dict[int, float] = defaultdict(float)
        constant = 0.0
        for cell, sign in ((whole, -1.0), *((p, 1.0) for p in parts)):
            value = intruder.values[cell]
            if cell in column:
                row[column[cell]] += sign
            else:
                constant += sign * value
        row = {k: v for k, v in row.items() if v}
        if row:
            rows.append(row)
            rhs.append(-constant)
    matrix = lil_matrix((len(rows), len(unknown)))
    for r, row in enumerate(rows):
        for k, v in row.items():
            matrix[r, k] = v
    import highspy
    from highspy._core import _Highs

    lp = highspy.HighsLp()
    lp.num_col_ = len(unknown)
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.zeros(len(unknown))
    lp.col_lower_ = np.array([b[0] for b in bounds])
    lp.col_upper_ = np.array([highspy.kHighsInf if b[1] is None else b[1] for b in bounds])
    lp.row_lower_ = np.array(rhs)
    lp.row_upper_ = np.array(rhs)
    csc = matrix.tocsc()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(np.float64)
    lp.a_matrix_.num_col_ = len(unknown)
    lp.a_matrix_.num_row_ = len(rows)
    solver = _Highs()
    solver.setOptionValue("output_flag", False)
    solver.passModel(lp)
    found: dict[tuple, tuple[float, float]] = {}
    for target in targets:
        k = column[target]
        solver.changeColCost(k, 1.0)
        ends = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            solver.changeObjectiveSense(sense)
            solver.run()
            status = solver.getModelStatus()
            if status in (
                highspy.HighsModelStatus.kUnbounded,
                highspy.HighsModelStatus.kUnboundedOrInfeasible,
            ):
                ends.append(math.inf)
            elif status != highspy.HighsModelStatus.kOptimal:
                raise AssertionError(f"the published figures admit no table: {status}")
            else:
                ends.append(solver.getInfo().objective_function_value)
        solver.changeColCost(k, 0.0)
        found[target] = (ends[0], ends[1])
    return found
