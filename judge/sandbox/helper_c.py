"""C source of the per-run launcher (keeper, mini-init, program) compiled at first use."""

SOURCE = r"""
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

/* usage: helper KEY=VALUE... -- argv...   (see judge/sandbox/process.py) */

static const char *opt_root, *opt_etc, *opt_box, *opt_in, *opt_out, *opt_err;
static const char *opt_cg_procs[3];
static const char *opt_cg_cpu;
static int n_cg;
static long uid = -1, gid = -1, cpu_ms, wall_ms, procs = 64, nofile = 64, box_ro, tmp_kb = 16384;
static long long fsize = 1 << 20, stack_kb = 65536, data_kb;
static char *envv[64];
static int n_env;
static int errfd = -1;

static long long now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void fail(const char *what) {
  char buf[512];
  int n = snprintf(buf, sizeof buf, "%s: %s", what, strerror(errno));
  if (errfd >= 0 && write(errfd, buf, n) < 0) {}
  _exit(127);
}

static void parse(int argc, char **argv, int *cmd) {
  for (int i = 1; i < argc; i++) {
    char *a = argv[i];
    if (!strcmp(a, "--")) { *cmd = i + 1; return; }
    char *v = strchr(a, '=');
    if (!v) { fprintf(stderr, "bad option %s\n", a); exit(2); }
    *v++ = 0;
    if (!strcmp(a, "root")) opt_root = v;
    else if (!strcmp(a, "etc")) opt_etc = v;
    else if (!strcmp(a, "box")) opt_box = v;
    else if (!strcmp(a, "stdin")) opt_in = v;
    else if (!strcmp(a, "stdout")) opt_out = v;
    else if (!strcmp(a, "stderr")) opt_err = v;
    else if (!strcmp(a, "cg") && n_cg < 3) opt_cg_procs[n_cg++] = v;
    else if (!strcmp(a, "cgcpu")) opt_cg_cpu = v;
    else if (!strcmp(a, "uid")) uid = atol(v);
    else if (!strcmp(a, "gid")) gid = atol(v);
    else if (!strcmp(a, "cpu_ms")) cpu_ms = atol(v);
    else if (!strcmp(a, "wall_ms")) wall_ms = atol(v);
    else if (!strcmp(a, "procs")) procs = atol(v);
    else if (!strcmp(a, "nofile")) nofile = atol(v);
    else if (!strcmp(a, "box_ro")) box_ro = atol(v);
    else if (!strcmp(a, "tmp_kb")) tmp_kb = atol(v);
    else if (!strcmp(a, "fsize")) fsize = atoll(v);
    else if (!strcmp(a, "stack_kb")) stack_kb = atoll(v);
    else if (!strcmp(a, "data_kb")) data_kb = atoll(v);
    else if (!strcmp(a, "env") && n_env < 63) envv[n_env++] = v;
    else { fprintf(stderr, "unknown option %s\n", a); exit(2); }
  }
  fprintf(stderr, "missing --\n");
  exit(2);
}

static void xmount(const char *src, const char *dst, const char *type, unsigned long fl,
                   const char *data) {
  if (mount(src, dst, type, fl, data) < 0) fail(dst);
}

static void bind_ro(const char *src, const char *dst, unsigned long extra) {
  xmount(src, dst, NULL, MS_BIND | MS_REC, NULL);
  xmount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | extra, NULL);
}

static void path(char *buf, const char *rel) { snprintf(buf, 4096, "%s/%s", opt_root, rel); }

static void mkdev(const char *name) {
  char dst[4096], src[64];
  path(dst, name);
  snprintf(src, sizeof src, "/%s", name);
  int fd = open(dst, O_CREAT | O_WRONLY, 0666);
  if (fd < 0) fail(dst);
  close(fd);
  xmount(src, dst, NULL, MS_BIND, NULL);
}

static void link_to(const char *target, const char *rel) {
  char p[4096];
  path(p, rel);
  if (symlink(target, p) < 0) fail(p);
}

static void mkd(const char *rel) {
  char p[4096];
  path(p, rel);
  if (mkdir(p, 0755) < 0 && errno != EEXIST) fail(p);
}

static void build_root(void) {
  char p[4096], opts[64];
  xmount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
  xmount("tmpfs", opt_root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755");
  const char *dirs[] = {"usr", "etc", "dev", "proc", "tmp", "box"};
  for (int i = 0; i < 6; i++) mkd(dirs[i]);
  path(p, "usr"); bind_ro("/usr", p, MS_NODEV);
  path(p, "etc"); bind_ro(opt_etc, p, MS_NODEV);
  link_to("usr/bin", "bin"); link_to("usr/sbin", "sbin");
  link_to("usr/lib", "lib"); link_to("usr/lib64", "lib64");
  mkdev("dev/null"); mkdev("dev/zero"); mkdev("dev/random"); mkdev("dev/urandom");
  link_to("/proc/self/fd", "dev/fd"); link_to("/proc/self/fd/0", "dev/stdin");
  link_to("/proc/self/fd/1", "dev/stdout"); link_to("/proc/self/fd/2", "dev/stderr");
  snprintf(opts, sizeof opts, "size=%ldk,mode=1777", tmp_kb);
  path(p, "tmp"); xmount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV, opts);
  path(p, "box"); xmount(opt_box, p, NULL, MS_BIND, NULL);
  xmount(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | (box_ro ? MS_RDONLY : 0),
         NULL);
  path(p, "proc"); xmount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  xmount(NULL, opt_root, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "size=1m");
  if (chroot(opt_root) < 0) fail("chroot");
  if (chdir("/box") < 0) fail("chdir");
  if (sethostname("sandbox", 7) < 0) fail("sethostname");
}

static void join_cgroups(void) {
  for (int i = 0; i < n_cg; i++) {
    int fd = open(opt_cg_procs[i], O_WRONLY);
    if (fd < 0) fail(opt_cg_procs[i]);
    if (write(fd, "0", 1) != 1) fail(opt_cg_procs[i]);
    close(fd);
  }
}

static void limit(int res, rlim_t soft, rlim_t hard) {
  struct rlimit r = {soft, hard};
  if (setrlimit(res, &r) < 0) fail("setrlimit");
}

static void set_limits(void) {
  rlim_t cpu_s = (cpu_ms + 999) / 1000 + 1;
  limit(RLIMIT_CPU, cpu_s, cpu_s + 1);
  limit(RLIMIT_FSIZE, fsize, fsize);
  limit(RLIMIT_NOFILE, nofile, nofile);
  limit(RLIMIT_NPROC, procs, procs);
  limit(RLIMIT_CORE, 0, 0);
  limit(RLIMIT_STACK, stack_kb * 1024, stack_kb * 1024);
  limit(RLIMIT_MEMLOCK, 0, 0);
  limit(RLIMIT_MSGQUEUE, 0, 0);
  if (data_kb > 0) limit(RLIMIT_DATA, data_kb * 1024, data_kb * 1024);
}

static void program(char **argv, int fds[3]) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  for (int i = 0; i < 3; i++) if (dup2(fds[i], i) < 0) fail("dup2");
  if (errfd != 3) { if (dup2(errfd, 3) < 0) fail("dup2"); errfd = 3; }
  if (fcntl(3, F_SETFD, FD_CLOEXEC) < 0) fail("cloexec");
  if (syscall(SYS_close_range, 4, ~0U, 0) < 0) fail("close_range");
  for (int s = 1; s < 32; s++) signal(s, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  set_limits();
  if (setgroups(0, NULL) < 0) fail("setgroups");
  if (setresgid(gid, gid, gid) < 0) fail("setresgid");
  if (setresuid(uid, uid, uid) < 0) fail("setresuid");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail("no_new_privs");
  envv[n_env] = NULL;
  execve(argv[0], argv, envv);
  fail(argv[0]);
}

/* PID 1 of the namespace: start the program, reap everything, report, exit (kills the rest). */
static void mini_init(char **argv, int fds[3], int statfd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  join_cgroups();
  build_root();
  pid_t child = fork();
  if (child < 0) fail("fork program");
  if (child == 0) program(argv, fds);
  for (int i = 0; i < 3; i++) close(fds[i]);
  for (;;) {
    int st;
    struct rusage ru;
    pid_t p = wait4(-1, &st, 0, &ru);
    if (p < 0 && errno == EINTR) continue;
    if (p < 0) _exit(126);
    if (p != child) continue;
    char buf[256];
    long long cpu = (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec
                  + (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
    int n = snprintf(buf, sizeof buf, "status=%d cpu_us=%lld maxrss_kb=%ld", st, cpu,
                     ru.ru_maxrss);
    if (write(statfd, buf, n) < 0) {}
    _exit(0);
  }
}

static long long read_cpu_ns(int fd) {
  char b[64];
  ssize_t n = pread(fd, b, sizeof b - 1, 0);
  if (n <= 0) return 0;
  b[n] = 0;
  return atoll(b);
}

static int open_io(const char *p, int flags) {
  int fd = open(p ? p : "/dev/null", flags | O_CLOEXEC, 0600);
  if (fd < 0) { perror(p); exit(2); }
  return fd;
}

static void drain(int fd, char *buf, size_t cap) {
  ssize_t n = read(fd, buf, cap - 1);
  buf[n > 0 ? n : 0] = 0;
}

int main(int argc, char **argv) {
  int cmd = 0;
  parse(argc, argv, &cmd);
  if (!opt_root || !opt_etc || !opt_box || uid < 0 || gid < 0 || cmd >= argc) {
    fprintf(stderr, "missing required option\n");
    return 2;
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int fds[3] = {open_io(opt_in, O_RDONLY), open_io(opt_out, O_WRONLY | O_CREAT | O_TRUNC),
                open_io(opt_err, O_WRONLY | O_CREAT | O_TRUNC)};
  int cpufd = opt_cg_cpu ? open(opt_cg_cpu, O_RDONLY | O_CLOEXEC) : -1;
  int errp[2], statp[2];
  if (pipe2(errp, O_CLOEXEC) < 0 || pipe2(statp, O_CLOEXEC) < 0) { perror("pipe"); return 2; }
  if (unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID) < 0) {
    perror("unshare");
    return 3;
  }
  long long start = now_us(), base_ns = cpufd >= 0 ? read_cpu_ns(cpufd) : 0;
  pid_t init = fork();
  if (init < 0) { perror("fork"); return 2; }
  if (init == 0) {
    close(errp[0]); close(statp[0]);
    errfd = errp[1];
    mini_init(argv + cmd, fds, statp[1]);
  }
  close(errp[1]); close(statp[1]);
  for (int i = 0; i < 3; i++) close(fds[i]);
  int pidfd = syscall(SYS_pidfd_open, init, 0);
  const char *killed = "none";
  int st = 0;
  for (;;) {
    struct pollfd pf = {pidfd, POLLIN, 0};
    if (pidfd >= 0) poll(&pf, 1, 10); else usleep(10000);
    if (waitpid(init, &st, WNOHANG) == init) break;
    long long used = cpufd >= 0 ? (read_cpu_ns(cpufd) - base_ns) / 1000000 : 0;
    long long wall = (now_us() - start) / 1000;
    if (!strcmp(killed, "none") && (used > cpu_ms || wall > wall_ms)) {
      killed = used > cpu_ms ? "cpu" : "wall";
      kill(init, SIGKILL);
    }
  }
  long long wall = now_us() - start;
  while (waitpid(-1, NULL, WNOHANG) > 0) {}
  char err[600], stat[256];
  drain(errp[0], err, sizeof err);
  drain(statp[0], stat, sizeof stat);
  for (char *c = err; *c; c++) if (*c == '\n') *c = ' ';
  printf("init=%d killed=%s wall_us=%lld %s\nerr=%s\n", st, killed, wall,
         stat[0] ? stat : "status=-1 cpu_us=0 maxrss_kb=0", err);
  return 0;
}
"""
