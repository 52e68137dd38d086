"""Java harness: the learner's `class Solution` and a generated `public class Main` (JSON I/O)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from judge.harness import function_name, parse_type

if TYPE_CHECKING:
    from judge.grading import HarnessSpec

IMPORTS = "import java.util.*;import java.util.function.*;import java.io.*;"

RUNTIME = r"""
public class Main {
  static String src; static int pos;
  static char at() { if (pos >= src.length()) throw new RuntimeException("bad JSON input");
    return src.charAt(pos); }
  static void ws() { while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++; }
  static Object value() {
    ws(); char c = at();
    if (c == '[') {
      pos++; List<Object> a = new ArrayList<>(); ws();
      if (at() == ']') { pos++; return a; }
      while (true) { a.add(value()); ws(); char d = at(); pos++;
        if (d == ']') return a; if (d != ',') throw new RuntimeException("bad JSON array"); }
    }
    if (c == '"') return str();
    if (src.startsWith("true", pos)) { pos += 4; return Boolean.TRUE; }
    if (src.startsWith("false", pos)) { pos += 5; return Boolean.FALSE; }
    if (src.startsWith("null", pos)) { pos += 4; return null; }
    int st = pos;
    while (pos < src.length() && "+-0123456789.eE".indexOf(src.charAt(pos)) >= 0) pos++;
    String n = src.substring(st, pos);
    if (n.isEmpty()) throw new RuntimeException("bad JSON value");
    if (n.contains(".") || n.contains("e") || n.contains("E")) return Double.parseDouble(n);
    return Long.parseLong(n);
  }
  static String str() {
    pos++; StringBuilder b = new StringBuilder();
    while (true) {
      char c = at(); pos++;
      if (c == '"') return b.toString();
      if (c != '\\') { b.append(c); continue; }
      char e = at(); pos++;
      switch (e) {
        case 'n': b.append('\n'); break; case 't': b.append('\t'); break;
        case 'r': b.append('\r'); break; case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        case 'u': b.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
          pos += 4; break;
        default: b.append(e);
      }
    }
  }
  static List<?> ls(Object o) { return (List<?>) o; }
  static int cint(Object o) { return (int) ((Number) o).longValue(); }
  static long clong(Object o) { return ((Number) o).longValue(); }
  static double cdouble(Object o) { return ((Number) o).doubleValue(); }
  static boolean cbool(Object o) { return (Boolean) o; }
  static String cstring(Object o) { return (String) o; }
CONVERTERS
  static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') b.append("\\\""); else if (c == '\\') b.append("\\\\");
      else if (c == '\n') b.append("\\n"); else if (c == '\t') b.append("\\t");
      else if (c == '\r') b.append("\\r");
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    b.append('"');
  }
  static void put(StringBuilder b, Object o) {
    if (o == null) b.append("null");
    else if (o instanceof String) quote(b, (String) o);
    else if (o instanceof Character) quote(b, o.toString());
    else if (o instanceof Boolean) b.append(o);
    else if (o instanceof Double || o instanceof Float) {
      double d = ((Number) o).doubleValue();
      b.append(Double.isFinite(d) ? Double.toString(d) : "null");
    }
    else if (o instanceof Number) b.append(((Number) o).longValue());
    else if (o instanceof char[]) quote(b, new String((char[]) o));
    else if (o.getClass().isArray()) { b.append('[');
      for (int i = 0; i < java.lang.reflect.Array.getLength(o); i++) {
        if (i > 0) b.append(','); put(b, java.lang.reflect.Array.get(o, i)); }
      b.append(']'); }
    else if (o instanceof Iterable) { b.append('['); boolean first = true;
      for (Object x : (Iterable<?>) o) { if (!first) b.append(','); first = false; put(b, x); }
      b.append(']'); }
    else quote(b, o.toString());
  }
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
    System.setOut(System.err);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
    StringBuilder res = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.trim().isEmpty()) continue;
      src = line; pos = 0;
      List<?> a = ls(value());
      if (a.size() != ARITY) throw new RuntimeException("wrong number of arguments");
      put(res, new Solution().CALL);
      res.append('\n');
    }
    out.print(res);
    out.flush();
  }
}
"""

_BASE = {"int": "int", "long": "long", "double": "double", "bool": "boolean", "string": "String"}


def _converter(base: str, depth: int) -> str:
    java = _BASE[base] + "[]" * depth
    inner = f"c{base}" + "A" * (depth - 1)
    alloc = f"new {_BASE[base]}[l.size()]" + "[]" * (depth - 1)
    return (
        f"  static {java} c{base}{'A' * depth}(Object o) {{ List<?> l = ls(o); {java} r = {alloc};"
        f" for (int i = 0; i < r.length; i++) r[i] = {inner}(l.get(i)); return r; }}"
    )


CONVERTERS = "\n".join(_converter(b, d) for b in _BASE for d in (1, 2))


def _convert_call(type_name: str, index: int) -> str:
    base, depth = parse_type(type_name)
    return f"c{base}{'A' * depth}(a.get({index}))"


def _prepare(code: str) -> str:
    code = re.sub(r"^\s*package\s+[\w.]+\s*;", "", code, flags=re.MULTILINE)
    code = re.sub(r"\bpublic\s+(final\s+)?class\s+Solution\b", r"\1class Solution", code)
    if not re.search(r"\bclass\s+Solution\b", code):
        code = "class Solution { " + code + "\n}"
    return IMPORTS + code


def wrap(code: str, harness: HarnessSpec) -> dict[str, str]:
    name = function_name(harness, "java17")
    args = ", ".join(_convert_call(p.type, i) for i, p in enumerate(harness.params))
    main = RUNTIME.replace("CONVERTERS", CONVERTERS).replace("ARITY", str(len(harness.params)))
    main = main.replace("CALL", f"{name}({args})")
    return {"Main.java": _prepare(code) + "\n" + main}
