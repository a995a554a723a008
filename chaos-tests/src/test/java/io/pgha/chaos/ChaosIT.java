package io.pgha.chaos;

import io.pgha.demo.DaemonJvm;
import io.pgha.launch.Await;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A randomized schedule of faults on three namespaced nodes (real PostgreSQL 15, pgha daemons from
 * the shaded jar, 3-member etcd), with writers running throughout. After every fault: (3) the
 * cluster returns to one primary and two replicas within {@link #HEALTHY_BOUND}; (2) no split
 * brain in the acknowledged writes ({@link SplitBrainDetector}); (1) acknowledged rows missing on
 * the primary are counted: with {@code -Dchaos.sync=on} (the cluster bootstraps with
 * {@code synchronous_mode: true}) every one must be there, with {@code off} (the default,
 * asynchronous replication) they are reported, not failed.
 *
 * <p>{@code -Dchaos.seed} and {@code -Dchaos.faults} choose the schedule, {@code -Dchaos.only}
 * (comma-separated fault names) restricts it to some kinds. The pom runs this class twice, async
 * and sync, 5 faults each with fixed seeds; the {@code chaos-long} profile 100 each. The table goes
 * to stdout and to {@code <chaos.out>/results.md}, the daemon logs to {@code <chaos.out>/logs}.
 */
class ChaosIT {
    static final Duration BOOT = Duration.ofSeconds(120);
    static final Duration HEALTHY_BOUND = Duration.ofSeconds(60);
    static final Duration CLIENT_BACK = Duration.ofSeconds(30);

    static List<String> java() {
        String jar = System.getProperty("pgha.jar", "../ha-daemon/target/pgha.jar");
        assertThat(Path.of(jar)).as("the daemon's shaded jar (build the reactor first)").exists();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(DaemonJvm.FLAGS);
        cmd.addAll(List.of("-jar", jar));
        return cmd;
    }

    /** Every fault kind once in a seeded order, then again in a new order, and so on. */
    static List<Fault> schedule(Random rnd, int count) {
        return schedule(rnd, count, Fault.all());
    }

    /** Every kind of {@code kinds} once in a seeded order, then again in a new order, and so on. */
    static List<Fault> schedule(Random rnd, int count, List<Fault> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no fault kinds to schedule");
        }
        List<Fault> out = new ArrayList<>();
        while (out.size() < count) {
            List<Fault> round = new ArrayList<>(kinds);
            Collections.shuffle(round, rnd);
            out.addAll(round);
        }
        return List.copyOf(out.subList(0, count));
    }

    /** {@code -Dchaos.sync}: {@code on} runs the cluster in synchronous_mode, {@code off} (default) asynchronous. */
    static boolean synchronous(String value) {
        return switch (value == null ? "off" : value.strip().toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false", "" -> false;
            default -> throw new IllegalArgumentException("chaos.sync must be on or off, got '" + value + "'");
        };
    }

    @Test
    void randomizedFaultSchedule() throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        int count = Integer.getInteger("chaos.faults", 5);
        boolean sync = synchronous(System.getProperty("chaos.sync"));
        String only = System.getProperty("chaos.only", "");
        Path out = Path.of(System.getProperty("chaos.out", "target/chaos"));
        Random rnd = new Random(seed);
        List<Fault> schedule = schedule(rnd, count, Fault.parseList(only));
        log("chaos: " + (sync ? "synchronous" : "asynchronous") + " mode, seed " + seed + ", " + count + " faults: " + schedule
                + " (replay: -Dchaos.sync=" + (sync ? "on" : "off") + " -Dchaos.seed=" + seed + " -Dchaos.faults=" + count
                + (only.isBlank() ? "" : " -Dchaos.only=" + only) + ")");
        Results results = new Results(seed, sync);
        List<String> problems = new ArrayList<>();
        int totalAcked = 0;
        int totalLost = 0;
        int totalFindings = 0;
        long startedNanos = System.nanoTime();
        try (ChaosCluster c = ChaosCluster.create(3, "fast", java(), sync)) {
            c.keepLogsIn = out.resolve("logs");
            log("chaos: lab " + c.lab.id() + ", nodes " + c.nodes + ", etcd on " + c.lab.bridgeIpv4());
            c.startAll();
            ChaosNode primary = c.awaitHealthy(BOOT);
            log("chaos: healthy, primary " + primary.name);
            if (sync) {
                // The mode must really be in effect, or "lost 0" would prove nothing.
                log("chaos: synchronous standby of " + primary.name + ": " + awaitSynchronousStandby(primary));
            }
            Writers w = new Writers(c, System.nanoTime());
            try {
                w.start(primary);
                awaitClientAck(w, w.nowUs());
                long prevEnd = w.nowUs();
                int consumed = w.history().size();
                for (int i = 0; i < schedule.size(); i++) {
                    Fault f = schedule.get(i);
                    ChaosNode p = c.awaitHealthy(HEALTHY_BOUND);
                    List<ChaosNode> replicas = c.nodes.stream().filter(n -> n != p).toList();
                    ChaosNode target = f.targetsReplica() ? replicas.get(rnd.nextInt(replicas.size())) : p;
                    log("chaos: #" + (i + 1) + " " + f + " on " + target.name + " (primary " + p.name + ")");
                    Optional<Long> postmasterBefore = p.postmasterPid();
                    long start = w.nowUs();
                    Fault.Outcome outcome = f.inject(c, target);
                    String note = outcome.note();
                    ChaosNode after;
                    Double healthyAfter;
                    try {
                        after = c.awaitHealthy(HEALTHY_BOUND);
                        healthyAfter = (w.nowUs() - start) / 1e6;
                    } catch (AssertionError e) {
                        problems.add("#" + (i + 1) + " " + f + ": not healthy within " + HEALTHY_BOUND.toSeconds() + " s: " + e.getMessage());
                        results.rows.add(new Results.Row(i + 1, f, outcome.target(), "—", null, null, 0, 0, 0, "NOT HEALTHY " + note));
                        break;
                    }
                    if (f.failoverNeedless() && after != p) {
                        note = (note + "; failover to " + after.name + " although " + p.name + " could have stayed primary").replaceFirst("^; ", "");
                    }
                    if (after == p && !p.postmasterPid().equals(postmasterBefore)) {
                        // No failover, but not untouched either: the daemon fenced (or lost) its PostgreSQL and started it again.
                        note = (note + "; " + p.name + " stayed primary with a new postmaster").replaceFirst("^; ", "");
                    }
                    try {
                        awaitClientAck(w, w.nowUs());
                    } catch (AssertionError e) {
                        note = (note + "; client not writing " + CLIENT_BACK.toSeconds() + " s after healthy").replaceFirst("^; ", "");
                        problems.add("#" + (i + 1) + " " + f + ": " + note);
                    }
                    long end = w.nowUs();
                    List<Write> history = w.history();
                    final long from = prevEnd;
                    // The queue keeps insertion order: each write belongs to exactly one fault's window, even one
                    // acknowledged just before `end` but recorded just after the snapshot.
                    List<Write> window = List.copyOf(history.subList(consumed, history.size()));
                    consumed = history.size();
                    Double rto = rto(history, start, end);
                    // Detector over the window plus 10 s before it, so an overlap across the boundary is seen;
                    // only findings ending in this window are this fault's.
                    List<Write> context = history.stream().filter(x -> x.ackedUs() > from - 10_000_000).toList();
                    List<SplitBrainDetector.Finding> findings = SplitBrainDetector.check(context, 20).stream()
                            .filter(fd -> fd.b().ackedUs() > from).toList();
                    int lost = missing(after, window);
                    results.rows.add(new Results.Row(i + 1, f, outcome.target(), after.name, rto, healthyAfter, window.size(), lost,
                            findings.size(), note));
                    log("chaos: #" + (i + 1) + " " + f + " on " + outcome.target() + ": RTO " + rto + " s, healthy after " + healthyAfter
                            + " s, primary " + after.name + ", acked " + window.size() + ", lost " + lost + ", split brain findings "
                            + findings.size() + (note.isEmpty() ? "" : ", " + note));
                    if (sync && lost > 0) {
                        problems.add("#" + (i + 1) + " " + f + " on " + outcome.target() + ": " + lost
                                + " acknowledged rows missing on " + after.name + " in synchronous mode");
                    }
                    if (!findings.isEmpty()) {
                        problems.add("#" + (i + 1) + " " + f + " on " + target.name + ": split brain:\n  "
                                + String.join("\n  ", findings.stream().map(Object::toString).toList()));
                    }
                    totalFindings += findings.size();
                    prevEnd = end;
                }
            } finally {
                w.close();
            }
            List<Write> all = w.history();
            totalAcked = all.size();
            try {
                ChaosNode finalPrimary = c.awaitHealthy(HEALTHY_BOUND);
                totalLost = missing(finalPrimary, all);
                if (sync && totalLost > 0) {
                    problems.add(totalLost + " acknowledged rows missing on the final primary " + finalPrimary.name + " in synchronous mode");
                }
            } catch (AssertionError e) {
                problems.add("no healthy cluster at the end for the final loss count: " + e.getMessage());
            }
            if (!problems.isEmpty()) {
                log(c.state());
            }
        } finally {
            results.elapsedSeconds = (System.nanoTime() - startedNanos) / 1e9;
            String table = results.markdown(totalAcked, totalLost, totalFindings);
            results.write(out.resolve("results.md"), table);
            log("\n" + table);
        }
        assertThat(problems).as("chaos run with seed " + seed + " (daemon logs in " + out.resolve("logs") + ")").isEmpty();
    }

    /** The standby PostgreSQL on {@code primary} reports as {@code sync} in pg_stat_replication. */
    static String awaitSynchronousStandby(ChaosNode primary) {
        return Await.value("a synchronous standby in pg_stat_replication on " + primary.name, BOOT, () -> {
            try (Connection conn = DriverManager.getConnection(primary.jdbcUrl(), Writers.props(5));
                 PreparedStatement ps = conn.prepareStatement("SELECT application_name FROM pg_stat_replication WHERE sync_state = 'sync'");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void log(String s) {
        System.out.println(s);
        System.out.flush();
    }

    private static void awaitClientAck(Writers w, long afterUs) {
        Await.until("a write acknowledged through the multi-host URL", CLIENT_BACK, () -> w.lastClientAckUs() > afterUs);
    }

    /**
     * The longest gap between consecutive acknowledgements of the multi-host client from its last
     * acknowledgement before the fault to the end of the fault's window: the time clients could not write.
     */
    static Double rto(List<Write> history, long startUs, long endUs) {
        List<Long> acks = history.stream().filter(x -> x.source().equals("client")).map(Write::ackedUs).sorted().toList();
        long last = acks.stream().filter(a -> a <= startUs).max(Comparator.naturalOrder()).orElse(startUs);
        long worst = 0;
        boolean any = false;
        for (long a : acks) {
            if (a > startUs && a <= endUs) {
                worst = Math.max(worst, a - last);
                last = a;
                any = true;
            }
        }
        return any ? worst / 1e6 : null;
    }

    /** How many of {@code writes} the node does not have. */
    static int missing(ChaosNode primary, List<Write> writes) {
        return Await.value("the acknowledged ids read back from " + primary.name, CLIENT_BACK, () -> {
            try {
                return Optional.of(missingOnce(primary, writes));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int missingOnce(ChaosNode primary, List<Write> writes) throws SQLException {
        if (writes.isEmpty()) {
            return 0;
        }
        long min = writes.stream().mapToLong(Write::id).min().orElseThrow();
        long max = writes.stream().mapToLong(Write::id).max().orElseThrow();
        BitSet present = new BitSet();
        try (Connection conn = DriverManager.getConnection(primary.jdbcUrl(), Writers.props(30));
             PreparedStatement ps = conn.prepareStatement("SELECT id FROM " + Writers.TABLE + " WHERE id BETWEEN ? AND ?")) {
            ps.setLong(1, min);
            ps.setLong(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.set((int) (rs.getLong(1) - min));
                }
            }
        }
        return (int) writes.stream().filter(x -> !present.get((int) (x.id() - min))).count();
    }

}
