"""Complexity estimates: polynomial degree and log power, from loops, sorts and recursion."""

from __future__ import annotations

import msgspec

# Hints for a timeout or a slow estimate, keyed by the construct that dominates the cost.
HINTS = {
    "exponential": "memoise the recursion (cache each state) or build the answer bottom-up",
    "nested_loops": "replace the inner loop with a dict/set lookup, prefix sums or two pointers",
    "linear_op_in_loop": "an O(n) scan runs inside a loop; keep a set/dict alongside the list",
    "sort_in_loop": "sort once before the loop instead of on every iteration",
    "sort": "the sort dominates; check whether a counting pass or a heap of size k suffices",
    "linear": "the algorithm looks linear; check I/O speed and constant factors",
    "constant": "the code does little work; check for an infinite loop or slow I/O",
    "log": "the algorithm looks logarithmic; check I/O speed and loop termination",
}


class Cost(msgspec.Struct, frozen=True, order=True):
    """O(n^degree * log^log_power n); exponential overrides both."""

    exponential: bool = False
    degree: int = 0
    log_power: int = 0

    def times(self, other: Cost) -> Cost:
        return Cost(
            self.exponential or other.exponential,
            self.degree + other.degree,
            self.log_power + other.log_power,
        )

    def label(self) -> str:
        if self.exponential:
            return "O(2^n)"
        parts = []
        if self.degree == 1:
            parts.append("n")
        elif self.degree > 1:
            parts.append(f"n^{self.degree}")
        if self.log_power == 1:
            parts.append("log n")
        elif self.log_power > 1:
            parts.append(f"log^{self.log_power} n")
        return f"O({' '.join(parts) or '1'})"


CONSTANT = Cost()
LINEAR = Cost(degree=1)
LOG = Cost(log_power=1)
N_LOG_N = Cost(degree=1, log_power=1)
EXPONENTIAL = Cost(exponential=True)


class Construct(msgspec.Struct, frozen=True):
    """A construct that costs something: kind is a HINTS key; lines are 1-based and inclusive."""

    kind: str
    cost: Cost
    line_start: int
    line_end: int
    note: str


class Estimate(msgspec.Struct):
    """The dominant time construct, the space cost and every construct found."""

    time: Cost = CONSTANT
    space: Cost = CONSTANT
    constructs: list[Construct] = []
    space_notes: list[str] = []
    known: bool = True

    @property
    def dominant(self) -> Construct | None:
        if not self.constructs:
            return None
        return max(self.constructs, key=lambda c: (c.cost, -c.line_start))

    @property
    def hint(self) -> str:
        dominant = self.dominant
        return HINTS[dominant.kind if dominant else "constant"]


def finish(constructs: list[Construct], space: Cost, space_notes: list[str]) -> Estimate:
    """Reduce a list of constructs to an estimate whose time is the most expensive one."""
    time = max((c.cost for c in constructs), default=CONSTANT)
    return Estimate(time, space, constructs, space_notes)


def explain(estimate: Estimate) -> str:
    """One or two sentences naming the constructs behind the estimate."""
    if not estimate.known:
        return "Complexity not estimated: the code could not be parsed."
    notes = [c.note for c in leading(estimate.constructs)]
    time_part = "; ".join(dict.fromkeys(notes[:3])) or "no loops or recursion over the input"
    space_part = "; ".join(estimate.space_notes[:2]) or "only a fixed number of scalars"
    return f"Time is dominated by {time_part}. Extra space: {space_part}."


def leading(constructs: list[Construct]) -> list[Construct]:
    """Constructs by falling cost, without those inside the lines of a costlier one."""
    kept: list[Construct] = []
    for c in sorted(constructs, key=lambda c: (c.cost, -c.line_start), reverse=True):
        if not any(k.line_start <= c.line_start and c.line_end <= k.line_end for k in kept):
            kept.append(c)
    return kept


def recursion_cost(
    branches: int, memoised: bool, halving: bool, body: Cost
) -> tuple[Cost, Cost, str]:
    """Time, stack space and a description for a function that calls itself."""
    if memoised:
        return LINEAR.times(body), LINEAR, "memoised recursion in `{}`"
    if halving and branches >= 2:
        return (N_LOG_N if body.degree else LINEAR), LOG, "divide-and-conquer recursion in `{}`"
    if halving:
        return LOG.times(body), LOG, "recursion in `{}` halving its input"
    if branches >= 2:
        note = f"`{{}}` branching into {branches} recursive calls without memoisation"
        return EXPONENTIAL, LINEAR, note
    return LINEAR.times(body), LINEAR, "`{}` recursing once per call"
