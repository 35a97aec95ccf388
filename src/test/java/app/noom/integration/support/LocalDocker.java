package app.noom.integration.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * The Docker engine as the container tests may use it: only local images, never a pull. Nothing here can block on a
 * registry: Docker Hub is unreachable on these machines, and Testcontainers' first call would start its Ryuk reaper,
 * whose image comes from the hub — so Testcontainers is only touched once {@code TESTCONTAINERS_RYUK_DISABLED=true}
 * (set by the pom for surefire and failsafe) and an engine socket exists, and images are looked up locally first.
 *
 * <p>{@code NOOM_CONTAINER_TESTS} (environment) or {@code -Dnoom.containerTests}: {@code auto} (default) runs the
 * container tests where an engine and the images are present and skips them otherwise (the same scenarios run against
 * local processes); {@code required} (CI) fails instead of skipping; {@code off} skips them.
 */
public final class LocalDocker {
    /** Where deploy/base-images/build.sh puts its stand-ins, then the upstream names a site may have loaded itself. */
    public static final List<String> REDIS_IMAGES = List.of("noom-local/redis:7", "redis:7", "redis:7-alpine");

    public static final List<String> RUNTIME_IMAGES =
            List.of("noom-local/eclipse-temurin:17-jre", "eclipse-temurin:17-jre");

    private LocalDocker() {}

    public static String mode() {
        String mode =
                System.getProperty("noom.containerTests", System.getenv().getOrDefault("NOOM_CONTAINER_TESTS", "auto"));
        if (!List.of("auto", "required", "off").contains(mode)) {
            throw new IllegalArgumentException("NOOM_CONTAINER_TESTS must be auto, required or off, not " + mode);
        }
        return mode;
    }

    /** Why containers cannot be used here, or empty when an engine answers and Testcontainers can use it safely. */
    public static Optional<String> engineUnavailable() {
        if (!"true".equals(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            return Optional.of(
                    "TESTCONTAINERS_RYUK_DISABLED=true is not set (the pom sets it for Maven runs): Testcontainers "
                            + "would start its Ryuk reaper, whose image cannot be pulled here, and block");
        }
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return Optional.of("no Docker engine (no DOCKER_HOST, no /var/run/docker.sock)");
        }
        try {
            if (!DockerClientFactory.instance().isDockerAvailable())
                return Optional.of("the Docker engine does not answer");
        } catch (RuntimeException e) {
            return Optional.of("the Docker engine does not answer: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** The first of {@code candidates} present in the engine's local image store; never pulls. */
    public static Optional<String> localImage(List<String> candidates) {
        DockerClient docker = DockerClientFactory.instance().client();
        for (String image : candidates) {
            try {
                docker.inspectImageCmd(image).exec();
                return Optional.of(image);
            } catch (NotFoundException e) {
                // next candidate
            }
        }
        return Optional.empty();
    }

    public static String requireLocalImage(List<String> candidates) {
        return localImage(candidates)
                .orElseThrow(() -> new IllegalStateException("none of the images " + candidates
                        + " is in the local Docker image store, and nothing is pulled (Docker Hub is unreachable): build them with "
                        + "`bash deploy/base-images/build.sh`"));
    }

    /**
     * For a container test's set-up: returns normally when the engine and {@code images} (one of each list) are there;
     * otherwise skips the test, or fails it with the reason when {@code NOOM_CONTAINER_TESTS=required}.
     */
    @SafeVarargs
    public static void assumeUsable(List<String>... images) {
        String mode = mode();
        Optional<String> missing = "off".equals(mode) ? Optional.of("NOOM_CONTAINER_TESTS=off") : engineUnavailable();
        if (missing.isEmpty()) {
            for (List<String> candidates : images) {
                if (localImage(candidates).isEmpty()) {
                    missing = Optional.of("none of " + candidates
                            + " is a local image (build them: bash deploy/base-images/build.sh)");
                    break;
                }
            }
        }
        if (missing.isEmpty()) return;
        if ("required".equals(mode))
            Assertions.fail("container tests are required here but cannot run: " + missing.get());
        Assumptions.abort("container tests skipped (the process variant covers the same scenarios): " + missing.get());
    }
}
