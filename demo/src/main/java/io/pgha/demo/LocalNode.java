package io.pgha.demo;

import com.sun.security.auth.module.UnixSystem;
import io.pgha.launch.ChildProcess;
import io.pgha.postgres.PgOsUser;
import io.pgha.postgres.Postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One pgha node on loopback: its directory (owned by PostgreSQL's user when run as root), its
 * pgha.yml, and the daemon process. Used by `pgha demo` and by the multi-node tests alike, so the
 * demo is exactly what the tests prove.
 */
public record LocalNode(String scope, String name, int pgPort, int restPort, Path dir) {
    public static final String SUPERUSER_PASSWORD = "demo-superuser";

    public Path config() {
        return dir.resolve("pgha.yml");
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path daemonLog() {
        return dir.resolve("pgha.log");
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
    }

    /** Creates the directory PostgreSQL will run in (a child of it) and writes pgha.yml. */
    public void prepare(String etcdHosts, String rto, String extraDcs, String extraTop) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            postgresUser().own(dir);
            Files.writeString(config(), yaml(etcdHosts, rto, extraDcs, extraTop));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    /**
     * The account PostgreSQL runs as on a local node: postgres when started as root (PostgreSQL
     * refuses root, and {@link #prepare} hands the node directory to it, whose owner the daemon
     * then runs PostgreSQL as), otherwise whoever runs the demo or the test.
     */
    static PgOsUser postgresUser() {
        if (new UnixSystem().getUid() == 0) {
            return new PgOsUser("postgres", true);
        }
        return new PgOsUser(System.getProperty("user.name"), false);
    }

    String yaml(String etcdHosts, String rto, String extraDcs, String extraTop) {
        return yaml(new Shape(scope, name, "127.0.0.1", restPort, pgPort, dataDir(), dir, SUPERUSER_PASSWORD, "demo"),
                etcdHosts, rto, extraDcs, extraTop);
    }

    /** What differs between the nodes of a local cluster, for {@link #yaml(Shape, String, String, String, String)}. */
    public record Shape(String scope, String name, String host, int restPort, int pgPort, Path dataDir, Path socketDir,
                        String superuserPassword, String secretPrefix) {
    }

    /** The pgha.yml of a test or demo node: the demo, the test harness and the chaos suite share it. */
    public static String yaml(Shape n, String etcdHosts, String rto, String extraDcs, String extraTop) {
        return """
                scope: %s
                name: %s
                restapi:
                  listen: %s:%d
                  connect_address: %s:%d
                etcd3:
                  hosts: %s
                bootstrap:
                  dcs:
                    rto: %s
                    postgresql:
                      use_pg_rewind: true
                %s
                postgresql:
                  listen: %s:%d
                  connect_address: %s:%d
                  data_dir: %s
                  use_pg_rewind: true
                  remove_data_directory_on_rewind_failure: true
                  pg_ctl_timeout: 30
                  authentication:
                    superuser: {username: postgres, password: %s}
                    replication: {username: replicator, password: %s-replicator}
                    rewind: {username: rewind_user, password: %s-rewind}
                  parameters:
                    shared_buffers: 16MB
                    max_connections: 30
                    unix_socket_directories: '%s'
                    log_min_messages: warning
                %s
                """.formatted(n.scope(), n.name(), n.host(), n.restPort(), n.host(), n.restPort(), etcdHosts, rto, indent(extraDcs, "    "),
                n.host(), n.pgPort(), n.host(), n.pgPort(), n.dataDir(), n.superuserPassword(), n.secretPrefix(), n.secretPrefix(),
                n.socketDir(), extraTop);
    }

    private static String indent(String text, String prefix) {
        return text.isBlank() ? "" : text.lines().map(l -> prefix + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    /** The daemon, started with {@code javaCommand} (a java launcher plus jar or classpath and main class). */
    public ChildProcess start(List<String> javaCommand) {
        List<String> cmd = new ArrayList<>(javaCommand);
        cmd.addAll(List.of("daemon", "-c", config().toString()));
        return ChildProcess.start("pgha-" + name, cmd, daemonLog(), DaemonJvm.ENVIRONMENT);
    }

    /** The postmaster's PID, if one runs for this node's data directory. */
    public Optional<Long> postmasterPid() {
        return Postgres.postmasterPid(dataDir());
    }

    /** SIGKILL to the postmaster and every process of its group (pg_ctl starts it in a session of its own). */
    public void killPostgres() {
        postmasterPid().ifPresent(pid -> {
            try {
                new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor();
                new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** HTTP status of a REST path on this node, or -1 when nothing answers. */
    public int restStatus(HttpClient http, String method, String path) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(2))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            return http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public Optional<String> restBody(HttpClient http, String path) {
        try {
            HttpRequest r = HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(2)).GET().build();
            HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
            return Optional.of(resp.body());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
