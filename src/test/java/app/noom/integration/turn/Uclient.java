package app.noom.integration.turn;

import static org.junit.jupiter.api.Assertions.fail;

import app.noom.ice.TurnCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code turnutils_uclient} (coturn's test client) against a local coturn and captures exit code and output. */
final class Uclient {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** Exit code and combined output; the password never appears in {@link #output()}. */
    record Result(int exitCode, String output) {
        boolean contains(String text) {
            return output.contains(text);
        }

        /** Enough for a failure message, nothing secret in it. */
        String describe() {
            return "exit " + exitCode + ", output tail:\n" + CoturnProcess.tail(output);
        }
    }

    private Uclient() {}

    /**
     * {@code turnutils_uclient -u USER -w PASS <flags…> -p PORT 127.0.0.1}, waiting at most 60 s.
     *
     * @param flags e.g. {@code -y -n 5 -m 1}
     */
    static Result run(CoturnProcess coturn, TurnCredentials.Credential credential, String... flags)
            throws IOException, InterruptedException {
        return run(coturn, credential.username(), credential.password(), flags);
    }

    static Result run(CoturnProcess coturn, String username, String password, String... flags)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(TurnBinaries.uclient().toString());
        command.addAll(List.of("-u", username, "-w", password));
        command.addAll(List.of(flags));
        command.addAll(List.of("-p", Integer.toString(coturn.port()), "127.0.0.1"));
        Path out = Files.createTempFile("noom-uclient-", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail("turnutils_uclient did not finish within " + DEADLINE);
            }
            String output = coturn.redact(Files.readString(out, StandardCharsets.UTF_8));
            if (!password.isEmpty()) output = output.replace(password, "<password>");
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
