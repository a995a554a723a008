package io.pgha.migrate;

import io.pgha.daemon.LocalCluster;
import io.pgha.demo.LocalNode;
import io.pgha.launch.ChildProcess;
import io.pgha.launch.LogTail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One node of a real Patroni cluster in a test, run by either daemon: /usr/bin/patroni (as the
 * postgres user, started by PID with a generated patroni.yml) or pgha with the pgha.yml that
 * {@code pgha migrate from-patroni} made of it. The node's directory, ports and REST probes are
 * those of a {@link LocalNode}, so both daemons are probed the same way.
 */
final class PatroniNode {
    static final String PATRONI = "/usr/bin/patroni";
    static final String SUPERUSER_PASSWORD = LocalNode.SUPERUSER_PASSWORD;
    private static final Pattern PATRONI_VERSION = Pattern.compile("\"version\"\\s*:\\s*\"3\\.");

    final LocalNode node;
    private ChildProcess patroni;
    private ChildProcess pgha;

    PatroniNode(LocalNode node) {
        this.node = node;
    }

    String name() {
        return node.name();
    }

    Path patroniYml() {
        return node.dir().resolve("patroni.yml");
    }

    Path pghaYml() {
        return node.config();
    }

    void writePatroniYml(String etcdHosts) {
        try {
            Files.createDirectories(node.dir());
            Files.setPosixFilePermissions(node.dir(), PosixFilePermissions.fromString("rwx------"));
            UserPrincipalLookupService users = node.dir().getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(node.dir(), users.lookupPrincipalByName("postgres"));
            Files.writeString(patroniYml(), patroniYml(etcdHosts));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + node.dir(), e);
        }
    }

    /** Timing Patroni accepts (ttl ≥ 20) with a short loop, so the test is quick. */
    private String patroniYml(String etcdHosts) {
        Path dir = node.dir();
        return """
                scope: %s
                name: %s
                restapi:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                etcd3:
                  hosts: %s
                bootstrap:
                  dcs:
                    ttl: 20
                    loop_wait: 2
                    retry_timeout: 5
                    maximum_lag_on_failover: 1048576
                    postgresql:
                      use_pg_rewind: true
                      use_slots: true
                  initdb:
                  - encoding: UTF8
                  - data-checksums
                  users:
                    app:
                      password: app-pass
                      options: [createdb]
                postgresql:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                  data_dir: %s
                  bin_dir: /usr/lib/postgresql/15/bin
                  pgpass: %s/pgpass
                  pg_hba:
                  - local all all trust
                  - host all all 127.0.0.1/32 scram-sha-256
                  - host replication all 127.0.0.1/32 scram-sha-256
                  authentication:
                    superuser: {username: postgres, password: %s}
                    replication: {username: replicator, password: rep-pass}
                    rewind: {username: rewind_user, password: rewind-pass}
                  parameters:
                    unix_socket_directories: '%s'
                    shared_buffers: 16MB
                    max_connections: 40
                  remove_data_directory_on_diverged_timelines: false
                watchdog:
                  mode: 'off'
                """.formatted(node.scope(), name(), node.restPort(), node.restPort(), etcdHosts, node.pgPort(), node.pgPort(),
                node.dataDir(), dir, SUPERUSER_PASSWORD, dir);
    }

    /** setpriv execs Patroni in place, so the PID held is Patroni's own. */
    ChildProcess startPatroni() {
        patroni = ChildProcess.start("patroni-" + name(), List.of("setpriv", "--reuid", "postgres", "--regid", "postgres",
                "--init-groups", PATRONI, patroniYml().toString()), node.dir().resolve("patroni.log"), Map.of("HOME", node.dir().toString()));
        return patroni;
    }

    /** SIGKILL to Patroni alone: its PostgreSQL keeps running, as when an operator replaces the daemon. */
    void killPatroni() {
        patroni.kill();
        patroni = null;
    }

    /** SIGTERM: Patroni stops its PostgreSQL. */
    void stopPatroni() {
        patroni.stop(Duration.ofSeconds(30));
        patroni = null;
    }

    ChildProcess startPgha() {
        pgha = node.start(LocalCluster.java());
        return pgha;
    }

    /** SIGTERM: pgha stops its PostgreSQL. */
    void stopPgha() {
        pgha.stop(Duration.ofSeconds(30));
        pgha = null;
    }

    /** A power loss: whichever daemon runs here and its PostgreSQL, SIGKILL, no chance to hand over. */
    void crash() {
        if (pgha != null) {
            pgha.kill();
            pgha = null;
        }
        if (patroni != null) {
            killPatroni();
        }
        node.killPostgres();
    }

    Optional<ChildProcess> pgha() {
        return Optional.ofNullable(pgha);
    }

    /** Which daemon answers on the REST port: Patroni 3.x reports its version there. */
    boolean patroniAnswers(HttpClient http) {
        return node.restBody(http, "/patroni").map(b -> PATRONI_VERSION.matcher(b).find()).orElse(false);
    }

    boolean pghaAnswers(HttpClient http) {
        return node.restBody(http, "/patroni").map(b -> b.contains("\"version\"") && !PATRONI_VERSION.matcher(b).find()).orElse(false);
    }

    String logs() {
        StringBuilder b = new StringBuilder("---- " + name() + " patroni\n");
        b.append(LogTail.of(node.dir().resolve("patroni.log"), 25));
        if (Files.exists(node.daemonLog())) {
            b.append("---- ").append(name()).append(" pgha\n").append(LogTail.of(node.daemonLog(), 25));
        }
        return b.toString();
    }

    /** Everything this node may have left running, by PID: daemons first (they stop PostgreSQL), then the postmaster. */
    List<Runnable> stopSteps() {
        return List.of(
                () -> pgha().ifPresent(p -> p.stop(Duration.ofSeconds(20))),
                () -> {
                    if (patroni != null) {
                        patroni.stop(Duration.ofSeconds(20));
                    }
                },
                node::killPostgres);
    }
}
