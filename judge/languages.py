"""The languages the judge runs: toolchain commands, limits policy and installed versions."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field

PY = "/usr/bin/python3"
NODE = "/usr/bin/node"
JAVA = "/usr/bin/java"
JAVAC = "/usr/bin/javac"
GXX = "/usr/bin/g++"
JVM_FLAGS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ActiveProcessorCount=1"]
# The files glob("*.py") would list, without importing glob (its imports cost more than the
# check itself); no site module either: compiling needs neither sys.path nor site's builtins.
PY_SYNTAX_CHECK = (
    "import os\n"
    "for f in sorted(n for n in os.listdir() if n.endswith('.py') and n[0] != '.'):\n"
    " compile(open(f,'rb').read(), f, 'exec')"
)

# A Python test run that can stand in for the syntax check above. Mode "check" compiles every
# *.py first (the same files, the same compile()) with stderr held back, and only when that was
# silent writes CHECKED to fd 2 and runs main.py; anything else (an error, a warning, a limit
# hit while checking) leaves no mark, and the grader then runs the real check. Mode "run" only
# runs. main.py runs as `python3 main.py` would run it: in __main__, with an absolute __file__,
# a SourceFileLoader and argv ["main.py"]; a traceback leaves out this launcher's frame (the
# one difference left: the launcher's frames take 2 of the 1000 of the default recursion limit).
CHECKED = b"\0codequest:checked\0"
PY_CHECKED_RUN = f"""\
def _cq_start(mode):
    import io, os, sys
    path = os.path.join(os.getcwd(), "main.py")
    main = None
    if mode == "check":
        held, sys.stderr = sys.stderr, io.StringIO()
        try:
            for f in sorted(n for n in os.listdir() if n.endswith(".py") and n[0] != "."):
                with open(f, "rb") as src:
                    code = compile(src.read(), os.path.join(os.getcwd(), f), "exec")
                if f == "main.py":
                    main = code
            silent = not sys.stderr.getvalue()
        except BaseException:
            silent = False
        finally:
            sys.stderr = held
        if not silent or main is None:
            raise SystemExit(3)
        os.write(2, {CHECKED!r})
    else:
        with open("main.py", "rb") as src:
            main = compile(src.read(), path, "exec")
    g = sys.modules["__main__"].__dict__
    del g["_cq_start"]
    loader = sys.modules["_frozen_importlib_external"].SourceFileLoader("__main__", path)
    g.update(__file__=path, __cached__=None, __loader__=loader)
    sys.argv[:] = ["main.py"]
    return main
try:
    exec(_cq_start(__import__("sys").argv[1]))
except Exception as _cq_e:
    _cq_e.__traceback__ = _cq_e.__traceback__.tb_next
    for _cq_f in ("stderr", "stdout"):  # flushed before the traceback, as for a script
        try:
            getattr(__import__("sys"), _cq_f).flush()
        except Exception:
            pass
    __import__("sys").excepthook(type(_cq_e), _cq_e, _cq_e.__traceback__)
    raise SystemExit(1)
