"""Number of Islands: flood fill each unvisited land cell with an explicit stack."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

CHECKER = [[(r + c) % 2 for c in range(40)] for r in range(40)]
SNAKE = [
    [1 if r % 2 == 0 or c == (0 if r % 4 == 1 else 199) else 0 for c in range(200)]
    for r in range(200)
]

STATEMENT = """\
`grid` is an `m × n` map where `1` is land and `0` is water. An **island** is a group of land
cells connected horizontally or vertically (not diagonally). Everything outside the grid is
water. Return the number of islands.

### Example

```
1 1 0 0 0
1 1 0 0 0
0 0 1 0 0
0 0 0 1 1      →  3
```
"""

PYTHON = """\
def num_islands(grid: list[list[int]]) -> int:
    rows, cols = len(grid), len(grid[0])
    seen = [[False] * cols for _ in range(rows)]
    islands = 0
    for r in range(rows):
        for c in range(cols):
            if grid[r][c] != 1 or seen[r][c]:
                continue
            islands += 1
            seen[r][c] = True
            stack = [(r, c)]
            while stack:
                y, x = stack.pop()
                for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                    if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] == 1 and not seen[ny][nx]:
                        seen[ny][nx] = True
                        stack.append((ny, nx))
    return islands
"""

CPP = """\
int numIslands(vector<vector<int>>& grid) {
    int rows = grid.size(), cols = grid[0].size(), islands = 0;
    const int dy[] = {1, -1, 0, 0}, dx[] = {0, 0, 1, -1};
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            if (grid[r][c] != 1) continue;
            islands++;
            grid[r][c] = 2;
            vector<pair<int, int>> stack = {{r, c}};
            while (!stack.empty()) {
                auto [y, x] = stack.back();
                stack.pop_back();
                for (int k = 0; k < 4; k++) {
                    int ny = y + dy[k], nx = x + dx[k];
                    if (ny >= 0 && ny < rows && nx >= 0 && nx < cols && grid[ny][nx] == 1) {
                        grid[ny][nx] = 2;
                        stack.push_back({ny, nx});
                    }
                }
            }
        }
    return islands;
}
"""

JAVA = """\
class Solution {
    public int numIslands(int[][] grid) {
        int rows = grid.length, cols = grid[0].length, islands = 0;
        int[] dy = {1, -1, 0, 0}, dx = {0, 0, 1, -1};
        Deque<int[]> stack = new ArrayDeque<>();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                if (grid[r][c] != 1) continue;
                islands++;
                grid[r][c] = 2;
                stack.push(new int[] {r, c});
                while (!stack.isEmpty()) {
                    int[] cell = stack.pop();
                    for (int k = 0; k < 4; k++) {
                        int ny = cell[0] + dy[k], nx = cell[1] + dx[k];
                        if (ny >= 0 && ny < rows && nx >= 0 && nx < cols && grid[ny][nx] == 1) {
                            grid[ny][nx] = 2;
                            stack.push(new int[] {ny, nx});
                        }
                    }
                }
            }
        return islands;
    }
}
"""

JAVASCRIPT = """\
function numIslands(grid) {
  const rows = grid.length;
  const cols = grid[0].length;
  let islands = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (grid[r][c] !== 1) continue;
      islands++;
      grid[r][c] = 2;
      const stack = [[r, c]];
      while (stack.length) {
        const [y, x] = stack.pop();
        for (const [ny, nx] of [[y + 1, x], [y - 1, x], [y, x + 1], [y, x - 1]]) {
          if (ny >= 0 && ny < rows && nx >= 0 && nx < cols && grid[ny][nx] === 1) {
            grid[ny][nx] = 2;
            stack.push([ny, nx]);
          }
        }
      }
    }
  }
  return islands;
}
"""

PROBLEM = DemoProblem(
    slug="number-of-islands",
    title="Number of Islands",
    difficulty=2,
    topics=("graphs", "searching-sorting"),
    tags=("array", "matrix", "depth-first-search", "breadth-first-search"),
    statement=STATEMENT,
    constraints="1 ≤ m, n ≤ 300\ngrid[i][j] is 0 or 1",
    hints=(
        "The grid is a graph: each land cell is a node with up to four land neighbours.",
        "Scan every cell; an unvisited land cell starts a new island. Visit all the land "
        "reachable from it before you continue the scan.",
        "Use an explicit stack or queue for the flood fill: recursion can overflow on a "
        "300 × 300 island.",
    ),
    samples=(
        call([[[1, 1, 1, 1, 0], [1, 1, 0, 1, 0], [1, 1, 0, 0, 0], [0, 0, 0, 0, 0]]], 1),
        call([[[1, 1, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 1, 1]]], 3),
    ),
    hidden=(
        call([[[0]]], 0, "only water"),
        call([[[1]]], 1, "a single land cell"),
        call([[[1, 0, 1, 0, 1]]], 3, "a single row"),
        call([[[1], [1], [0], [1]]], 2, "a single column"),
        call([[[1, 0], [0, 1]]], 2, "diagonal cells are not connected"),
        call([CHECKER], 800, "a 40 × 40 checkerboard"),
        call([SNAKE], 1, "one 200 × 200 winding island: deep recursion overflows"),
    ),
    signature=signature("num_islands", [("grid", "int[][]")], "int"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
