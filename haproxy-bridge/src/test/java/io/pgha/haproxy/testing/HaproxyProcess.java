package io.pgha.haproxy.testing;

import io.pgha.haproxy.runtime.MasterCli;
import io.pgha.haproxy.runtime.RuntimeApi;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real HAProxy (Debian's 2.6) in master-worker mode, as its systemd unit runs it:
 * {@code haproxy -W -S <master socket> -f <config>}. Stopped by PID: the master gets SIGTERM and
 * stops its workers; any worker still alive after that (a draining old one) is killed by its PID.
 */
public final class HaproxyProcess implements AutoCloseable {
    public static final Path BINARY = Path.of(System.getenv().getOrDefault("PGHA_HAPROXY_BIN", "/usr/sbin/haproxy"));

    private final ChildProcess master;
    private final Path masterSocket;
    private final Path runtimeSocket;
    private final List<Long> workersSeen = new ArrayList<>();

    private HaproxyProcess(ChildProcess master, Path masterSocket, Path runtimeSocket) {
        this.master = master;
        this.masterSocket = masterSocket;
        this.runtimeSocket = runtimeSocket;
    }

    /** Starts HAProxy on {@code config} and waits until its runtime API answers. */
    public static HaproxyProcess start(Path config, Path masterSocket, Path runtimeSocket, Path log) {
        ChildProcess p = ChildProcess.start("haproxy", List.of(BINARY.toString(), "-W", "-S", masterSocket.toString(), "-f", config.toString()),
                log, Map.of());
        HaproxyProcess h = new HaproxyProcess(p, masterSocket, runtimeSocket);
        try {
            Await.until("HAProxy answering on " + runtimeSocket, Duration.ofSeconds(15), () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("haproxy exited with " + p.exitCode() + ":\n" + p.tail(20));
                }
                h.runtime().workerPid();
                return true;
            });
        } catch (RuntimeException | AssertionError e) {
            h.close();
            throw e;
        }
        h.rememberWorkers();
        return h;
    }

    public RuntimeApi runtime() {
        return new RuntimeApi(runtimeSocket, Duration.ofSeconds(2));
    }

    public MasterCli masterCli() {
        return new MasterCli(masterSocket, Duration.ofSeconds(2));
    }

    public long masterPid() {
        return master.pid();
    }

    public String log(int lines) {
        return master.tail(lines);
    }

    /** Records the current workers so that {@link #close()} can make sure each one is gone. */
    public void rememberWorkers() {
        try {
            MasterCli.Processes p = masterCli().processes();
            workersSeen.addAll(p.currentWorkers());
            workersSeen.addAll(p.oldWorkers());
        } catch (RuntimeException e) {
            // not up (any more): nothing to remember
        }
    }

    @Override
    public void close() {
        rememberWorkers();
        master.stop(Duration.ofSeconds(10));
        for (long pid : workersSeen) {
            if (alive(pid)) {
                new ProcessHandleKill(pid).run();
            }
        }
    }

    /** Alive unless /proc says it is gone or a zombie: PID 1 here reaps orphans lazily. */
    public static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String afterName = stat.substring(stat.lastIndexOf(')') + 2);
            return afterName.charAt(0) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private record ProcessHandleKill(long pid) implements Runnable {
        @Override
        public void run() {
            try {
                new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
                Await.until("haproxy worker " + pid + " gone", Duration.ofSeconds(10), () -> !alive(pid));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
