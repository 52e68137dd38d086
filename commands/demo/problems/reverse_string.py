"""Reverse String: two pointers swap from both ends toward the middle."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

LONG = "".join(chr(ord("a") + (i * 7) % 26) for i in range(50_000))

STATEMENT = """\
Return the string `s` reversed.

Try it without a built-in "reverse": turn the string into an array of characters and swap
`a[i]` with `a[n - 1 - i]` using two pointers that walk toward the middle. That is O(n) time
and O(1) extra space beyond the array.

### Example

```
"hello"  →  "olleh"
```
"""

PYTHON = """\
def reverse_string(s: str) -> str:
    chars = list(s)
    i, j = 0, len(chars) - 1
    while i < j:
        chars[i], chars[j] = chars[j], chars[i]
        i, j = i + 1, j - 1
    return "".join(chars)
"""

CPP = """\
string reverseString(string s) {
    int i = 0, j = (int)s.size() - 1;
    while (i < j) swap(s[i++], s[j--]);
    return s;
}
"""

JAVA = """\
class Solution {
    public String reverseString(String s) {
        char[] a = s.toCharArray();
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            char t = a[i]; a[i] = a[j]; a[j] = t;
        }
        return new String(a);
    }
}
"""

JAVASCRIPT = """\
function reverseString(s) {
  const a = s.split("");
  for (let i = 0, j = a.length - 1; i < j; i++, j--) [a[i], a[j]] = [a[j], a[i]];
  return a.join("");
}
"""

PROBLEM = DemoProblem(
    slug="reverse-string",
    title="Reverse String",
    difficulty=1,
    topics=("arrays", "python"),
    tags=("string", "two-pointers"),
    statement=STATEMENT,
    constraints="0 ≤ s.length ≤ 10^5\ns consists of printable ASCII characters",
    hints=(
        "The first character ends up last, the second ends up second-to-last, …",
        "Use two indices, one at each end, and swap the characters they point at.",
        "Stop when the indices meet; an odd-length string keeps its middle character.",
    ),
    samples=(
        call(["hello"], "olleh"),
        call(["Hannah"], "hannaH", "case is kept"),
    ),
    hidden=(
        call([""], "", "the empty string"),
        call(["a"], "a"),
        call(["ab"], "ba"),
        call(["A man, a plan!"], "!nalp a ,nam A", "spaces and punctuation"),
        call(['say "hi"\\\\'], '\\\\"ih" yas', "quotes and backslashes"),
        call([LONG], LONG[::-1], "50 000 characters"),
    ),
    signature=signature("reverse_string", [("s", "string")], "string"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
