# Runtime of the judge's docker sandbox: python3, g++ 12, OpenJDK 17, Node 20, a non-root user.
# Build from the repository root:
#   docker build -f infra/docker/judge-runtime.Dockerfile -t codequest/judge-runtime:1 .
# The docker backend starts one container per submission from it (`sleep infinity`, no network,
# read-only root, tmpfs /box /tmp /io, memory/pids/CPU limits) and runs every step as `sandbox`.
FROM node:20-bookworm-slim AS node

FROM debian:bookworm-slim
# The slim image drops man pages; the JDK's post-install scripts still expect this directory.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends python3 g++ openjdk-17-jdk-headless \
 && rm -rf /var/lib/apt/lists/* \
 && java -Xshare:dump >/dev/null
# Node 20 as on the process-backend hosts (Debian bookworm ships 18): one binary, same glibc.
COPY --from=node /usr/local/bin/node /usr/bin/node
RUN useradd --uid 1000 --user-group --no-create-home --home-dir /tmp \
        --shell /usr/sbin/nologin sandbox \
 && mkdir -p /box /io \
 && chown sandbox:sandbox /box /io \
 && python3 --version && g++ --version && javac -version && node --version
ENV PATH=/usr/bin:/bin LANG=C.UTF-8 HOME=/tmp TMPDIR=/tmp
USER sandbox:sandbox
WORKDIR /box
CMD ["sleep", "infinity"]
