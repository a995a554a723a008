package io.pgha.launch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A real etcd cluster from Debian's etcd-server, its members listening on free loopback ports. Each
 * member can be killed, frozen and restarted on its own data directory, so tests can take the DCS
 * away piece by piece.
 */
public final class EtcdCluster implements AutoCloseable {
    public static final String BINARY = System.getenv().getOrDefault("PGHA_ETCD_BIN", "/usr/bin/etcd");

    /**
     * How members listen beyond the defaults: {@code extraHost} adds a client URL on another address
     * of this machine (a NetLab bridge, so processes in network namespaces reach etcd);
     * {@code enableV2} serves the v2 API too (etcd 3.4 has it off), for clients that only speak v2.
     */
    public record Options(Optional<String> extraHost, boolean enableV2, Optional<Tls> tls) {
        public Options(Optional<String> extraHost, boolean enableV2) {
            this(extraHost, enableV2, Optional.empty());
        }

        public static Options defaults() {
            return new Options(Optional.empty(), false);
        }

        public Options alsoListenOn(String host) {
            return new Options(Optional.of(host), enableV2, tls);
        }

        public Options withV2() {
            return new Options(extraHost, true, tls);
        }

        /** Clients and peers speak TLS; health is then probed on a plain metrics URL of each member. */
        public Options withTls(Tls tls) {
            return new Options(extraHost, enableV2, Optional.of(tls));
        }
    }

    /**
     * PEM files for clients and peers alike: {@code cert} must name 127.0.0.1 (and localhost) as
     * subject alternative names. With {@code clientCertAuth} etcd refuses clients without a
     * certificate from {@code ca}, and peers authenticate each other the same way.
     */
    public record Tls(Path ca, Path cert, Path key, boolean clientCertAuth) {
    }

    private final Path workDir;
    private final Options options;
    private final String token = "pgha-test-" + UUID.randomUUID();
    private final List<MemberSpec> specs;
    private final ChildProcess[] processes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    /** {@code metricsPort} is 0 without TLS: health is then read on the client URL. */
    private record MemberSpec(String name, int clientPort, int peerPort, Path dataDir, String scheme, int metricsPort) {
        String clientUrl() {
            return scheme + "://127.0.0.1:" + clientPort;
        }

        String clientUrl(String host) {
            return scheme + "://" + host + ":" + clientPort;
        }

        String peerUrl() {
            return scheme + "://127.0.0.1:" + peerPort;
        }

        String healthUrl() {
            return metricsPort == 0 ? clientUrl() : "http://127.0.0.1:" + metricsPort;
        }
    }

    private EtcdCluster(Path workDir, List<MemberSpec> specs, Options options) {
        this.workDir = workDir;
        this.options = options;
        this.specs = specs;
        this.processes = new ChildProcess[specs.size()];
    }

    /** Starts {@code size} members on free ports in a fresh temporary directory and waits until all are healthy. */
    public static EtcdCluster start(int size) {
        return start(size, Options.defaults());
    }

