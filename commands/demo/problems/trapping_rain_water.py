"""Trapping Rain Water: two pointers carry the highest wall seen from each side."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

N = 50_000
BIG = [(i * 7_919) % 1_000 if i % 97 else 5_000 for i in range(N)]


def _water(height: list[int]) -> int:
    best_left, best_right = [0] * len(height), [0] * len(height)
    top = 0
    for i, h in enumerate(height):
        top = max(top, h)
        best_left[i] = top
    top = 0
    for i in range(len(height) - 1, -1, -1):
        top = max(top, height[i])
        best_right[i] = top
    return sum(min(a, b) - h for a, b, h in zip(best_left, best_right, height, strict=True))


STATEMENT = """\
`height[i]` is the height of a bar of width 1. After it rains, water collects between the
bars. How many units of water are trapped?

The water above bar `i` reaches the **lower** of the highest bar on its left and the highest
bar on its right: `min(maxLeft, maxRight) - height[i]`.

### Example

```
height = [0, 1, 0, 2, 1, 0, 1, 3, 2, 1, 2, 1]  →  6
```
"""

PYTHON = """\
def trap(height: list[int]) -> int:
    i, j = 0, len(height) - 1
    left_max = right_max = water = 0
    while i < j:
        if height[i] < height[j]:
            left_max = max(left_max, height[i])
            water += left_max - height[i]
            i += 1
        else:
            right_max = max(right_max, height[j])
            water += right_max - height[j]
            j -= 1
    return water
"""

CPP = """\
long long trap(vector<int>& height) {
    int i = 0, j = (int)height.size() - 1, leftMax = 0, rightMax = 0;
    long long water = 0;
    while (i < j) {
        if (height[i] < height[j]) {
            leftMax = max(leftMax, height[i]);
            water += leftMax - height[i++];
        } else {
            rightMax = max(rightMax, height[j]);
            water += rightMax - height[j--];
        }
    }
    return water;
}
"""

JAVA = """\
class Solution {
    public long trap(int[] height) {
        int i = 0, j = height.length - 1, leftMax = 0, rightMax = 0;
        long water = 0;
        while (i < j) {
            if (height[i] < height[j]) {
                leftMax = Math.max(leftMax, height[i]);
                water += leftMax - height[i++];
            } else {
                rightMax = Math.max(rightMax, height[j]);
                water += rightMax - height[j--];
            }
        }
        return water;
    }
}
"""

JAVASCRIPT = """\
function trap(height) {
  let i = 0;
  let j = height.length - 1;
  let leftMax = 0;
  let rightMax = 0;
  let water = 0;
  while (i < j) {
    if (height[i] < height[j]) {
      leftMax = Math.max(leftMax, height[i]);
      water += leftMax - height[i++];
    } else {
      rightMax = Math.max(rightMax, height[j]);
      water += rightMax - height[j--];
    }
  }
  return water;
}
"""

PROBLEM = DemoProblem(
    slug="trapping-rain-water",
    title="Trapping Rain Water",
    difficulty=3,
    topics=("arrays", "stacks-queues"),
    tags=("array", "two-pointers", "dynamic-programming", "monotonic-stack"),
    statement=STATEMENT,
    constraints="1 ≤ height.length ≤ 10^5\n0 ≤ height[i] ≤ 10^5\nthe answer may exceed 32 bits",
    hints=(
        "Look at one bar at a time: how high can the water above it rise?",
        "Precompute the highest bar to the left and to the right of every position "
        "(two passes, O(n) memory).",
        "Two pointers do it in O(1) memory: the side with the lower wall is limited by its own "
        "running maximum, so move that side inward.",
    ),
    samples=(
        call([[0, 1, 0, 2, 1, 0, 1, 3, 2, 1, 2, 1]], 6),
        call([[4, 2, 0, 3, 2, 5]], 9),
    ),
    hidden=(
        call([[5]], 0, "a single bar"),
        call([[1, 2, 3, 4]], 0, "rising bars hold no water"),
        call([[3, 0, 3]], 3),
        call([[2, 2, 2]], 0, "a flat surface"),
        call([[5, 0, 0, 0, 0, 1]], 4, "the lower wall decides"),
        call([[100000, *([0] * 49998), 100000]], 100000 * 49998, "water beyond 32 bits"),
        call([BIG], _water(BIG), "50 000 bars: O(n²) is too slow"),
    ),
    signature=signature("trap", [("height", "int[]")], "long"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
