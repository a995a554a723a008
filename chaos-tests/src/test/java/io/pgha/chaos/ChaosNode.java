package io.pgha.chaos;

import io.pgha.demo.DaemonJvm;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;
import io.pgha.launch.LogTail;
import io.pgha.launch.Signals;
import io.pgha.testing.Command;
import io.pgha.testing.NetLab;
import io.pgha.testing.ProcState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node of the chaos cluster: a network namespace with its own address, where a pgha daemon and
 * its PostgreSQL listen on that address (5432, 8008: each namespace has its own ports). The daemon
 * runs from the shaded jar as a black box; this class only writes its pgha.yml and signals PIDs.
 */
final class ChaosNode {
    static final int PG_PORT = 5432;
    static final int REST_PORT = 8008;
    static final String PASSWORD = "chaos-superuser";

    final String name;
    final NetLab.Host host;
    final Path dir;
    /** A SIGSTOP takes effect at once; this only bounds the wait for /proc to show it. */
    static final Duration SIGNAL_TAKES_EFFECT = Duration.ofSeconds(5);

    private ChildProcess daemon;
    /** PIDs stopped by {@link #freezePostgres}, with their start times (a PID is not continued once reused), in stop order. */
    private final Map<Long, Long> frozenPg = Collections.synchronizedMap(new LinkedHashMap<>());

    ChaosNode(String name, NetLab.Host host, Path dir) {
        this.name = name;
        this.host = host;
        this.dir = dir;
    }

    String ip() {
        return host.ipv4();
    }

    Path config() {
        return dir.resolve("pgha.yml");
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    Path daemonLog() {
        return dir.resolve("pgha.log");
    }

    /**
     * pgha.yml with every listen and connect address on the namespace's own IP, etcd on the bridge;
     * {@code extraDcs} goes into the bootstrap dcs section (e.g. {@code synchronous_mode: true}).
     */
    void prepare(String scope, String etcdHosts, String rto, String extraDcs) {
        try {
            Files.createDirectories(dir);
            Files.writeString(config(), LocalNode.yaml(new LocalNode.Shape(scope, name, ip(), REST_PORT, PG_PORT,
                    dataDir(), dir, PASSWORD, "chaos"), etcdHosts, rto, extraDcs, ""));
            Command.run("chmod", "755", dir.toString()).orThrow();
            Command.run("chown", "-R", "postgres:postgres", dir.toString()).orThrow();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    /** {@code ip netns exec <ns> java <DaemonJvm flags> -jar pgha.jar daemon -c pgha.yml}; its PID is java's. */
    void startDaemon(List<String> java) {
        List<String> cmd = new ArrayList<>(java);
        cmd.addAll(List.of("daemon", "-c", config().toString()));
        daemon = host.ns().start("pgha-" + name, cmd, daemonLog(), DaemonJvm.ENVIRONMENT);
    }

    boolean daemonRunning() {
        return daemon != null && ProcState.isAlive(daemon.pid());
    }

    long daemonPid() {
        return daemon.pid();
    }

    void killDaemon() {
        if (daemon != null) {
            daemon.kill();
            daemon = null;
        }
    }

    /** SIGCONT (a frozen JVM cannot act on SIGTERM), SIGTERM, SIGKILL after the grace period. */
    void stopDaemon(Duration grace) {
        if (daemon != null) {
            daemon.stop(grace);
            daemon = null;
        }
    }

    void freezeDaemon() {
        daemon.freeze();
    }

    void thawDaemon() {
        daemon.thaw();
    }

    /** SIGCONT to the daemon if one runs (harmless when it is not stopped). */
    void thawDaemonIfRunning() {
        if (daemonRunning()) {
            daemon.thaw();
        }
    }

    /** The PIDs {@link #freezePostgres} stopped and has not continued yet. */
    List<Long> frozenPostgresPids() {
        synchronized (frozenPg) {
            return List.copyOf(frozenPg.keySet());
        }
    }

    /** The postmaster's PID from postmaster.pid, if that PID is alive. */
    Optional<Long> postmasterPid() {
        Path pidFile = dataDir().resolve("postmaster.pid");
        try {
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            long pid = Long.parseLong(first);
            return ProcState.isAlive(pid) ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SIGKILL to the postmaster and its process group (pg_ctl starts it in a session of its own). */
    void killPostgres() {
        postmasterPid().ifPresent(pid -> {
            Command.run("kill", "-KILL", "--", "-" + pid);
            Command.run("kill", "-KILL", Long.toString(pid));
        });
    }

    /**
     * SIGSTOP to the postmaster and then to each of its children. The backends call setsid, so they
     * are not in the postmaster's process group: they are found by their parent PID, once the
     * postmaster is stopped and can fork no more. Returns once every one of them is stopped (or
     * died meanwhile); {@link #thawPostgres} continues exactly these processes.
     *
     * @return how many processes were stopped
     */
    int freezePostgres() {
        long postmaster = postmasterPid().orElseThrow(() -> new IllegalStateException("no postmaster runs on " + name));
        stopProcess(postmaster);
        Await.until("postmaster " + postmaster + " of " + name + " stopped", SIGNAL_TAKES_EFFECT,
                () -> Procs.stat(postmaster).map(s -> s.stopped() || s.gone()).orElse(true));
        for (long child : Procs.children(postmaster)) {
            stopProcess(child);
        }
        Await.until("every PostgreSQL process of " + name + " stopped", SIGNAL_TAKES_EFFECT,
                () -> frozenPg.keySet().stream().allMatch(pid -> Procs.stat(pid).map(s -> s.stopped() || s.gone()).orElse(true)));
        return frozenPg.size();
    }

    private void stopProcess(long pid) {
        Procs.stat(pid).filter(s -> !s.gone()).ifPresent(s -> {
            frozenPg.put(pid, s.startTime());
            Signals.send(pid, "STOP");
        });
    }

    /** SIGCONT to every process {@link #freezePostgres} stopped that is still the same process; the postmaster last. */
    void thawPostgres() {
        List<Long> pids = new ArrayList<>(frozenPostgresPids());
        Collections.reverse(pids); // insertion order: the postmaster first, so it is continued last
        for (long pid : pids) {
            long started = frozenPg.remove(pid);
            if (Procs.stat(pid).filter(s -> s.startTime() == started && !s.gone()).isPresent()) {
                Signals.send(pid, "CONT");
            }
        }
    }

    /** Whether {@link #freezePostgres} left processes stopped. */
    boolean postgresFrozen() {
        return !frozenPg.isEmpty();
    }

    String tail(int lines) {
        return LogTail.of(daemonLog(), lines);
    }

    /** HTTP status of a REST GET on this node, or -1 when nothing answers. */
    int rest(HttpClient http, String path) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + ip() + ":" + REST_PORT + path))
                    .timeout(Duration.ofMillis(1500)).GET().build();
            return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + ip() + ":" + PG_PORT + "/postgres";
    }

    @Override
    public String toString() {
        return name + "(" + ip() + ")";
    }

    static Map<String, String> env() {
        return DaemonJvm.ENVIRONMENT;
    }
}
