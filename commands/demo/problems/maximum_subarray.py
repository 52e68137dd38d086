"""Maximum Subarray: Kadane's algorithm keeps the best sum ending at each position."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

BIG = [(i * 7919) % 201 - 100 for i in range(30_000)]

STATEMENT = """\
Given an integer array `nums`, find the **contiguous, non-empty** subarray with the largest
sum and return that sum.

### Example

```
nums = [-2, 1, -3, 4, -1, 2, 1, -5, 4]  →  6
```

The subarray `[4, -1, 2, 1]` has the largest sum, 6.
"""

PYTHON = """\
def max_sub_array(nums: list[int]) -> int:
    best = current = nums[0]
    for x in nums[1:]:
        current = max(x, current + x)
        best = max(best, current)
    return best
"""

CPP = """\
int maxSubArray(vector<int>& nums) {
    int best = nums[0], current = nums[0];
    for (size_t i = 1; i < nums.size(); i++) {
        current = max(nums[i], current + nums[i]);
        best = max(best, current);
    }
    return best;
}
"""

JAVA = """\
class Solution {
    public int maxSubArray(int[] nums) {
        int best = nums[0], current = nums[0];
        for (int i = 1; i < nums.length; i++) {
            current = Math.max(nums[i], current + nums[i]);
            best = Math.max(best, current);
        }
        return best;
    }
}
"""

JAVASCRIPT = """\
function maxSubArray(nums) {
  let best = nums[0];
  let current = nums[0];
  for (let i = 1; i < nums.length; i++) {
    current = Math.max(nums[i], current + nums[i]);
    best = Math.max(best, current);
  }
  return best;
}
"""


def _kadane(nums: list[int]) -> int:
    best = current = nums[0]
    for x in nums[1:]:
        current = max(x, current + x)
        best = max(best, current)
    return best


PROBLEM = DemoProblem(
    slug="maximum-subarray",
    title="Maximum Subarray",
    difficulty=2,
    topics=("arrays", "dynamic-programming"),
    tags=("array", "dynamic-programming", "divide-and-conquer"),
    statement=STATEMENT,
    constraints="1 ≤ nums.length ≤ 10^5\n-10^4 ≤ nums[i] ≤ 10^4",
    hints=(
        "Checking every subarray is O(n²) or worse. What is the best sum that ENDS at index i?",
        "The best subarray ending at i either extends the best one ending at i - 1 or starts "
        "fresh at i.",
        "Kadane: current = max(x, current + x); best = max(best, current). Start both at nums[0] "
        "so an all-negative array works.",
    ),
    samples=(
        call([[-2, 1, -3, 4, -1, 2, 1, -5, 4]], 6, "[4, -1, 2, 1] sums to 6"),
        call([[5, 4, -1, 7, 8]], 23, "the whole array"),
    ),
    hidden=(
        call([[1]], 1, "a single element"),
        call([[-3, -1, -2]], -1, "all negative: the best is the largest single element"),
        call([[0, 0, 0]], 0),
        call([[-1, 3, -1, 3, -10, 4]], 5),
        call([[10000, -10000, 10000]], 10000),
        call([BIG], _kadane(BIG), "30 000 elements: O(n²) is too slow"),
    ),
    signature=signature("max_sub_array", [("nums", "int[]")], "int"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
