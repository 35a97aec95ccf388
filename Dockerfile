# Noom signaling node: build the fat jar with Maven, run it on a JRE-only image.
#   docker build -t noom:local .
#   docker run -p 8080:8080 noom:local
# Base images are build arguments (defaults: the upstream images), so a site with its own registry mirror, or none,
# points them elsewhere: --build-arg NOOM_BUILD_IMAGE=... --build-arg NOOM_RUNTIME_IMAGE=...
# (deploy/base-images/build.sh builds Debian-based stand-ins). No "# syntax=" line: BuildKit would pull a frontend image.
ARG NOOM_BUILD_IMAGE=maven:3-eclipse-temurin-17
ARG NOOM_RUNTIME_IMAGE=eclipse-temurin:17-jre

# ---- build stage -----------------------------------------------------------
FROM ${NOOM_BUILD_IMAGE} AS build
# The commit this image is built from (no .git in the build context): --version, the start-up line, noom_build_info.
ARG NOOM_COMMIT=unknown
# true: ship the target/noom.jar already built (and tested) on this machine instead of compiling here — for CI, and
# for builders whose containers cannot reach Maven Central; the build stage then needs no Maven (any image with sh).
ARG NOOM_PREBUILT_JAR=false
WORKDIR /src
# Dependencies first: this layer is reused until pom.xml changes. (noom.ja[r]: the jar is copied only if it exists.)
COPY pom.xml target/noom.ja[r] ./
RUN if [ "$NOOM_PREBUILT_JAR" = true ]; then \
      test -f noom.jar || { echo "NOOM_PREBUILT_JAR=true but target/noom.jar is missing: run mvn package first" >&2; exit 1; }; \
    else mvn -B -q dependency:go-offline; fi
COPY src ./src
COPY webroot ./webroot
# Tests run in CI (they need coturn, redis and a browser); the image build only packages.
RUN mkdir -p target && if [ "$NOOM_PREBUILT_JAR" = true ]; then mv noom.jar target/noom.jar; \
    else mvn -B -q -DskipTests -Dnoom.commit="${NOOM_COMMIT}" package; fi && test -f target/noom.jar

# ---- runtime stage ---------------------------------------------------------
FROM ${NOOM_RUNTIME_IMAGE}
# Unprivileged fixed uid, so Kubernetes runAsNonRoot can verify it.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin noom
WORKDIR /app
COPY --from=build /src/target/noom.jar /app/noom.jar
USER 10001
ENV PORT=8080
EXPOSE 8080
# bash's /dev/tcp instead of curl: nothing extra installed in the image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8080} && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
# Exec form: java is PID 1 and receives SIGTERM directly, so its shutdown hook drains sessions.
# -Xmn32m: a small young generation keeps each collection short (a relay's garbage dies young; a large eden made the
# pauses that set its p99 under load, docs/BENCHMARKS.md).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Xmn32m", "-jar", "/app/noom.jar"]
