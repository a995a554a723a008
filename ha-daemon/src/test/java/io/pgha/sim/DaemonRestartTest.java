package io.pgha.sim;

import io.pgha.ha.Decision;
import io.pgha.ha.HaCore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A daemon killed and restarted (systemd) while its PostgreSQL keeps running. Every node's daemon
 * is killed once, one after the other, so the leader's is among them whichever node won the bootstrap.
 */
class DaemonRestartTest {
    private static final long MS = 1_000_000L;
    private static final SimSettings SETTINGS = SimSettings.norm();

    private static Schedule killEachDaemonFor(long downMillis) {
        return new Schedule(1L, 3, 0, List.of(
                new ScheduledFault(30_000 * MS, downMillis * MS, new Fault.DaemonCrash(0)),
                new ScheduledFault(60_000 * MS, downMillis * MS, new Fault.DaemonCrash(1)),
                new ScheduledFault(90_000 * MS, downMillis * MS, new Fault.DaemonCrash(2))));
    }

    @Test
    void aLeaderRestartedWithinItsLeaseTakesOverItsKeyWithoutAFailover() {
        RunResult r = Simulation.run(SETTINGS, killEachDaemonFor(1_000), Decider.of(new HaCore(SETTINGS.rules())), true);
        String trace = String.join("\n", r.trace());
        assertThat(r.violation()).as(trace).isEmpty();
        assertThat(trace).contains("take over leader: the leader key names me but is bound to lease");
        assertThat(r.failovers()).as("only the bootstrap made a primary\n" + trace).isEqualTo(1);
        assertThat(trace).doesNotContain("demote:").doesNotContain("fenced:");
    }

    @Test
    void theRuleItReplacesDemotedAndCostAnElection() {
        // The core as it was: a key naming me under an earlier lease made a running primary demote.
        Decider demoting = o -> {
            Decision d = new HaCore(SETTINGS.rules()).decide(o);
            return d instanceof Decision.TakeOverLeader ? new Decision.Demote(Decision.DemoteMode.NOLOCK, "as before") : d;
        };
        RunResult r = Simulation.run(SETTINGS, killEachDaemonFor(1_000), demoting, true);
        assertThat(r.violation()).isEmpty();
        assertThat(r.failovers()).as("a demotion, then a new promotion").isGreaterThan(1);
    }

    @Test
    void aLeaderDeadLongerThanItsLeaseIsFencedByTheKeeperAndReplaced() {
        RunResult r = Simulation.run(SETTINGS, killEachDaemonFor(15_000), Decider.of(new HaCore(SETTINGS.rules())), true);
        String trace = String.join("\n", r.trace());
        assertThat(r.violation()).as(trace).isEmpty();
        assertThat(trace).contains("fenced: SIGQUIT to the postmaster");
        assertThat(r.failovers()).as(trace).isGreaterThan(1);
    }
}
