# syntax=docker/dockerfile:1
# Noom signaling node: build the fat jar with Maven, run it on a JRE-only image.
#   docker build -t noom:local .
#   docker run -p 8080:8080 noom:local

# ---- build stage -----------------------------------------------------------
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first: this layer is reused until pom.xml changes.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
COPY webroot ./webroot
# Tests run in CI (they need coturn, redis and a browser); the image build only packages.
RUN mvn -B -q -DskipTests package && test -f target/noom.jar

# ---- runtime stage ---------------------------------------------------------
FROM eclipse-temurin:17-jre
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
