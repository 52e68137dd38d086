"""Contains Duplicate: a set remembers what has been seen in O(1) per lookup."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

N = 50_000
DISTINCT = [(i * 104_729) % 1_000_003 - 500_000 for i in range(N)]
REPEATED = [*DISTINCT[: N - 1], DISTINCT[N // 2]]

STATEMENT = """\
Given an integer array `nums`, return `true` if some value appears **at least twice**, and
`false` if every element is distinct.

### Example

```
[1, 2, 3, 1]  →  true
[1, 2, 3, 4]  →  false
```
"""

PYTHON = """\
def contains_duplicate(nums: list[int]) -> bool:
    seen: set[int] = set()
    for x in nums:
        if x in seen:
            return True
        seen.add(x)
    return False
"""

CPP = """\
bool containsDuplicate(vector<int>& nums) {
    unordered_set<int> seen;
    for (int x : nums) if (!seen.insert(x).second) return true;
    return false;
}
"""

JAVA = """\
class Solution {
    public boolean containsDuplicate(int[] nums) {
        Set<Integer> seen = new HashSet<>();
        for (int x : nums) if (!seen.add(x)) return true;
        return false;
    }
}
"""

JAVASCRIPT = """\
function containsDuplicate(nums) {
  return new Set(nums).size !== nums.length;
}
"""

PROBLEM = DemoProblem(
    slug="contains-duplicate",
    title="Contains Duplicate",
    difficulty=1,
    topics=("hash-tables", "arrays"),
    tags=("array", "hash-table", "sorting"),
    statement=STATEMENT,
    constraints="1 ≤ nums.length ≤ 10^5\n-10^9 ≤ nums[i] ≤ 10^9",
    hints=(
        "Comparing every pair is O(n²). How could you remember the values you have seen?",
        "A hash set answers 'have I seen x?' in O(1) on average.",
        "Alternatively sort the array (O(n log n)): duplicates become neighbours.",
    ),
    samples=(
        call([[1, 2, 3, 1]], True),
        call([[1, 2, 3, 4]], False),
    ),
    hidden=(
        call([[7]], False, "a single element"),
        call([[0, 0]], True),
        call([[-1, 1, -1]], True, "negative values"),
        call([[1000000000, -1000000000]], False),
        call([[1, 1, 1, 3, 3, 4, 3, 2, 4, 2]], True),
        call([DISTINCT], False, "50 000 distinct values"),
        call([REPEATED], True, "50 000 values, the repeat at the very end"),
    ),
    signature=signature("contains_duplicate", [("nums", "int[]")], "bool"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
