"""Edit Distance: a two-dimensional table over prefixes, kept one row at a time."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

A = "".join("acgt"[(i * i + 3 * i) % 4] for i in range(400))
B = "".join("acgt"[(i * 5 + i // 7) % 4] for i in range(380))


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        diag, row[0] = row[0], i
        for j, cb in enumerate(b, start=1):
            diag, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diag + (ca != cb))
    return row[-1]


STATEMENT = """\
Return the **minimum number of single-character edits** that turn `word1` into `word2`. An
edit inserts a character, deletes a character or replaces one character with another.

This is the Levenshtein distance, used by spell checkers and DNA alignment.

### Example

```
word1 = "horse", word2 = "ros"  →  3
  horse → rorse   (replace h with r)
  rorse → rose    (delete r)
  rose  → ros     (delete e)
```
"""

PYTHON = """\
def min_distance(word1: str, word2: str) -> int:
    row = list(range(len(word2) + 1))
    for i, a in enumerate(word1, start=1):
        diag, row[0] = row[0], i
        for j, b in enumerate(word2, start=1):
            diag, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diag + (a != b))
    return row[-1]
"""

CPP = """\
int minDistance(string word1, string word2) {
    int m = word1.size(), n = word2.size();
    vector<int> row(n + 1);
    iota(row.begin(), row.end(), 0);
    for (int i = 1; i <= m; i++) {
        int diag = row[0];
        row[0] = i;
        for (int j = 1; j <= n; j++) {
            int up = row[j];
            row[j] = min({row[j] + 1, row[j - 1] + 1, diag + (word1[i - 1] != word2[j - 1])});
            diag = up;
        }
    }
    return row[n];
}
"""

JAVA = """\
class Solution {
    public int minDistance(String word1, String word2) {
        int m = word1.length(), n = word2.length();
        int[] row = new int[n + 1];
        for (int j = 0; j <= n; j++) row[j] = j;
        for (int i = 1; i <= m; i++) {
            int diag = row[0];
            row[0] = i;
            for (int j = 1; j <= n; j++) {
                int up = row[j];
                int replace = diag + (word1.charAt(i - 1) == word2.charAt(j - 1) ? 0 : 1);
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), replace);
                diag = up;
            }
        }
        return row[n];
    }
}
"""

JAVASCRIPT = """\
function minDistance(word1, word2) {
  const n = word2.length;
  const row = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= word1.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= n; j++) {
      const up = row[j];
      const replace = diag + (word1[i - 1] === word2[j - 1] ? 0 : 1);
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, replace);
      diag = up;
    }
  }
  return row[n];
}
"""

PROBLEM = DemoProblem(
    slug="edit-distance",
    title="Edit Distance",
    difficulty=3,
    topics=("dynamic-programming",),
    tags=("string", "dynamic-programming"),
    statement=STATEMENT,
    constraints="0 ≤ word1.length, word2.length ≤ 500\nlowercase English letters",
    hints=(
        "Solve it for prefixes: d[i][j] is the distance between the first i letters of word1 "
        "and the first j letters of word2.",
        "If the last letters match, d[i][j] = d[i-1][j-1]. Otherwise take 1 + the best of "
        "replace d[i-1][j-1], delete d[i-1][j] and insert d[i][j-1].",
        "The base cases are d[i][0] = i and d[0][j] = j. Each row only needs the previous row: "
        "O(min(m, n)) memory.",
    ),
    samples=(
        call(["horse", "ros"], 3, "replace h, delete r, delete e"),
        call(["intention", "execution"], 5),
    ),
    hidden=(
        call(["", ""], 0, "two empty words"),
        call(["", "abc"], 3, "insert everything"),
        call(["abc", ""], 3, "delete everything"),
        call(["same", "same"], 0),
        call(["kitten", "sitting"], 3),
        call(["abcdef", "azced"], 3),
        call([A, B], _distance(A, B), "400 × 380 letters"),
    ),
    signature=signature("min_distance", [("word1", "string"), ("word2", "string")], "int"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
