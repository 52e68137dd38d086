"""Coin Change: the fewest coins for every amount up to the target, bottom-up."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

STATEMENT = """\
You have coins of the denominations in `coins` (an unlimited number of each). Return the
**fewest** coins that add up to exactly `amount`, or `-1` if no combination does.

### Example

```
coins = [1, 2, 5], amount = 11  →  3      (5 + 5 + 1)
coins = [2],       amount = 3   →  -1
```
"""

PYTHON = """\
def coin_change(coins: list[int], amount: int) -> int:
    inf = amount + 1
    best = [0] + [inf] * amount
    for value in range(1, amount + 1):
        for coin in coins:
            if coin <= value and best[value - coin] + 1 < best[value]:
                best[value] = best[value - coin] + 1
    return best[amount] if best[amount] <= amount else -1
"""

CPP = """\
int coinChange(vector<int>& coins, int amount) {
    vector<int> best(amount + 1, amount + 1);
    best[0] = 0;
    for (int value = 1; value <= amount; value++)
        for (int coin : coins)
            if (coin <= value) best[value] = min(best[value], best[value - coin] + 1);
    return best[amount] <= amount ? best[amount] : -1;
}
"""

JAVA = """\
class Solution {
    public int coinChange(int[] coins, int amount) {
        int[] best = new int[amount + 1];
        Arrays.fill(best, amount + 1);
        best[0] = 0;
        for (int value = 1; value <= amount; value++)
            for (int coin : coins)
                if (coin <= value) best[value] = Math.min(best[value], best[value - coin] + 1);
        return best[amount] <= amount ? best[amount] : -1;
    }
}
"""

JAVASCRIPT = """\
function coinChange(coins, amount) {
  const best = new Array(amount + 1).fill(amount + 1);
  best[0] = 0;
  for (let value = 1; value <= amount; value++) {
    for (const coin of coins) {
      if (coin <= value) best[value] = Math.min(best[value], best[value - coin] + 1);
    }
  }
  return best[amount] <= amount ? best[amount] : -1;
}
"""

PROBLEM = DemoProblem(
    slug="coin-change",
    title="Coin Change",
    difficulty=2,
    topics=("dynamic-programming",),
    tags=("array", "dynamic-programming", "breadth-first-search"),
    statement=STATEMENT,
    constraints="1 ≤ coins.length ≤ 12\n1 ≤ coins[i] ≤ 2^31 - 1\n0 ≤ amount ≤ 10^4",
    hints=(
        "Greedy (always the largest coin that fits) fails: coins [1, 3, 4], amount 6 → 3+3, "
        "not 4+1+1.",
        "fewest(a) = 1 + min over coins c ≤ a of fewest(a - c), with fewest(0) = 0.",
        "Fill an array for every amount from 1 up to the target; mark unreachable amounts with "
        "a sentinel larger than any real answer.",
    ),
    samples=(
        call([[1, 2, 5], 11], 3, "5 + 5 + 1"),
        call([[2], 3], -1, "odd amounts are unreachable with 2s"),
    ),
    hidden=(
        call([[1], 0], 0, "amount 0 needs no coins"),
        call([[1, 3, 4], 6], 2, "greedy would give 3 coins"),
        call([[2147483647], 2], -1, "a coin larger than the amount"),
        call([[186, 419, 83, 408], 6249], 20),
        call([[7], 10000], -1),
        call([[1, 5, 10, 25], 10000], 400, "the largest amount"),
    ),
    signature=signature("coin_change", [("coins", "int[]"), ("amount", "int")], "int"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
