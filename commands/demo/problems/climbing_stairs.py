"""Climbing Stairs: the Fibonacci recurrence, computed bottom-up in constant space."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

STATEMENT = """\
You are climbing a staircase of `n` steps. Each move climbs either **1** or **2** steps.
In how many distinct ways can you reach the top?

### Example

```
n = 3  →  3      (1+1+1, 1+2, 2+1)
```
"""

PYTHON = """\
def climb_stairs(n: int) -> int:
    prev, curr = 1, 1
    for _ in range(n - 1):
        prev, curr = curr, prev + curr
    return curr
"""

CPP = """\
int climbStairs(int n) {
    long long prev = 1, curr = 1;
    for (int i = 1; i < n; i++) { long long next = prev + curr; prev = curr; curr = next; }
    return (int)curr;
}
"""

JAVA = """\
class Solution {
    public int climbStairs(int n) {
        int prev = 1, curr = 1;
        for (int i = 1; i < n; i++) { int next = prev + curr; prev = curr; curr = next; }
        return curr;
    }
}
"""

JAVASCRIPT = """\
function climbStairs(n) {
  let prev = 1;
  let curr = 1;
  for (let i = 1; i < n; i++) [prev, curr] = [curr, prev + curr];
  return curr;
}
"""

PROBLEM = DemoProblem(
    slug="climbing-stairs",
    title="Climbing Stairs",
    difficulty=1,
    topics=("dynamic-programming",),
    tags=("dynamic-programming", "math", "memoization"),
    statement=STATEMENT,
    constraints="1 ≤ n ≤ 45",
    hints=(
        "Think about the very last move: it was either one step or two steps.",
        "ways(n) = ways(n - 1) + ways(n - 2). Plain recursion repeats work exponentially.",
        "Compute it bottom-up keeping only the last two values: O(n) time, O(1) space.",
    ),
    samples=(
        call([2], 2, "1+1 or 2"),
        call([3], 3, "1+1+1, 1+2, 2+1"),
    ),
    hidden=(
        call([1], 1, "the smallest staircase"),
        call([4], 5),
        call([5], 8),
        call([10], 89),
        call([30], 1346269),
        call([45], 1836311903, "the largest n: exponential recursion times out"),
    ),
    signature=signature("climb_stairs", [("n", "int")], "int"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
