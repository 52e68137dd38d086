"""Valid Parentheses: a stack matches every closing bracket with the latest opener."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

STATEMENT = """\
Given a string `s` made only of the characters `(`, `)`, `{`, `}`, `[` and `]`, decide whether
it is **valid**:

1. every opening bracket is closed by a bracket of the same type;
2. brackets close in the right order (the most recently opened closes first);
3. every closing bracket has a matching opening bracket.

Return `true` or `false`.

### Examples

```
"()[]{}"  →  true
"(]"      →  false
"([)]"    →  false     (the "[" must close before the ")")
```
"""

PYTHON = """\
def is_valid(s: str) -> bool:
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for ch in s:
        if ch in pairs:
            if not stack or stack.pop() != pairs[ch]:
                return False
        else:
            stack.append(ch)
    return not stack
"""

CPP = """\
bool isValid(string s) {
    stack<char> open;
    for (char c : s) {
        if (c == '(' || c == '[' || c == '{') { open.push(c); continue; }
        char want = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (open.empty() || open.top() != want) return false;
        open.pop();
    }
    return open.empty();
}
"""

JAVA = """\
class Solution {
    public boolean isValid(String s) {
        Deque<Character> open = new ArrayDeque<>();
        for (char c : s.toCharArray()) {
            if (c == '(' || c == '[' || c == '{') { open.push(c); continue; }
            char want = c == ')' ? '(' : c == ']' ? '[' : '{';
            if (open.isEmpty() || open.pop() != want) return false;
        }
        return open.isEmpty();
    }
}
"""

JAVASCRIPT = """\
function isValid(s) {
  const pairs = { ")": "(", "]": "[", "}": "{" };
  const stack = [];
  for (const ch of s) {
    if (ch in pairs) {
      if (stack.pop() !== pairs[ch]) return false;
    } else {
      stack.push(ch);
    }
  }
  return stack.length === 0;
}
"""

PROBLEM = DemoProblem(
    slug="valid-parentheses",
    title="Valid Parentheses",
    difficulty=1,
    topics=("stacks-queues",),
    tags=("string", "stack"),
    statement=STATEMENT,
    constraints="1 ≤ s.length ≤ 10^4\ns consists only of the characters ()[]{}",
    hints=(
        "Which opening bracket must the next closing bracket match?",
        "Keep the unmatched opening brackets in a stack; the top is the one that must close next.",
        "On a closing bracket, pop and compare; at the end the stack must be empty.",
    ),
    samples=(
        call(["()[]{}"], True),
        call(["(]"], False, "a round bracket cannot be closed by a square one"),
    ),
    hidden=(
        call(["([)]"], False, "crossed pairs"),
        call(["{[]}"], True),
        call(["("], False, "an opener never closed"),
        call(["]"], False, "a closer with nothing open"),
        call(["(((((((((())))))))))"], True),
        call(["(){}}{"], False),
        call(["[" * 5000 + "]" * 5000], True, "10 000 characters deep"),
    ),
    signature=signature("is_valid", [("s", "string")], "bool"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
