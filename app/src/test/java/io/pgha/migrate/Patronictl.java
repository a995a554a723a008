package io.pgha.migrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The distribution's patronictl, run against a node's patroni.yml; output and exit code. */
record Patronictl(int exit, String output) {
    static final String BINARY = "/usr/bin/patronictl";

    static Patronictl run(Path patroniYml, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY, "-c", patroniYml.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                return new Patronictl(-1, "patronictl did not finish within 90 s");
            }
            return new Patronictl(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
