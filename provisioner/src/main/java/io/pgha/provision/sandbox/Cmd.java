package io.pgha.provision.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A command of this machine (ip, ssh-keygen, kill) run to completion, its output kept for errors. */
final class Cmd {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final java.util.concurrent.ExecutorService PIPES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sandbox-command-output");
        t.setDaemon(true);
        return t;
    });

    record Result(List<String> command, int exit, String output) {
        boolean ok() {
            return exit == 0;
        }

        Result orThrow() {
            if (!ok()) {
                throw new SandboxException("`" + String.join(" ", command) + "` failed (exit " + exit + "): " + output.strip());
            }
            return this;
        }
    }

    private Cmd() {
    }

    static Result run(String... command) {
        return run(List.of(command), TIMEOUT);
    }

    static Result run(List<String> command, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new SandboxException("cannot run " + command.get(0) + " (is it installed?): " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = p.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, PIPES);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SandboxException("`" + String.join(" ", command) + "` did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(command, p.exitValue(), out.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new SandboxException("interrupted while running " + String.join(" ", command), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Result(command, p.exitValue(), "");
        }
    }
}