    /** Like {@link #start(int)}, listening and serving as {@code options} say. */
    public static EtcdCluster start(int size, Options options) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("pgha-etcd-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create etcd work directory", e);
        }
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 2 * size; i++) {
            ports.add(Ports.free());
        }
        return start(workDir, ports, options);
    }

    /**
     * Starts members in {@code workDir} on the given ports (client, peer, client, peer, …) and waits
     * until all are healthy.
     */
    public static EtcdCluster start(Path workDir, List<Integer> ports) {
        return start(workDir, ports, Options.defaults());
    }

    private static EtcdCluster start(Path workDir, List<Integer> ports, Options options) {
        int size = ports.size() / 2;
        List<MemberSpec> specs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            specs.add(new MemberSpec("etcd" + i, ports.get(2 * i), ports.get(2 * i + 1), workDir.resolve("etcd" + i),
                    options.tls().isPresent() ? "https" : "http", options.tls().isPresent() ? Ports.free() : 0));
        }
        EtcdCluster cluster = new EtcdCluster(workDir, specs, options);
        try {
            for (int i = 0; i < size; i++) {
                cluster.startMember(i);
            }
            for (int i = 0; i < size; i++) {
                cluster.awaitHealthy(i, Duration.ofSeconds(30));
            }
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts (or restarts, on its existing data directory) member {@code i}. */
    public void startMember(int i) {
        if (processes[i] != null && processes[i].isAlive()) {
            throw new IllegalStateException(specs.get(i).name() + " is already running");
        }
        MemberSpec spec = specs.get(i);
        String initialCluster = specs.stream().map(s -> s.name() + "=" + s.peerUrl()).collect(Collectors.joining(","));
        String clientUrls = spec.clientUrl() + options.extraHost().map(h -> "," + spec.clientUrl(h)).orElse("");
        List<String> command = new ArrayList<>(List.of(BINARY,
                "--name", spec.name(),
                "--data-dir", spec.dataDir().toString(),
                "--listen-client-urls", clientUrls,
                "--advertise-client-urls", clientUrls,
                "--listen-peer-urls", spec.peerUrl(),
                "--initial-advertise-peer-urls", spec.peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", token,
                "--heartbeat-interval", "100",
                "--election-timeout", "1000",
                "--logger", "zap",
                "--log-outputs", "stderr"));
        if (options.enableV2()) {
            command.add("--enable-v2=true");
        }
        options.tls().ifPresent(tls -> {
            String auth = String.valueOf(tls.clientCertAuth());
            command.addAll(List.of("--cert-file", tls.cert().toString(), "--key-file", tls.key().toString(),
                    "--trusted-ca-file", tls.ca().toString(), "--client-cert-auth=" + auth,
                    "--peer-cert-file", tls.cert().toString(), "--peer-key-file", tls.key().toString(),
                    "--peer-trusted-ca-file", tls.ca().toString(), "--peer-client-cert-auth=" + auth,
                    "--listen-metrics-urls", spec.healthUrl()));
        });
        processes[i] = ChildProcess.start(spec.name(), command, workDir.resolve(spec.name() + ".log"), Map.of());
    }

    public void awaitHealthy(int i, Duration timeout) {
        try {
            Await.until(specs.get(i).name() + " healthy", timeout, () -> isHealthy(i));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last log lines:\n" + processes[i].tail(15), e);
        }
    }

    public boolean isHealthy(int i) {
        return isHealthy(http, specs.get(i).healthUrl());
    }

    /** etcd's own health endpoint: true only when the member answers and its cluster has a leader. */
    public static boolean isHealthy(HttpClient http, String clientUrl) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(clientUrl + "/health")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether member {@code i}'s process runs (it may be frozen). */
    public boolean isRunning(int i) {
        return processes[i] != null && processes[i].isAlive();
    }

    public void killMember(int i) {
        Optional.ofNullable(processes[i]).ifPresent(ChildProcess::kill);
    }

    public void freezeMember(int i) {
        processes[i].freeze();
    }

    public void thawMember(int i) {
        processes[i].thaw();
    }

    public void killAll() {
        for (int i = 0; i < size(); i++) {
            killMember(i);
        }
    }

    public void restartAll() {
        for (int i = 0; i < size(); i++) {
            if (processes[i] == null || !processes[i].isAlive()) {
                startMember(i);
            }
        }
        for (int i = 0; i < size(); i++) {
            awaitHealthy(i, Duration.ofSeconds(30));
        }
    }

    public int size() {
        return specs.size();
    }

    public long pid(int i) {
        return processes[i].pid();
    }

    /** Leaves the members running after this JVM exits; returns their PIDs for whoever stops them later. */
    public List<Long> detach() {
        List<Long> pids = new ArrayList<>();
        for (ChildProcess p : processes) {
            pids.add(p.detach().pid());
        }
        return pids;
    }

    public String clientUrl(int i) {
        return specs.get(i).clientUrl();
    }

    /** Member {@code i}'s client port (on 127.0.0.1 and on the extra host, if any). */
    public int clientPort(int i) {
        return specs.get(i).clientPort();
    }

    /** Member {@code i}'s peer (raft) port on 127.0.0.1, where the other members connect to it. */
    public int peerPort(int i) {
        return specs.get(i).peerPort();
    }

    /** Member {@code i}'s name ({@code etcd<i>}). */
    public String memberName(int i) {
        return specs.get(i).name();
    }

    public List<String> clientUrls() {
        return specs.stream().map(MemberSpec::clientUrl).toList();
    }

    /** Client URLs on the extra host of {@link Options#alsoListenOn}. */
    public List<String> clientUrls(String host) {
        if (options.extraHost().filter(host::equals).isEmpty()) {
            throw new IllegalArgumentException("etcd does not listen on " + host);
        }
        return specs.stream().map(s -> s.clientUrl(host)).toList();
    }

    /** Comma-separated host:port list, the form pgha.yml's {@code etcd3.hosts} takes. */
    public String hosts() {
        return specs.stream().map(s -> "127.0.0.1:" + s.clientPort()).collect(Collectors.joining(","));
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        for (ChildProcess process : processes) {
            if (process != null) {
                process.kill();
            }
        }
        Dirs.deleteRecursively(workDir);
    }
}
