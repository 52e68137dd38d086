"""Range Sum Queries: prefix sums answer each query in O(1); read fast, write once."""

from __future__ import annotations

from commands.demo.model import DemoProblem, stdio


def _case(values: list[int], queries: list[tuple[int, int]]) -> tuple[str, str]:
    prefix = [0]
    for v in values:
        prefix.append(prefix[-1] + v)
    lines = [str(len(values)), " ".join(map(str, values)), str(len(queries))]
    lines += [f"{lo} {hi}" for lo, hi in queries]
    answers = [str(prefix[hi + 1] - prefix[lo]) for lo, hi in queries]
    return "\n".join(lines) + "\n", "\n".join(answers) + "\n"


N = 20_000
BIG_VALUES = [(i * 999_983) % 2_000_000_001 - 1_000_000_000 for i in range(N)]
BIG_QUERIES = [((i * 7919) % N, N - 1 - (i * 104_729) % (N - (i * 7919) % N)) for i in range(N)]

STATEMENT = """\
You are given an array of `n` integers and `q` queries. Each query is a pair `l r`
(0-based, inclusive): print the sum `a[l] + a[l+1] + … + a[r]`.

With up to 10^5 queries over 10^5 numbers, adding each range up is O(n·q) — far too slow.
Build **prefix sums** once (`prefix[i]` = sum of the first `i` numbers) and answer each
query as `prefix[r + 1] - prefix[l]`. Sums reach 10^14: use 64-bit integers.

This problem reads **standard input** and writes **standard output**.
"""

INPUT_FORMAT = """\
Line 1: n
Line 2: n integers a[0] … a[n-1]
Line 3: q
Next q lines: two integers l r"""

PYTHON = """\
import sys


def main() -> None:
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    prefix = [0] * (n + 1)
    for i in range(n):
        prefix[i + 1] = prefix[i] + int(data[1 + i])
    q = int(data[1 + n])
    out = []
    pos = 2 + n
    for _ in range(q):
        lo, hi = int(data[pos]), int(data[pos + 1])
        pos += 2
        out.append(prefix[hi + 1] - prefix[lo])
    sys.stdout.write("\\n".join(map(str, out)) + "\\n")


main()
"""

CPP = """\
#include <cstdio>
#include <vector>
using namespace std;

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    vector<long long> prefix(n + 1, 0);
    for (int i = 0; i < n; i++) {
        long long x;
        scanf("%lld", &x);
        prefix[i + 1] = prefix[i] + x;
    }
    int q;
    scanf("%d", &q);
    while (q--) {
        int l, r;
        scanf("%d %d", &l, &r);
        printf("%lld\\n", prefix[r + 1] - prefix[l]);
    }
}
"""

JAVA = """\
import java.io.*;
import java.util.*;

public class Main {
    public static void main(String[] args) throws IOException {
        StreamTokenizer in = new StreamTokenizer(new BufferedInputStream(System.in));
        in.resetSyntax();
        in.wordChars('-', '-');
        in.wordChars('0', '9');
        in.whitespaceChars(0, ' ');
        in.nextToken();
        int n = Integer.parseInt(in.sval);
        long[] prefix = new long[n + 1];
        for (int i = 0; i < n; i++) {
            in.nextToken();
            prefix[i + 1] = prefix[i] + Long.parseLong(in.sval);
        }
        in.nextToken();
        int q = Integer.parseInt(in.sval);
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < q; k++) {
            in.nextToken();
            int l = Integer.parseInt(in.sval);
            in.nextToken();
            int r = Integer.parseInt(in.sval);
            out.append(prefix[r + 1] - prefix[l]).append('\\n');
        }
        System.out.print(out);
    }
}
"""

JAVASCRIPT = """\
const data = require("fs").readFileSync(0, "utf8").split(/\\s+/).filter(Boolean);
let pos = 0;
const n = Number(data[pos++]);
const prefix = new Array(n + 1).fill(0);
for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + Number(data[pos++]);
const q = Number(data[pos++]);
const out = [];
for (let k = 0; k < q; k++) {
  const l = Number(data[pos++]);
  const r = Number(data[pos++]);
  out.push(prefix[r + 1] - prefix[l]);
}
console.log(out.join("\\n"));
"""

STARTERS = {
    "python3.10": (
        "import sys\n\ndata = sys.stdin.read().split()\n"
        "# data[0] is n, then n numbers, then q, then q pairs l r\n"
    ),
    "cpp17": (
        "#include <cstdio>\n#include <vector>\nusing namespace std;\n\nint main() {\n"
        '    int n;\n    scanf("%d", &n);\n    // read the numbers, then answer the queries\n'
        "    return 0;\n}\n"
    ),
    "java17": (
        "import java.io.*;\nimport java.util.*;\n\npublic class Main {\n"
        "    public static void main(String[] args) throws IOException {\n"
        "        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));\n"
        "        // read n, the numbers, q, then answer the queries\n    }\n}\n"
    ),
    "javascript": (
        'const data = require("fs").readFileSync(0, "utf8").split(/\\s+/).filter(Boolean);\n'
        "// data[0] is n, then n numbers, then q, then q pairs l r\n"
    ),
}

_SAMPLE = _case([3, -1, 4, 1, 5], [(0, 4), (1, 3), (2, 2)])

PROBLEM = DemoProblem(
    slug="range-sum-queries",
    title="Range Sum Queries",
    difficulty=2,
    topics=("arrays",),
    tags=("array", "prefix-sum", "stdin"),
    statement=STATEMENT,
    input_format=INPUT_FORMAT,
    output_format="q lines: the sum of each queried range.",
    constraints="1 ≤ n, q ≤ 10^5\n-10^9 ≤ a[i] ≤ 10^9\n0 ≤ l ≤ r < n",
    hints=(
        "Summing each range separately costs O(n) per query. What could you precompute once?",
        "prefix[i] = a[0] + … + a[i-1]; then sum(l..r) = prefix[r+1] - prefix[l].",
        "Sums overflow 32-bit integers; read the whole input at once and print once.",
    ),
    samples=(
        stdio(*_SAMPLE, "3-1+4+1+5 = 12, -1+4+1 = 4, and 4"),
        stdio(*_case([10], [(0, 0)])),
    ),
    hidden=(
        stdio(*_case([0, 0, 0], [(0, 2), (1, 1)]), "zeros"),
        stdio(*_case([-5, -5, -5, -5], [(0, 3), (0, 0), (3, 3)]), "negative numbers"),
        stdio(*_case([10**9] * 6, [(0, 5), (2, 4)]), "sums beyond 32 bits"),
        stdio(*_case([1, 2, 3, 4, 5, 6, 7, 8], [(i, j) for i in range(8) for j in range(i, 8)])),
        stdio(*_case([-(10**9), 10**9] * 3, [(0, 5), (1, 4), (0, 0)])),
        stdio(*_case(BIG_VALUES, BIG_QUERIES), "20 000 numbers and 20 000 queries"),
    ),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
    starter_code=STARTERS,
)
