package io.pgha.postgres;

import io.pgha.config.PghaConfig;
import io.pgha.config.PostgresqlAuthentication;
import io.pgha.config.PostgresqlConfig;
import io.pgha.dcs.MonotonicClock;
import io.pgha.launch.Await;
import io.pgha.launch.Dirs;
import io.pgha.launch.Ports;
import io.pgha.testing.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replication, pg_basebackup and pg_rewind with {@code sslmode=verify-full} against real
 * PostgreSQL 15 serving TLS with a certificate for {@code localhost} only, and only {@code hostssl}
 * lines in pg_hba. Every PostgreSQL binary pgha runs goes through a wrapper that records its
 * command line and environment, so the test can show no password is ever on one; the servers run
 * with {@code log_statement = all}, so their logs show whether a password reached them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationTlsTest {
    static final String REAL_BIN = "/usr/lib/postgresql/15/bin";
    static final List<String> SECRETS = List.of("su-secret-7f3a", "repl-secret-91c2", "rewind-secret-0d4e");
    static Path dir;
    static TestCa ca;
    static TestCa otherCa;
    static TestCa.Issued server;
    static Path commands;
    static int pa;
    static int pb;
    static Postgres a;
    static Postgres b;
    static PostgresqlAuthentication aAuth;
    static final List<Postgres> all = new ArrayList<>();

    static Postgres node(String name, int port, Path rootCert) {
        String yaml = """
                scope: pgtls
                name: %1$s
                restapi: {listen: 127.0.0.1:1, connect_address: 127.0.0.1:1}
                etcd3: {hosts: 127.0.0.1:2379}
                postgresql:
                  listen: 127.0.0.1:%2$d
                  connect_address: 127.0.0.1:%2$d
                  data_dir: %3$s
                  bin_dir: %4$s
                  authentication:
                    superuser: {username: postgres, password: %5$s, sslmode: verify-ca, sslrootcert: %6$s}
                    replication: {username: replicator, password: %7$s, sslmode: verify-full, sslrootcert: %6$s}
                    rewind: {username: rewinder, password: %8$s, sslmode: verify-full, sslrootcert: %6$s}
                  parameters: {shared_buffers: 16MB, max_connections: 20, unix_socket_directories: '%9$s', fsync: 'off',
                               ssl: 'on', ssl_cert_file: '%10$s', ssl_key_file: '%11$s', log_statement: all, log_connections: 'on'}
                  pg_hba:
                    - local all all peer
                    - hostssl all all 127.0.0.1/32 scram-sha-256
                    - hostssl replication all 127.0.0.1/32 scram-sha-256
                    - hostssl all all ::1/128 scram-sha-256
                    - hostssl replication all ::1/128 scram-sha-256
                  use_pg_rewind: true
                """.formatted(name, port, dir.resolve(name), dir.resolve("bin"), SECRETS.get(0), rootCert, SECRETS.get(1),
                SECRETS.get(2), dir, server.cert(), server.key());
        PostgresqlConfig cfg = PghaConfig.parse(yaml, Map.of()).postgresql();
        Postgres pg = new Postgres(cfg, "pgtls", name, PgOsUser.forDataDirectory(cfg.dataDir()), Duration.ofSeconds(5), MonotonicClock.SYSTEM);
        all.add(pg);
        if (aAuth == null) {
            aAuth = cfg.authentication();
        }
        return pg;
    }

    @BeforeAll
    static void setUp() throws Exception {
        dir = PgDirs.create("pgha-pgtls-");
        ca = TestCa.create(dir.resolve("ca"), "pg");
        otherCa = TestCa.create(dir.resolve("other-ca"), "other");
        // Named for localhost only: connecting to 127.0.0.1 with verify-full is a hostname mismatch.
        server = ca.issue("pg-server", "DNS:localhost", TestCa.KeyFormat.PKCS8, 1);
        PgOsUser owner = PgOsUser.forDataDirectory(dir.resolve("a"));
        owner.writePrivate(server.key(), Files.readString(server.key())); // PostgreSQL wants its key 0600 and its own
        commands = dir.resolve("commands.log");
        owner.writePrivate(commands, "");
        Files.setPosixFilePermissions(commands, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path bin = Files.createDirectory(dir.resolve("bin"));
        try (var real = Files.list(Path.of(REAL_BIN))) {
            for (Path binary : real.toList()) {
                Path wrapper = bin.resolve(binary.getFileName().toString());
                Files.writeString(wrapper, "#!/bin/sh\n{ echo \"argv: $0 $*\"; env | sed 's/^/env: /'; } >> '" + commands + "'\nexec '"
                        + binary + "' \"$@\"\n");
                Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        pa = Ports.free();
        pb = Ports.free();
        a = node("a", pa, ca.caCert());
        b = node("b", pb, ca.caCert());
    }

    @AfterAll
    static void tearDown() {
        for (Postgres p : all) {
            p.postmasterPid().ifPresent(pid -> p.stop(Postgres.StopMode.IMMEDIATE));
            p.close();
        }
        Dirs.deleteRecursively(dir);
    }

    @Test
    @Order(1)
    void aReplicaClonesAndStreamsWithVerifyFull() throws Exception {
        a.initdb();
        assertThat(a.start(false, Optional.empty(), Map.of()).ok()).as("a starts with ssl on").isTrue();
        new Roles(aAuth).create(a);
        a.execute("CREATE TABLE t (id int PRIMARY KEY)");

        CommandResult clone = b.cloneFrom(new Upstream("a", "localhost", pa));
        assertThat(clone.ok()).as(clone.output()).isTrue();
        assertThat(b.start(true, Optional.of(new Upstream("a", "localhost", pa)), Map.of()).ok()).isTrue();
        Await.until("b streams from a", Duration.ofSeconds(30), () -> "streaming".equals(b.observe().snapshot().replicationState()));

        assertThat(Files.readString(dir.resolve("b").resolve("postgresql.conf")))
                .contains("sslmode=''verify-full''").contains("sslrootcert=''" + ca.caCert() + "''").doesNotContain("password");
        try (Connection c = superuserTo(pa); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT s.ssl, s.version FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid)"
                     + " WHERE r.application_name = 'b'")) {
            assertThat(rs.next()).as("b's walsender").isTrue();
            assertThat(rs.getBoolean(1)).as("b streams over TLS").isTrue();
            assertThat(rs.getString(2)).startsWith("TLS");
        }
    }

    @Test
    @Order(2)
    void aCloneTrustingAnotherCaIsRefusedWithTheReason() {
        assertThat(refusedClone("c", otherCa, "localhost")).contains("certificate verify failed");
    }

    @Test
    @Order(3)
    void aCloneFromAHostTheCertificateDoesNotNameIsRefusedWithTheReason() {
        assertThat(refusedClone("d", ca, "127.0.0.1")).contains("does not match host name \"127.0.0.1\"");
    }

    /** What a clone of a by a new node trusting {@code trusted} and connecting to {@code host} says in its log line. */
    private static String refusedClone(String name, TestCa trusted, String host) {
        CommandResult clone = node(name, Ports.free(), trusted.caCert()).cloneFrom(new Upstream("a", host, pa));
        assertThat(clone.ok()).isFalse();
        return clone.describe();
    }

    @Test
    @Order(4)
    void pgRewindConnectsToItsSourceWithVerifyFull() throws Exception {
        assertThat(b.promote().ok()).isTrue();
        Await.until("b is a primary", Duration.ofSeconds(30), () -> !b.observe().snapshot().inRecovery());
        b.checkpoint();
        assertThat(a.stop(Postgres.StopMode.FAST).ok()).isTrue();

        CommandResult mismatch = a.rewindFrom(new Upstream("b", "127.0.0.1", pb));
        assertThat(mismatch.ok()).isFalse();
        assertThat(mismatch.output()).contains("does not match host name");
        CommandResult rewind = a.rewindFrom(new Upstream("b", "localhost", pb));
        assertThat(rewind.ok()).as(rewind.output()).isTrue();
        assertThat(Files.readString(b.logFile())).contains("connection authorized: user=rewinder database=postgres application_name=pgha_rewind"
                + " SSL enabled");
    }

    /** Item of the same issue: passwords live in 0600 passfiles, never on a command line or in a server's log. */
    @Test
    @Order(5)
    void noPasswordOnAnyCommandLineOrInAnyLogAndPassfilesAre0600() throws Exception {
        String recorded = Files.readString(commands);
        assertThat(recorded).contains("argv: " + dir.resolve("bin").resolve("pg_basebackup"))
                .contains("argv: " + dir.resolve("bin").resolve("pg_rewind")).contains("argv: " + dir.resolve("bin").resolve("initdb"))
                .contains("argv: " + dir.resolve("bin").resolve("pg_ctl"));
        for (String secret : SECRETS) {
            assertThat(recorded).as("command lines and environments of every binary run").doesNotContain(secret);
            for (String node : List.of("a", "b")) {
                assertThat(Files.readString(dir.resolve(node + ".log"))).as(node + "'s server log (log_statement = all)").doesNotContain(secret);
            }
        }
        assertThat(Files.readString(dir.resolve("a.log"))).as("the roles were made with log_statement = all in force")
                .contains("CREATE TABLE t");
        for (String node : List.of("a", "b", "c", "d")) {
            Path passfile = dir.resolve(node + ".pgpass");
            assertThat(Files.getPosixFilePermissions(passfile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(passfile)).contains(SECRETS.get(1));
        }
    }

    private static Connection superuserTo(int port) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", SECRETS.get(0));
        p.setProperty("sslmode", "require");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }
}
