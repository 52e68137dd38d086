"""Two Sum: a hash table turns the quadratic pair search into one pass."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

N = 20_000
BIG = list(range(1, 2 * N, 2))  # odd numbers: no two of them sum to an odd target...
BIG[-1] = 2 * N  # ...except the last one plus 1 (index 0)

STATEMENT = """\
Given an array of integers `nums` and an integer `target`, return the **indices** of the two
numbers that add up to `target`.

Each input has **exactly one** solution, and you may not use the same element twice.
Return the two indices in increasing order, as `[i, j]` with `i < j`.

### Example

```
nums = [2, 7, 11, 15], target = 9  →  [0, 1]
```

Because `nums[0] + nums[1] == 2 + 7 == 9`.
"""

PYTHON = """\
def two_sum(nums: list[int], target: int) -> list[int]:
    seen: dict[int, int] = {}
    for j, value in enumerate(nums):
        i = seen.get(target - value)
        if i is not None:
            return [i, j]
        seen[value] = j
    return []
"""

CPP = """\
vector<int> twoSum(vector<int>& nums, int target) {
    unordered_map<int, int> seen;
    for (int j = 0; j < (int)nums.size(); j++) {
        auto it = seen.find(target - nums[j]);
        if (it != seen.end()) return {it->second, j};
        seen[nums[j]] = j;
    }
    return {};
}
"""

JAVA = """\
class Solution {
    public int[] twoSum(int[] nums, int target) {
        Map<Integer, Integer> seen = new HashMap<>();
        for (int j = 0; j < nums.length; j++) {
            Integer i = seen.get(target - nums[j]);
            if (i != null) return new int[] {i, j};
            seen.put(nums[j], j);
        }
        return new int[0];
    }
}
"""

JAVASCRIPT = """\
function twoSum(nums, target) {
  const seen = new Map();
  for (let j = 0; j < nums.length; j++) {
    const i = seen.get(target - nums[j]);
    if (i !== undefined) return [i, j];
    seen.set(nums[j], j);
  }
  return [];
}
"""

PROBLEM = DemoProblem(
    slug="two-sum",
    title="Two Sum",
    difficulty=1,
    topics=("arrays", "hash-tables"),
    tags=("array", "hash-table"),
    statement=STATEMENT,
    constraints="2 ≤ nums.length ≤ 10^5\n-10^9 ≤ nums[i] ≤ 10^9\n-10^9 ≤ target ≤ 10^9",
    hints=(
        "The brute force checks every pair in O(n²). Can you find each partner faster?",
        "For each value x, the partner you need is target - x. Where could you look it up in O(1)?",
        "Walk the array once with a hash map from value to index; check for target - x before "
        "inserting x, so an element never pairs with itself.",
    ),
    samples=(
        call([[2, 7, 11, 15], 9], [0, 1], "nums[0] + nums[1] = 2 + 7 = 9"),
        call([[3, 2, 4], 6], [1, 2], "nums[1] + nums[2] = 2 + 4 = 6"),
    ),
    hidden=(
        call([[3, 3], 6], [0, 1], "equal values at different indices"),
        call([[-1, -2, -3, -4, -5], -8], [2, 4]),
        call([[0, 4, 3, 0], 0], [0, 3]),
        call([[1000000000, -999999995, 7], 5], [0, 1], "large magnitudes"),
        call([[5, 1, 8, 2, 9, 3], 12], [4, 5]),
        call([BIG, 2 * N + 1], [0, N - 1], "20 000 numbers: O(n²) is too slow"),
    ),
    signature=signature("two_sum", [("nums", "int[]"), ("target", "int")], "int[]"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
