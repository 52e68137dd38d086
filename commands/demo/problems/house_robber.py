"""House Robber: take-or-skip dynamic programming over a line of houses."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

BIG = [(i * 31) % 400 for i in range(20_000)]


def _rob(nums: list[int]) -> int:
    take, skip = 0, 0
    for x in nums:
        take, skip = skip + x, max(take, skip)
    return max(take, skip)


STATEMENT = """\
Houses stand in a row; house `i` holds `nums[i]` coins. You may rob any set of houses, but
never **two adjacent** houses (their alarms are connected). Return the largest amount you
can take.

### Example

```
[2, 7, 9, 3, 1]  →  12      (houses 0, 2 and 4: 2 + 9 + 1)
```
"""

PYTHON = """\
def rob(nums: list[int]) -> int:
    take, skip = 0, 0
    for x in nums:
        take, skip = skip + x, max(take, skip)
    return max(take, skip)
"""

CPP = """\
int rob(vector<int>& nums) {
    int take = 0, skip = 0;
    for (int x : nums) { int t = skip + x; skip = max(take, skip); take = t; }
    return max(take, skip);
}
"""

JAVA = """\
class Solution {
    public int rob(int[] nums) {
        int take = 0, skip = 0;
        for (int x : nums) { int t = skip + x; skip = Math.max(take, skip); take = t; }
        return Math.max(take, skip);
    }
}
"""

JAVASCRIPT = """\
function rob(nums) {
  let take = 0;
  let skip = 0;
  for (const x of nums) [take, skip] = [skip + x, Math.max(take, skip)];
  return Math.max(take, skip);
}
"""

PROBLEM = DemoProblem(
    slug="house-robber",
    title="House Robber",
    difficulty=2,
    topics=("dynamic-programming",),
    tags=("array", "dynamic-programming"),
    statement=STATEMENT,
    constraints="1 ≤ nums.length ≤ 10^5\n0 ≤ nums[i] ≤ 400",
    hints=(
        "Greedy choices (always the biggest house, or every other house) fail. Think about the "
        "last house.",
        "best(i) = max(best(i - 1), best(i - 2) + nums[i]): skip house i, or rob it.",
        "Keep two numbers — the best total if you robbed the previous house and if you did not.",
    ),
    samples=(
        call([[1, 2, 3, 1]], 4, "houses 0 and 2"),
        call([[2, 7, 9, 3, 1]], 12, "houses 0, 2 and 4"),
    ),
    hidden=(
        call([[5]], 5, "one house"),
        call([[2, 1]], 2),
        call([[2, 1, 1, 2]], 4, "houses 0 and 3: not simply every other house"),
        call([[0, 0, 0]], 0),
        call([[10, 1, 1, 10, 1, 1, 10]], 30),
        call([BIG], _rob(BIG), "20 000 houses: plain recursion is far too slow"),
    ),
    signature=signature("rob", [("nums", "int[]")], "int"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
