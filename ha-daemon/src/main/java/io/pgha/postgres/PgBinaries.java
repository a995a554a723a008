package io.pgha.postgres;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs PostgreSQL's binaries from {@code bin_dir} as PostgreSQL's OS user, each with a deadline. */
public final class PgBinaries {
    private static final int KEEP_OUTPUT = 16 * 1024;

    private final Path binDir;
    private final PgOsUser user;

    public PgBinaries(Path binDir, PgOsUser user) {
        this.binDir = binDir;
        this.user = user;
    }

    public PgOsUser user() {
        return user;
    }

    public Path path(String binary) {
        return binDir.resolve(binary);
    }

    public CommandResult run(String binary, List<String> args, Duration timeout, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(path(binary).toString());
        command.addAll(args);
        Map<String, String> environment = new HashMap<>(user.environment());
        environment.putAll(env);
        return exec(binary, user.wrap(command), timeout, environment);
    }

    static CommandResult exec(String what, List<String> command, Duration timeout, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        // PostgreSQL built with systemd support would tell pgha's unit READY=1 and STOPPING=1 on every
        // start and stop of the server: only the daemon speaks to systemd.
        builder.environment().remove("NOTIFY_SOCKET");
        builder.environment().put("LC_ALL", "C"); // pg_controldata and friends are parsed in English
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> drain(process.getInputStream(), output), what + "-output");
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(2000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        return new CommandResult(what, finished ? process.exitValue() : -1, text, !finished);
    }

    private static void drain(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    if (out.size() > KEEP_OUTPUT * 4) {
                        byte[] tail = out.toByteArray();
                        out.reset();
                        out.write(tail, tail.length - KEEP_OUTPUT, KEEP_OUTPUT);
                    }
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the process went away; what we have is what it said
        }
    }
}
