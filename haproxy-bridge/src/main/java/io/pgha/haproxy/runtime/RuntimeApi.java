package io.pgha.haproxy.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HAProxy's runtime API (the {@code stats socket ... level admin} of the worker): server states
 * and the commands the bridge uses to move traffic.
 */
public final class RuntimeApi {
    private final UnixSocketCli cli;

    public RuntimeApi(Path socket, Duration timeout) {
        this.cli = new UnixSocketCli(socket, timeout);
    }

    public Path socket() {
        return cli.socket();
    }

    public List<ServerState> serversState() {
        String answer = cli.exchange("show servers state");
        if (!answer.startsWith("1")) {
            throw new HaproxyRejectedException("show servers state", answer);
        }
        return ServerState.parse(answer);
    }

    /** The worker's PID, from {@code show info}. */
    public long workerPid() {
        String answer = cli.exchange("show info");
        for (String line : answer.split("\n")) {
            if (line.startsWith("Pid: ")) {
                return Long.parseLong(line.substring(5).strip());
            }
        }
        throw new HaproxyRejectedException("show info", answer);
    }

    /**
     * Runs set commands in one connection, in order ({@code ;}-separated, as the CLI allows). Each
     * succeeds silently, so any text in the answer is an error.
     */
    public void apply(List<String> commands) {
        if (commands.isEmpty()) {
            return;
        }
        String line = String.join("; ", commands);
        String answer = cli.exchange(line);
        if (!answer.isBlank()) {
            throw new HaproxyRejectedException(line, answer);
        }
    }

    /** The current server state file content, for a reload to start from. */
    public String serversStateFile() {
        return cli.exchange("show servers state");
    }
}
