package app.noom.integration.turn;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds coturn's executables on PATH. A missing binary FAILS the test (never skips): CI installs coturn, and a
 * silently skipped TURN test would hide a broken deployment.
 */
final class TurnBinaries {

    private TurnBinaries() {}

    static Path turnserver() {
        return require("turnserver");
    }

    static Path uclient() {
        return require("turnutils_uclient");
    }

    private static Path require(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir :
                (path + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/sbin").split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return fail(
                "'" + name + "' not found on PATH: the TURN tests need coturn installed (apt-get install -y coturn)");
    }
}
