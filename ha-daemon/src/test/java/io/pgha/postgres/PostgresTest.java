package io.pgha.postgres;

import com.sun.security.auth.module.UnixSystem;
import io.pgha.config.PghaConfig;
import io.pgha.config.PostgresqlConfig;
import io.pgha.dcs.MonotonicClock;
import io.pgha.ha.PgState;
import io.pgha.ha.ReplicationPeer;
import io.pgha.launch.Await;
import io.pgha.launch.Dirs;
import io.pgha.launch.Ports;
import io.pgha.node.PgSnapshot;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The effects layer on real PostgreSQL 15: initdb, start, roles, probe, clone with a slot, re-point,
 * promote, and pg_rewind of a diverged old primary. One scenario, in order, as a node lives it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresTest {
    static Path dir;
    static Postgres a;
    static Postgres b;
    static Upstream upA;
    static Upstream upB;
    static final AtomicInteger exits = new AtomicInteger();

    static Postgres node(String name, int port) {
        String yaml = """
                scope: pgtest
                name: %s
                restapi: {listen: 127.0.0.1:1, connect_address: 127.0.0.1:1}
                etcd3: {hosts: 127.0.0.1:2379}
                postgresql:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                  data_dir: %s
                  authentication:
                    superuser: {username: postgres, password: su-secret}
                    replication: {username: replicator, password: repl-secret}
                    rewind: {username: rewinder, password: rewind-secret}
                  parameters: {shared_buffers: 16MB, max_connections: 20, unix_socket_directories: '%s', fsync: 'off'}
                  use_pg_rewind: true
                """.formatted(name, port, port, dir.resolve(name), dir);
        PostgresqlConfig cfg = PghaConfig.parse(yaml, Map.of()).postgresql();
        return new Postgres(cfg, "pgtest", name, PgOsUser.forDataDirectory(cfg.dataDir()), Duration.ofSeconds(5), MonotonicClock.SYSTEM);
    }

    @BeforeAll
    static void setUp() throws Exception {
        dir = PgDirs.create("pgha-pg-");
        int pa = Ports.free();
        int pb = Ports.free();
        a = node("a", pa);
        b = node("b", pb);
        upA = new Upstream("a", "127.0.0.1", pa);
        upB = new Upstream("b", "127.0.0.1", pb);
    }

    @AfterAll
    static void tearDown() {
        for (Postgres p : new Postgres[] {a, b}) {
            if (p != null) {
                p.postmasterPid().ifPresent(pid -> p.stop(Postgres.StopMode.IMMEDIATE));
                p.close();
            }
        }
        Dirs.deleteRecursively(dir);
    }

    @Test
    @Order(1)
    void absentBeforeInitdb() {
        assertThat(a.observe().state()).isInstanceOf(PgState.Absent.class);
    }

    @Test
    @Order(2)
    void initdbStartAndRolesMakeAWritablePrimary() throws Exception {
        a.initdb();
        assertThat(a.controlData().checksums()).as("data checksums on by default").isTrue();
        assertThat(a.start(false, Optional.empty(), Map.of()).ok()).isTrue();
        new Roles(PghaConfig.parse("""
                scope: x
                name: x
                restapi: {listen: 127.0.0.1:1, connect_address: 127.0.0.1:1}
                etcd3: {hosts: 127.0.0.1:2379}
                postgresql:
                  listen: 127.0.0.1:1
                  connect_address: 127.0.0.1:1
                  data_dir: /nonexistent
                  authentication:
                    superuser: {username: postgres, password: su-secret}
                    replication: {username: replicator, password: repl-secret}
                    rewind: {username: rewinder, password: rewind-secret}
                """, Map.of()).postgresql().authentication()).create(a);
        a.execute("CREATE TABLE t (id int PRIMARY KEY)");
        a.execute("INSERT INTO t VALUES (1)");
        Postgres.Observed seen = a.observe();
        assertThat(seen.state()).isInstanceOf(PgState.Running.class);
        assertThat(((PgState.Running) seen.state()).isPrimary()).isTrue();
        assertThat(seen.snapshot().timeline()).isEqualTo(1);
        assertThat(seen.snapshot().writeLsn()).isPositive();
        assertThat(seen.snapshot().systemId()).contains(Long.toUnsignedString(a.controlData().systemId()));
    }

    @Test
    @Order(3)
    void cloneCreatesTheSlotAndStreams() throws Exception {
        CommandResult clone = b.cloneFrom(upA);
        assertThat(clone.ok()).as(clone.describe()).isTrue();
        assertThat(b.start(true, Optional.of(upA), Map.of()).ok()).isTrue();
        PgSnapshot s = Await.value("b streams from a", Duration.ofSeconds(30), () -> {
            Postgres.Observed o = b.observe();
            return "streaming".equals(o.snapshot().replicationState()) ? Optional.of(o.snapshot()) : Optional.empty();
        });
        assertThat(s.inRecovery()).isTrue();
        PgSnapshot primary = a.observe().snapshot();
        assertThat(primary.replication()).extracting(ReplicationPeer::applicationName).contains("b");
        assertThat(a.syncSlots(Set.of("b"), slot -> false)).as("the clone made its slot already").isEmpty();
    }

    /**
     * Patroni writes the passfile with the one primary it follows; a standby it left behind and pgha
     * re-points must get pgha's own passfile with the new primary_conninfo, or it cannot reconnect.
     */
    @Test
    @Order(4)
    void reloadingAStandbyRewritesThePassfileItsConninfoNames() throws Exception {
        Path passfile = dir.resolve("b.pgpass");
        assertThat(passfile).exists();
        PgOsUser.forDataDirectory(dir.resolve("b")).writePrivate(passfile, "127.0.0.1:1:*:replicator:repl-secret\n");

        b.follow(Optional.of(upA), Map.of());
        a.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_replication WHERE application_name = 'b'");

        assertThat(Files.readString(passfile)).contains("*:*:*:replicator:repl-secret");
        Await.until("b streams from a again", Duration.ofSeconds(30),
                () -> "streaming".equals(b.observe().snapshot().replicationState()));
    }

    @Test
    @Order(5)
    void slotsOfVanishedMembersAreDroppedUnlessKept() throws Exception {
        assertThat(a.syncSlots(Set.of("b", "c"), slot -> false)).containsExactly("created slot c");
        assertThat(a.syncSlots(Set.of("b"), slot -> true)).as("kept while within member_slots_ttl").isEmpty();
        assertThat(a.syncSlots(Set.of("b"), slot -> false)).containsExactly("dropped slot c");
    }

    @Test
    @Order(6)
    void exitOfThePostmasterIsNoticedAtOnceEvenAsAZombie() throws Exception {
        a.onExit(exits::incrementAndGet);
        a.observe(); // starts watching the running postmaster
        long pid = a.postmasterPid().orElseThrow();
        String fenced = a.fence();
        assertThat(fenced).contains("SIGQUIT").contains(Long.toString(pid));
        Await.until("exit callback", Duration.ofSeconds(10), () -> exits.get() == 1);
        assertThat(a.observe().state()).isInstanceOf(PgState.Stopped.class);
        assertThat(((PgState.Stopped) a.observe().state()).wasPrimary()).isTrue();
    }

    @Test
    @Order(7)
    void promotedReplicaTakesWritesAndTheOldPrimaryRewinds() throws Exception {
        // Timelines 2 and 3 were used by members whose WAL b never received: b must not name its own
        // history 2, or a's rejoin below would see "the same timeline" and skip the rewind.
        assertThat(b.skipTimelines(2, 4)).containsExactly(2L, 3L);
        assertThat(b.skipTimelines(2, 4)).as("placed once").isEmpty();
        assertThat(b.promote().ok()).isTrue();
        b.checkpoint();
        b.execute("INSERT INTO t VALUES (2)");
        assertThat(b.observe().snapshot().timeline()).isEqualTo(4);
        // Diverge a: start it alone as a primary on timeline 1 and write there.
        assertThat(a.start(false, Optional.empty(), Map.of()).ok()).isTrue();
        a.execute("INSERT INTO t VALUES (100)");
        a.execute("SELECT pg_switch_wal()");
        a.stop(Postgres.StopMode.IMMEDIATE);
        // A rewind that cannot even connect changes nothing, and leaves nothing that would stop a start.
        CommandResult cutOff = a.rewindFrom(new Upstream("gone", "127.0.0.1", Ports.free()));
        assertThat(cutOff.ok()).isFalse();
        assertThat(a.rewindUnfinished()).isFalse();
        CommandResult rewind = a.rewindFrom(upB);
        assertThat(rewind.ok()).as(rewind.describe() + "\n" + rewind.output()).isTrue();
        assertThat(a.rewindUnfinished()).isFalse();
        // As leader, b keeps a slot for every member (HA loop); a streams through it.
        assertThat(b.syncSlots(Set.of("a"), slot -> false)).containsExactly("created slot a");
        assertThat(a.start(true, Optional.of(upB), Map.of()).ok()).isTrue();
        PgSnapshot s = Await.value("a streams from b on timeline 4", Duration.ofSeconds(30), () -> {
            Postgres.Observed o = a.observe();
            return "streaming".equals(o.snapshot().replicationState()) && o.snapshot().timeline() == 4
                    ? Optional.of(o.snapshot()) : Optional.empty();
        });
        assertThat(s.inRecovery()).isTrue();
    }

    @Test
    @Order(8)
    void rootIsRefusedAsPostgresUser() throws Exception {
        if (new UnixSystem().getUid() != 0) {
            return; // only root can own a directory as root; nothing to refuse otherwise
        }
        Path rootOwned = Files.createTempDirectory("pgha-root-");
        try {
            Assertions.assertThatThrownBy(() -> PgOsUser.forDataDirectory(rootOwned.resolve("data")))
                    .isInstanceOf(PgUserException.class)
                    .hasMessageContaining("refusing to run PostgreSQL as root");
        } finally {
            Files.delete(rootOwned);
        }
    }
}
