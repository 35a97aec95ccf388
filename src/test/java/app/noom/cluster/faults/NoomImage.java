package app.noom.cluster.faults;

import app.noom.integration.support.LocalDocker;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;

/**
 * The Noom image the container tests run: built from the project's Dockerfile with the jar this build just packaged
 * ({@code NOOM_PREBUILT_JAR=true}) on a local runtime base image, never pulling anything (the legacy builder, no
 * BuildKit frontend). Tagged by the jar's digest, so a second run with the same jar reuses it.
 */
final class NoomImage {
    private static final Path JAR = Path.of("target", "noom.jar");
    private static String built;

    private NoomImage() {}

    static synchronized String get() {
        if (built != null) return built;
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath()
                    + " is missing: the container tests run in failsafe, after " + "`mvn package` built it");
        }
        String runtime = LocalDocker.requireLocalImage(LocalDocker.RUNTIME_IMAGES);
        String tag = "noomtc/noom:" + digest(JAR, Path.of("Dockerfile"));
        DockerClient docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(tag).exec();
        } catch (NotFoundException absent) {
            build(docker, runtime, tag);
            removeOlderBuilds(docker, tag);
        }
        built = tag;
        return tag;
    }

    private static void build(DockerClient docker, String runtime, String tag) {
        Path context = context();
        try {
            docker.buildImageCmd(context.toFile())
                    .withTags(Set.of(tag))
                    .withPull(false)
                    .withBuildArg("NOOM_BUILD_IMAGE", runtime)
                    .withBuildArg("NOOM_RUNTIME_IMAGE", runtime)
                    .withBuildArg("NOOM_PREBUILT_JAR", "true")
                    .exec(new BuildImageResultCallback())
                    .awaitImageId(5, TimeUnit.MINUTES);
        } finally {
            delete(context);
        }
    }

    /** The images earlier jars made (ours alone: the noomtc/noom repository); one in use by a running test stays. */
    private static void removeOlderBuilds(DockerClient docker, String current) {
        docker.listImagesCmd().withImageNameFilter("noomtc/noom").exec().stream()
                .filter(image -> image.getRepoTags() != null)
                .flatMap(image -> java.util.Arrays.stream(image.getRepoTags()))
                .filter(tag -> tag.startsWith("noomtc/noom:") && !tag.equals(current))
                .forEach(tag -> {
                    try {
                        docker.removeImageCmd(tag).exec();
                    } catch (RuntimeException inUse) {
                        // a parallel run's containers still use it: left for a later run
                    }
                });
    }

    /** Only what the Dockerfile copies: the project directory itself holds target/ and maybe a large .git. */
    private static Path context() {
        try {
            Path dir = Files.createTempDirectory("noomtc-context");
            Files.copy(Path.of("Dockerfile"), dir.resolve("Dockerfile"));
            Files.copy(Path.of("pom.xml"), dir.resolve("pom.xml"));
            Files.createDirectories(dir.resolve("target"));
            Files.copy(JAR, dir.resolve("target/noom.jar"));
            copyTree(Path.of("src", "main"), dir.resolve("src/main"));
            copyTree(Path.of("webroot"), dir.resolve("webroot"));
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the image build context", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind harms nothing
        }
    }

    private static String digest(Path... files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
