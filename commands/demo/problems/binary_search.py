"""Binary Search: halve a sorted range until the target is found or the range is empty."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

BIG = list(range(-50_000, 100_000, 3))

STATEMENT = """\
Given an array `nums` of **distinct** integers sorted in ascending order and an integer
`target`, return the index of `target` in `nums`, or `-1` if it is not there.

Your algorithm must run in **O(log n)** time.

### Example

```
nums = [-1, 0, 3, 5, 9, 12], target = 9  →  4
nums = [-1, 0, 3, 5, 9, 12], target = 2  →  -1
```
"""

PYTHON = """\
def search(nums: list[int], target: int) -> int:
    lo, hi = 0, len(nums) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if nums[mid] == target:
            return mid
        if nums[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
"""

CPP = """\
int search(vector<int>& nums, int target) {
    int lo = 0, hi = (int)nums.size() - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (nums[mid] == target) return mid;
        if (nums[mid] < target) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}
"""

JAVA = """\
class Solution {
    public int search(int[] nums, int target) {
        int lo = 0, hi = nums.length - 1;
        while (lo <= hi) {
            int mid = lo + (hi - lo) / 2;
            if (nums[mid] == target) return mid;
            if (nums[mid] < target) lo = mid + 1; else hi = mid - 1;
        }
        return -1;
    }
}
"""

JAVASCRIPT = """\
function search(nums, target) {
  let lo = 0;
  let hi = nums.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (nums[mid] === target) return mid;
    if (nums[mid] < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
"""

PROBLEM = DemoProblem(
    slug="binary-search",
    title="Binary Search",
    difficulty=1,
    topics=("searching-sorting",),
    tags=("array", "binary-search"),
    statement=STATEMENT,
    constraints="1 ≤ nums.length ≤ 10^5\n-10^5 ≤ nums[i], target ≤ 10^5\nnums is sorted, distinct",
    hints=(
        "Compare target with the middle element. What does that tell you about each half?",
        "Keep an inclusive range [lo, hi] that could still contain the target.",
        "Loop while lo <= hi; move lo = mid + 1 or hi = mid - 1. Write mid = lo + (hi - lo) / 2 "
        "in languages where lo + hi could overflow.",
    ),
    samples=(
        call([[-1, 0, 3, 5, 9, 12], 9], 4),
        call([[-1, 0, 3, 5, 9, 12], 2], -1, "2 is not in the array"),
    ),
    hidden=(
        call([[5], 5], 0, "a single element"),
        call([[5], -5], -1),
        call([[1, 2, 3, 4, 5, 6, 7, 8], 1], 0, "the first element"),
        call([[1, 2, 3, 4, 5, 6, 7, 8], 8], 7, "the last element"),
        call([[1, 3, 5, 7], 100], -1, "above every element"),
        call([BIG, 99_997], len(BIG) - 1, "50 000 elements"),
        call([BIG, 1], (1 + 50_000) // 3),
    ),
    signature=signature("search", [("nums", "int[]"), ("target", "int")], "int"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
