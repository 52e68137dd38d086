"""Linked List Cycle: Floyd's tortoise and hare over a list stored as `next` pointers."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

N = 50_000
LONG_CHAIN = [*range(1, N), -1]
LONG_LOOP = [*range(1, N), N // 2]
SHUFFLED = [(i * 7 + 3) % N for i in range(N)]

STATEMENT = """\
A singly linked list is stored in arrays, the way a memory pool stores nodes: node `i`'s
successor is `next[i]`, and `-1` means "no successor". The list starts at node `head`
(`-1` for an empty list).

Return `true` if following `next` from `head` ever comes back to a node already visited
(the list has a **cycle**), and `false` if it reaches the end.

Aim for **O(1) extra memory**: no set of visited nodes.

### Example

```
next = [1, 2, 3, 1], head = 0      0 → 1 → 2 → 3 → 1 → …   →  true
next = [1, 2, -1],   head = 0      0 → 1 → 2 → end          →  false
```
"""

PYTHON = """\
def has_cycle(next: list[int], head: int) -> bool:
    slow = fast = head
    while fast != -1 and next[fast] != -1:
        slow = next[slow]
        fast = next[next[fast]]
        if slow == fast:
            return True
    return False
"""

CPP = """\
bool hasCycle(vector<int>& next, int head) {
    int slow = head, fast = head;
    while (fast != -1 && next[fast] != -1) {
        slow = next[slow];
        fast = next[next[fast]];
        if (slow == fast) return true;
    }
    return false;
}
"""

JAVA = """\
class Solution {
    public boolean hasCycle(int[] next, int head) {
        int slow = head, fast = head;
        while (fast != -1 && next[fast] != -1) {
            slow = next[slow];
            fast = next[next[fast]];
            if (slow == fast) return true;
        }
        return false;
    }
}
"""

JAVASCRIPT = """\
function hasCycle(next, head) {
  let slow = head;
  let fast = head;
  while (fast !== -1 && next[fast] !== -1) {
    slow = next[slow];
    fast = next[next[fast]];
    if (slow === fast) return true;
  }
  return false;
}
"""

PROBLEM = DemoProblem(
    slug="linked-list-cycle",
    title="Linked List Cycle",
    difficulty=1,
    topics=("linked-lists",),
    tags=("linked-list", "two-pointers"),
    statement=STATEMENT,
    constraints="0 ≤ next.length ≤ 10^5\n-1 ≤ next[i] < next.length\n-1 ≤ head < next.length",
    hints=(
        "A set of visited nodes works but costs O(n) memory. Can two pointers do better?",
        "Move one pointer one step at a time and another two steps at a time.",
        "If there is a cycle the fast pointer laps the slow one and they meet; otherwise the "
        "fast pointer reaches -1.",
    ),
    samples=(
        call([[1, 2, 3, 1], 0], True, "3 points back to 1"),
        call([[1, 2, -1], 0], False),
    ),
    hidden=(
        call([[], -1], False, "an empty list"),
        call([[-1], 0], False, "one node"),
        call([[0], 0], True, "one node pointing to itself"),
        call([[-1, 0, 1], 2], False, "the head is the last array slot"),
        call([[1, 0, 0, 2], 3], True, "the cycle does not include the head"),
        call([LONG_CHAIN, 0], False, "50 000 nodes in a chain"),
        call([LONG_LOOP, 0], True, "50 000 nodes, a cycle through the second half"),
        call([SHUFFLED, 5], True, "nodes scattered through the array"),
    ),
    signature=signature("has_cycle", [("next", "int[]"), ("head", "int")], "bool"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
