"""Product of Array Except Self: prefix and suffix products, no division."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

N = 30_000
ONES = [1 if i % 3 else -1 for i in range(N)]


def _expected(nums: list[int]) -> list[int]:
    negatives = sum(1 for x in nums if x < 0)
    return [(-1) ** (negatives - (x < 0)) for x in nums]


STATEMENT = """\
Given an integer array `nums`, return an array `answer` where `answer[i]` is the product of
every element of `nums` **except** `nums[i]`.

Do it in **O(n)** time and **without division** (the array may contain zeros). Every product
fits in a 32-bit integer.

### Example

```
[1, 2, 3, 4]  →  [24, 12, 8, 6]
```
"""

PYTHON = """\
def product_except_self(nums: list[int]) -> list[int]:
    n = len(nums)
    answer = [1] * n
    prefix = 1
    for i in range(n):
        answer[i] = prefix
        prefix *= nums[i]
    suffix = 1
    for i in range(n - 1, -1, -1):
        answer[i] *= suffix
        suffix *= nums[i]
    return answer
"""

CPP = """\
vector<int> productExceptSelf(vector<int>& nums) {
    int n = nums.size();
    vector<int> answer(n, 1);
    int prefix = 1;
    for (int i = 0; i < n; i++) { answer[i] = prefix; prefix *= nums[i]; }
    int suffix = 1;
    for (int i = n - 1; i >= 0; i--) { answer[i] *= suffix; suffix *= nums[i]; }
    return answer;
}
"""

JAVA = """\
class Solution {
    public int[] productExceptSelf(int[] nums) {
        int n = nums.length;
        int[] answer = new int[n];
        int prefix = 1;
        for (int i = 0; i < n; i++) { answer[i] = prefix; prefix *= nums[i]; }
        int suffix = 1;
        for (int i = n - 1; i >= 0; i--) { answer[i] *= suffix; suffix *= nums[i]; }
        return answer;
    }
}
"""

JAVASCRIPT = """\
function productExceptSelf(nums) {
  const n = nums.length;
  const answer = new Array(n).fill(1);
  let prefix = 1;
  for (let i = 0; i < n; i++) {
    answer[i] = prefix;
    prefix *= nums[i];
  }
  let suffix = 1;
  for (let i = n - 1; i >= 0; i--) {
    answer[i] *= suffix;
    suffix *= nums[i];
  }
  return answer;
}
"""

PROBLEM = DemoProblem(
    slug="product-of-array-except-self",
    title="Product of Array Except Self",
    difficulty=2,
    topics=("arrays",),
    tags=("array", "prefix-sum"),
    statement=STATEMENT,
    constraints="2 ≤ nums.length ≤ 10^5\n-30 ≤ nums[i] ≤ 30\nevery product fits in 32 bits",
    hints=(
        "answer[i] = (product of everything left of i) × (product of everything right of i).",
        "Compute the left products in one pass and the right products in a second pass.",
        "Store the left products in the answer array, then multiply in a running right product "
        "from the end: O(1) extra space.",
    ),
    samples=(
        call([[1, 2, 3, 4]], [24, 12, 8, 6]),
        call([[-1, 1, 0, -3, 3]], [0, 0, 9, 0, 0], "one zero: only its own slot is non-zero"),
    ),
    hidden=(
        call([[2, 3]], [3, 2], "two elements"),
        call([[0, 0]], [0, 0], "two zeros"),
        call([[0, 4, 5]], [20, 0, 0]),
        call([[-2, -3, 4]], [-12, -8, 6], "negative numbers"),
        call([[1, 1, 1, 1, 1]], [1, 1, 1, 1, 1]),
        call([ONES], _expected(ONES), "30 000 elements: O(n²) is too slow"),
    ),
    signature=signature("product_except_self", [("nums", "int[]")], "int[]"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
