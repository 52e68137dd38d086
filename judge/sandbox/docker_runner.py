"""Source of the in-container runner: rlimits, CPU/wall timing via wait4, JSON result on stdout."""

RUNNER = r"""
import json, os, resource, signal, sys, time
spec = json.loads(sys.argv[1])
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    os.setsid()
    for res, val in spec["rlimits"].items():
        resource.setrlimit(getattr(resource, res), (val, val))
    fd_in = os.open(spec["stdin"], os.O_RDONLY)
    fd_out = os.open(spec["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    fd_err = os.open(spec["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    for i, fd in enumerate((fd_in, fd_out, fd_err)):
        os.dup2(fd, i)
    os.chdir(spec["cwd"])
    os.execve(spec["argv"][0], spec["argv"], spec["env"])
killed = "none"
while True:
    done, status, ru = os.wait4(pid, os.WNOHANG)
    if done:
        break
    cpu = 0.0
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) * 10
    except (OSError, IndexError, ValueError):
        pass
    wall = (time.monotonic() - t0) * 1000
    if killed == "none" and (cpu > spec["cpu_ms"] or wall > spec["wall_ms"]):
        killed = "cpu" if cpu > spec["cpu_ms"] else "wall"
        os.killpg(pid, signal.SIGKILL)
    time.sleep(0.01)
try:
    os.killpg(pid, signal.SIGKILL)
except ProcessLookupError:
    pass
print(json.dumps({
    "status": status, "killed": killed, "wall_ms": (time.monotonic() - t0) * 1000,
    "cpu_ms": (ru.ru_utime + ru.ru_stime) * 1000, "maxrss_kb": ru.ru_maxrss,
}))
"""
