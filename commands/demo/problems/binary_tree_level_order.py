"""Binary Tree Level Order Traversal: breadth-first search with a queue, level by level."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

DEPTH = 14
FULL = (1 << DEPTH) - 1  # a complete tree of 16 383 nodes in heap order


def _heap_tree(n: int) -> tuple[list[int], list[int], list[int]]:
    left = [2 * i + 1 if 2 * i + 1 < n else -1 for i in range(n)]
    right = [2 * i + 2 if 2 * i + 2 < n else -1 for i in range(n)]
    return list(range(n)), left, right


def _heap_levels(n: int) -> list[list[int]]:
    return [list(range((1 << d) - 1, min((1 << (d + 1)) - 1, n))) for d in range(n.bit_length())]


CHAIN = 3000
CHAIN_VALUES = [i % 100 for i in range(CHAIN)]
CHAIN_LEFT = [i + 1 if i + 1 < CHAIN else -1 for i in range(CHAIN)]

STATEMENT = """\
A binary tree with `n` nodes is given as three arrays: node `i` holds the value `values[i]`,
its left child is node `left[i]` and its right child is node `right[i]` (`-1` means no child).
Node `0` is the root; an empty tree has `n = 0`.

Return the values **level by level**, from the root down, each level from left to right.

### Example

```
        3
       / \\
      9   20
         /  \\
        15   7

values = [3, 9, 20, 15, 7]
left   = [1, -1, 3, -1, -1]
right  = [2, -1, 4, -1, -1]      →  [[3], [9, 20], [15, 7]]
```
"""

PYTHON = """\
from collections import deque


def level_order(values: list[int], left: list[int], right: list[int]) -> list[list[int]]:
    if not values:
        return []
    levels: list[list[int]] = []
    queue = deque([0])
    while queue:
        level = []
        for _ in range(len(queue)):
            node = queue.popleft()
            level.append(values[node])
            for child in (left[node], right[node]):
                if child != -1:
                    queue.append(child)
        levels.append(level)
    return levels
"""

CPP = """\
vector<vector<int>> levelOrder(vector<int>& values, vector<int>& left, vector<int>& right) {
    vector<vector<int>> levels;
    if (values.empty()) return levels;
    queue<int> q;
    q.push(0);
    while (!q.empty()) {
        vector<int> level;
        for (size_t k = q.size(); k > 0; k--) {
            int node = q.front();
            q.pop();
            level.push_back(values[node]);
            if (left[node] != -1) q.push(left[node]);
            if (right[node] != -1) q.push(right[node]);
        }
        levels.push_back(level);
    }
    return levels;
}
"""

JAVA = """\
class Solution {
    public List<List<Integer>> levelOrder(int[] values, int[] left, int[] right) {
        List<List<Integer>> levels = new ArrayList<>();
        if (values.length == 0) return levels;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(0);
        while (!queue.isEmpty()) {
            List<Integer> level = new ArrayList<>();
            for (int k = queue.size(); k > 0; k--) {
                int node = queue.poll();
                level.add(values[node]);
                if (left[node] != -1) queue.add(left[node]);
                if (right[node] != -1) queue.add(right[node]);
            }
            levels.add(level);
        }
        return levels;
    }
}
"""

JAVASCRIPT = """\
function levelOrder(values, left, right) {
  if (values.length === 0) return [];
  const levels = [];
  let current = [0];
  while (current.length) {
    levels.push(current.map((node) => values[node]));
    const next = [];
    for (const node of current) {
      if (left[node] !== -1) next.push(left[node]);
      if (right[node] !== -1) next.push(right[node]);
    }
    current = next;
  }
  return levels;
}
"""

PROBLEM = DemoProblem(
    slug="binary-tree-level-order-traversal",
    title="Binary Tree Level Order Traversal",
    difficulty=2,
    topics=("trees", "stacks-queues"),
    tags=("tree", "breadth-first-search", "queue"),
    statement=STATEMENT,
    constraints=(
        "0 ≤ n ≤ 2·10^4\n-1000 ≤ values[i] ≤ 1000\nthe arrays describe one tree rooted at 0"
    ),
    hints=(
        "Depth-first traversals mix the levels up. Which data structure visits nodes in the "
        "order they were discovered?",
        "A queue: start with the root; take a node out, put its children in.",
        "To separate the levels, remember the queue's size at the start of each level and take "
        "exactly that many nodes.",
    ),
    samples=(
        call([[3, 9, 20, 15, 7], [1, -1, 3, -1, -1], [2, -1, 4, -1, -1]], [[3], [9, 20], [15, 7]]),
        call([[1], [-1], [-1]], [[1]], "a single node"),
    ),
    hidden=(
        call([[], [], []], [], "an empty tree"),
        call([[1, 2, 3], [-1, -1, -1], [1, 2, -1]], [[1], [2], [3]], "a right-leaning chain"),
        call([[5, 4, 6, -2], [1, 3, -1, -1], [2, -1, -1, -1]], [[5], [4, 6], [-2]]),
        call(
            [[0, 1, 2, 3, 4], [3, -1, -1, -1, -1], [4, -1, -1, 2, 1]],
            [[0], [3, 4], [2, 1]],
            "children stored anywhere in the arrays",
        ),
        call([*_heap_tree(7)], _heap_levels(7), "a complete tree of 7 nodes"),
        call([*_heap_tree(FULL)], _heap_levels(FULL), "16 383 nodes"),
        call(
            [CHAIN_VALUES, CHAIN_LEFT, [-1] * CHAIN],
            [[v] for v in CHAIN_VALUES],
            "a 3 000-deep chain: recursion may overflow",
        ),
    ),
    signature=signature(
        "level_order", [("values", "int[]"), ("left", "int[]"), ("right", "int[]")], "int[][]"
    ),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
