package io.pgha.haproxy.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code haproxy -c -f <file>}: HAProxy's own verdict on a config before anything loads it. */
public final class ConfigCheck {
    public sealed interface Result {
        record Valid(String warnings) implements Result {
        }

        record Invalid(String output) implements Result {
        }
    }

    private ConfigCheck() {
    }

    public static Result check(Path haproxyBin, Path config) {
        if (!Files.isExecutable(haproxyBin)) {
            return new Result.Invalid("cannot check the config: " + haproxyBin + " is not an executable (set haproxy.haproxy_bin)");
        }
        try {
            Process p = new ProcessBuilder(List.of(haproxyBin.toString(), "-c", "-f", config.toString()))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result.Invalid(haproxyBin + " -c did not finish within 30 s");
            }
            return p.exitValue() == 0 ? new Result.Valid(warnings(out)) : new Result.Invalid(out.strip());
        } catch (IOException e) {
            return new Result.Invalid("cannot run " + haproxyBin + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Invalid("interrupted while checking the config");
        }
    }

    private static String warnings(String out) {
        return out.lines().filter(l -> l.contains("[WARNING]") || l.contains("[ALERT]")).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
