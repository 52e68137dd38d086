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
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

/* usage: helper KEY=VALUE... -- argv...      one run, result on stdout
          helper serve [cg=PROCS]...           zygote: joins the cgroups once, then reads runs
                                               (NUL-separated argv, empty string ends one) on
                                               stdin and forks a keeper per run, each result
                                               followed by "done=STATUS"
   (see judge/sandbox/process.py) */

static const char *opt_root, *opt_etc, *opt_box, *opt_in, *opt_out, *opt_err;
static const char *opt_cg_procs[3];
static const char *opt_cg_cpu;
static int n_cg;
static long uid = -1, gid = -1, cpu_ms, wall_ms, procs = 64, nofile = 64, box_ro, tmp_kb = 16384;
static long userns;
static long long fsize = 1 << 20, stack_kb = 65536, data_kb;
static char *envv[64];
static int n_env;
static int errfd = -1;

static void reset_options(void) {
  opt_root = opt_etc = opt_box = opt_in = opt_out = opt_err = opt_cg_cpu = NULL;
  n_cg = 0; n_env = 0; errfd = -1;
  uid = gid = -1; cpu_ms = wall_ms = 0; procs = 64; nofile = 64; box_ro = 0; tmp_kb = 16384;
  userns = 0; fsize = 1 << 20; stack_kb = 65536; data_kb = 0;
}

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
    else if (!strcmp(a, "userns")) userns = atol(v);
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

/* Flags of the mount under `p`: a remount in a user namespace must keep the locked ones. */
static unsigned long kept_flags(const char *p) {
  struct statvfs sv;
  if (statvfs(p, &sv) < 0) fail(p);
  unsigned long f = 0;
  if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
  if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
  return f;
}

static void remount_bind(const char *dst, unsigned long flags) {
  xmount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | kept_flags(dst) | flags, NULL);
}

static void bind_ro(const char *src, const char *dst, unsigned long extra) {
  xmount(src, dst, NULL, MS_BIND | MS_REC, NULL);
  remount_bind(dst, MS_RDONLY | MS_NOSUID | extra);
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
  remount_bind(p, MS_NOSUID | MS_NODEV | (box_ro ? MS_RDONLY : 0));
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
  if (!userns && setgroups(0, NULL) < 0) fail("setgroups");
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

static int write_file(const char *p, const char *text) {
  int fd = open(p, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Unprivileged: map the sandbox uid/gid inside to the service's own uid/gid, nothing else. */
static int map_ids(uid_t outer_uid, gid_t outer_gid) {
  char line[64];
  if (write_file("/proc/self/setgroups", "deny") < 0) return -1;
  snprintf(line, sizeof line, "%ld %u 1\n", uid, (unsigned)outer_uid);
  if (write_file("/proc/self/uid_map", line) < 0) return -1;
  snprintf(line, sizeof line, "%ld %u 1\n", gid, (unsigned)outer_gid);
  return write_file("/proc/self/gid_map", line);
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

static int run_one(int argc, char **argv) {
  int cmd = 0;
  reset_options();
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
  uid_t outer_uid = getuid();
  gid_t outer_gid = getgid();
  int ns = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID;
  if (unshare(ns | (userns ? CLONE_NEWUSER : 0)) < 0) {
    perror("unshare");
    return 3;
  }
  if (userns && map_ids(outer_uid, outer_gid) < 0) { perror("uid_map"); return 3; }
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
  long long cg_cpu = cpufd >= 0 ? read_cpu_ns(cpufd) - base_ns : -1;
  while (waitpid(-1, NULL, WNOHANG) > 0) {}
  char err[600], stat[256];
  drain(errp[0], err, sizeof err);
  drain(statp[0], stat, sizeof stat);
  for (char *c = err; *c; c++) if (*c == '\n') *c = ' ';
  printf("init=%d killed=%s wall_us=%lld cg_cpu_ns=%lld %s\nerr=%s\n", st, killed, wall, cg_cpu,
         stat[0] ? stat : "status=-1 cpu_us=0 maxrss_kb=0", err);
  fflush(stdout);
  return 0;
}

static int read_full(char *buf, size_t len) {
  size_t got = 0;
  while (got < len) {
    ssize_t r = read(0, buf + got, len - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    got += r;
  }
  return 0;
}

/* One run: "LEN\n" then LEN bytes of NUL-terminated args. 0 on EOF, -1 on a bad request. */
static int read_request(char *buf, size_t cap, char **args, int max_args) {
  char head[16];
  size_t h = 0;
  for (;;) {
    if (h + 1 >= sizeof head) return -1;
    ssize_t r = read(0, head + h, 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return 0;
    if (head[h] == '\n') break;
    h++;
  }
  head[h] = 0;
  size_t len = strtoul(head, NULL, 10);
  if (len == 0 || len >= cap || read_full(buf, len) < 0 || buf[len - 1] != 0) return -1;
  int n = 1;
  args[0] = "helper";
  for (size_t i = 0; i < len && n < max_args - 1; i += strlen(buf + i) + 1) args[n++] = buf + i;
  args[n] = NULL;
  return n;
}

static void join_self(int argc, char **argv) {
  for (int i = 2; i < argc; i++) {
    if (strncmp(argv[i], "cg=", 3)) { fprintf(stderr, "bad serve option %s\n", argv[i]); exit(2); }
    int fd = open(argv[i] + 3, O_WRONLY);
    if (fd < 0 || write(fd, "0", 1) != 1) { perror(argv[i]); exit(2); }
    close(fd);
  }
}

/* The zygote: lives in the box's cgroups, so each run is born there (no per-run migration). */
static int serve(int argc, char **argv) {
  static char buf[1 << 16];
  char *args[512];
  join_self(argc, argv);
  printf("ready\n");
  fflush(stdout);
  for (;;) {
    int n = read_request(buf, sizeof buf, args, 512);
    if (n == 0) return 0;
    if (n < 0) { fprintf(stderr, "request too long\n"); return 2; }
    pid_t keeper = fork();
    if (keeper < 0) { perror("fork keeper"); return 2; }
    if (keeper == 0) _exit(run_one(n, args));
    int st = 0;
    while (waitpid(keeper, &st, 0) < 0 && errno == EINTR) {}
    printf("done=%d\n", st);
    fflush(stdout);
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "serve")) return serve(argc, argv);
  return run_one(argc, argv);
}
"""