"""


class UnknownLanguageError(KeyError):
    """No language with this id exists in the table."""


@dataclass(frozen=True)
class Language:
    id: str
    display_name: str
    source_file: str
    compile_argv: Callable[[int], list[str]] | None
    run_argv: Callable[[int], list[str]]
    time_multiplier: float
    binary: str
    version_argv: list[str]
    memory_extra_mb: int = 0
    compile_memory_mb: int = 512
    oom_markers: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    # Without a memory cgroup, RLIMIT_DATA is the memory backstop; the JVM reserves far more
    # address space (heap, thread stacks, code cache) than it touches, so it gets headroom.
    rlimit_data_extra_mb: int = 0
    # A test run that first does the compile step's check itself (see PY_CHECKED_RUN): argv for
    # a mode, "check" or "run". The grader lets a submission's first test stand in for its
    # compile run, and runs the compile step only when that first run did not mark a clean check.
    checked_run_argv: Callable[[str], list[str]] | None = None

    @property
    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    @property
    def version(self) -> str:
        return _detect_version(tuple(self.version_argv)) if self.available else ""

    def compile_command(self, memory_mb: int) -> list[str] | None:
        return self.compile_argv(memory_mb) if self.compile_argv else None

    def run_command(self, memory_mb: int) -> list[str]:
        return self.run_argv(memory_mb)

    def checked_run_command(self, mode: str) -> list[str] | None:
        return self.checked_run_argv(mode) if self.checked_run_argv else None


@functools.cache
def _detect_version(argv: tuple[str, ...]) -> str:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    match = re.search(r"\d+\.\d+(\.\d+)?", proc.stdout + proc.stderr)
    return match.group(0) if match else ""


def _java_run(memory_mb: int) -> list[str]:
    heap = [f"-Xmx{memory_mb}m", "-Xss64m", "-XX:-UsePerfData", "-Xshare:auto"]
    return [JAVA, *JVM_FLAGS, *heap, "-cp", ".", "Main"]


def _javac(memory_mb: int) -> list[str]:
    jvm = [f"-J{flag}" for flag in JVM_FLAGS] + ["-J-Xmx256m", "-J-XX:-UsePerfData"]
    return [JAVAC, *jvm, "-encoding", "UTF-8", "-d", ".", "Main.java"]


def _node_run(memory_mb: int) -> list[str]:
    return [NODE, f"--max-old-space-size={memory_mb}", "--stack-size=65500", "main.js"]


def _gxx(memory_mb: int) -> list[str]:
    return [GXX, "-O2", "-std=c++17", "-pipe", "-fmax-errors=20", "-o", "main", "main.cpp"]


_PYTHON = Language(
    id="python3.10",
    display_name="Python 3",
    source_file="main.py",
    compile_argv=lambda _m: [PY, "-I", "-S", "-B", "-c", PY_SYNTAX_CHECK],
    run_argv=lambda _m: [PY, "-I", "-B", "main.py"],
    time_multiplier=3.0,
    binary=PY,
    version_argv=[PY, "--version"],
    compile_memory_mb=128,
    oom_markers=("MemoryError",),
    checked_run_argv=lambda mode: [PY, "-I", "-B", "-c", PY_CHECKED_RUN, mode],
)
_CPP = Language(
    id="cpp17",
    display_name="C++17 (g++)",
    source_file="main.cpp",
    compile_argv=_gxx,
    run_argv=lambda _m: ["./main"],
    time_multiplier=1.0,
    binary=GXX,
    version_argv=[GXX, "-dumpfullversion"],
    oom_markers=("std::bad_alloc",),
)
_JAVA = Language(
    id="java17",
    display_name="Java 17 (OpenJDK)",
    source_file="Main.java",
    compile_argv=_javac,
    run_argv=_java_run,
    time_multiplier=2.0,
    binary=JAVA,
    version_argv=[JAVA, "-version"],
    memory_extra_mb=128,
    compile_memory_mb=768,
    oom_markers=("java.lang.OutOfMemoryError",),
    rlimit_data_extra_mb=1024,
)
_JAVASCRIPT = Language(
    id="javascript",
    display_name="JavaScript (Node.js)",
    source_file="main.js",
    compile_argv=lambda _m: [NODE, "--check", "main.js"],
    run_argv=_node_run,
    time_multiplier=2.0,
    binary=NODE,
    version_argv=[NODE, "--version"],
    memory_extra_mb=64,
    compile_memory_mb=256,
    oom_markers=("JavaScript heap out of memory",),
)

LANGUAGES: dict[str, Language] = {lang.id: lang for lang in (_PYTHON, _CPP, _JAVA, _JAVASCRIPT)}
ALIASES = {"python3": "python3.10", "python": "python3.10", "cpp": "cpp17", "java": "java17"}


def get_language(language_id: str) -> Language:
    """Raises UnknownLanguageError for an id that is neither in the table nor an alias."""
    try:
        return LANGUAGES[ALIASES.get(language_id, language_id)]
    except KeyError:
        raise UnknownLanguageError(language_id) from None


def list_languages() -> list[Language]:
    return list(LANGUAGES.values())
