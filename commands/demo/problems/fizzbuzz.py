"""FizzBuzz: loops, the modulo operator and reading input from stdin."""

from __future__ import annotations

from commands.demo.model import DemoProblem, stdio


def _fizzbuzz(n: int) -> str:
    words = []
    for i in range(1, n + 1):
        word = ("Fizz" if i % 3 == 0 else "") + ("Buzz" if i % 5 == 0 else "")
        words.append(word or str(i))
    return "\n".join(words) + "\n"


STATEMENT = """\
Read an integer `n` from standard input and print the numbers from `1` to `n`, one per line,
except that:

- multiples of **3** print `Fizz` instead of the number,
- multiples of **5** print `Buzz`,
- multiples of **both** 3 and 5 print `FizzBuzz`.

This problem reads **standard input** and writes **standard output**: your program is a
whole program, not a function.

### Example

Input `5` prints:

```
1
2
Fizz
4
Buzz
```
"""

PYTHON = """\
n = int(input())
for i in range(1, n + 1):
    if i % 15 == 0:
        print("FizzBuzz")
    elif i % 3 == 0:
        print("Fizz")
    elif i % 5 == 0:
        print("Buzz")
    else:
        print(i)
"""

CPP = """\
#include <iostream>
#include <string>
using namespace std;

int main() {
    int n;
    cin >> n;
    string out;
    for (int i = 1; i <= n; i++) {
        if (i % 15 == 0) out += "FizzBuzz";
        else if (i % 3 == 0) out += "Fizz";
        else if (i % 5 == 0) out += "Buzz";
        else out += to_string(i);
        out += '\\n';
    }
    cout << out;
}
"""

JAVA = """\
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        int n = new Scanner(System.in).nextInt();
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            if (i % 15 == 0) out.append("FizzBuzz");
            else if (i % 3 == 0) out.append("Fizz");
            else if (i % 5 == 0) out.append("Buzz");
            else out.append(i);
            out.append('\\n');
        }
        System.out.print(out);
    }
}
"""

JAVASCRIPT = """\
const n = Number(require("fs").readFileSync(0, "utf8").trim());
const lines = [];
for (let i = 1; i <= n; i++) {
  if (i % 15 === 0) lines.push("FizzBuzz");
  else if (i % 3 === 0) lines.push("Fizz");
  else if (i % 5 === 0) lines.push("Buzz");
  else lines.push(String(i));
}
console.log(lines.join("\\n"));
"""

STARTERS = {
    "python3.10": "n = int(input())\n# Print the numbers from 1 to n, Fizz/Buzz/FizzBuzz style\n",
    "cpp17": (
        "#include <iostream>\nusing namespace std;\n\nint main() {\n    int n;\n    cin >> n;\n"
        "    // Print the numbers from 1 to n, Fizz/Buzz/FizzBuzz style\n    return 0;\n}\n"
    ),
    "java17": (
        "import java.util.Scanner;\n\npublic class Main {\n"
        "    public static void main(String[] args) {\n"
        "        int n = new Scanner(System.in).nextInt();\n"
        "        // Print the numbers from 1 to n, Fizz/Buzz/FizzBuzz style\n    }\n}\n"
    ),
    "javascript": (
        'const n = Number(require("fs").readFileSync(0, "utf8").trim());\n'
        "// Print the numbers from 1 to n, Fizz/Buzz/FizzBuzz style\n"
    ),
}

PROBLEM = DemoProblem(
    slug="fizzbuzz",
    title="FizzBuzz",
    difficulty=1,
    topics=("python", "javascript"),
    tags=("math", "simulation", "stdin"),
    statement=STATEMENT,
    input_format="One line with the integer n.",
    output_format="n lines: the number, Fizz, Buzz or FizzBuzz.",
    constraints="1 ≤ n ≤ 10^5",
    hints=(
        "The remainder operator % tells you whether i is a multiple: i % 3 == 0.",
        "Test 'multiple of both' (i % 15 == 0) before the single cases, or build the word from "
        "two parts.",
        "For large n, collect the lines and print once: one big write is much faster than "
        "100 000 small ones.",
    ),
    samples=(stdio("5\n", _fizzbuzz(5)), stdio("15\n", _fizzbuzz(15))),
    hidden=(
        stdio("1\n", "1\n", "the smallest n"),
        stdio("3\n", _fizzbuzz(3)),
        stdio("30\n", _fizzbuzz(30)),
        stdio("99\n", _fizzbuzz(99)),
        stdio("100000\n", _fizzbuzz(100000), "large output: print efficiently"),
    ),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
    starter_code=STARTERS,
)
