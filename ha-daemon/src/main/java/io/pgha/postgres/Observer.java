package io.pgha.postgres;

import io.pgha.dcs.MonotonicClock;
import io.pgha.ha.PgState;
import io.pgha.node.Archiver;
import io.pgha.node.PgSnapshot;
import io.pgha.postgres.Postgres.Observed;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Looks at PostgreSQL for the HA loop, and starts watching every postmaster it finds running. */
final class Observer {
    private final DataDirectory dataDirectory;
    private final PgProbe probe;
    private final ExitWatch exitWatch;
    private final MonotonicClock clock;
    private final ReceivedTimeline receivedTimeline = new ReceivedTimeline();
    private String lastKind = "";
    private long kindSince;

    Observer(DataDirectory dataDirectory, PgProbe probe, ExitWatch exitWatch, MonotonicClock clock) {
        this.dataDirectory = dataDirectory;
        this.probe = probe;
        this.exitWatch = exitWatch;
        this.clock = clock;
    }

    /** One look at PostgreSQL: the decision core's view and the published snapshot, consistently. */
    Observed observe() {
        long now = clock.nanos();
        if (!dataDirectory.exists()) {
            return new Observed(new PgState.Absent(), PgSnapshot.notRunning("stopped", "uninitialized"));
        }
        Optional<Long> pid = PostmasterLock.runningPid(dataDirectory.path());
        if (pid.isPresent()) {
            exitWatch.watch(pid.get());
            try {
                PgSnapshot s = receivedTimeline.apply(probe.status());
                long sysid = s.systemId().map(Long::parseUnsignedLong).orElse(0L);
                PgState.Role role = s.inRecovery() ? PgState.Role.REPLICA : PgState.Role.PRIMARY;
                return new Observed(new PgState.Running(role, sysid, s.timeline(), s.walPosition(), since("running-" + role, now)), s);
            } catch (SQLException e) {
                // A live postmaster that does not answer is starting, recovering or shutting down.
                ControlData cd = dataDirectory.controlData();
                return new Observed(new PgState.Starting(cd.systemId(), !dataDirectory.hasStandbySignal() && cd.stoppedAsPrimary(),
                        since("starting", now)), PgSnapshot.notRunning("starting", dataDirectory.hasStandbySignal() ? "replica" : "primary"));
            }
        }
        ControlData cd = dataDirectory.controlData();
        boolean wasPrimary = !dataDirectory.hasStandbySignal() && cd.stoppedAsPrimary();
        PgSnapshot snap = new PgSnapshot(cd.cleanlyShutDown() ? "stopped" : "crashed", wasPrimary ? "primary" : "replica", false, !wasPrimary,
                cd.systemIdText(), cd.timeline(), 0, 0, 0, Optional.empty(), false, "", 0, Optional.empty(), List.of(), false, Map.of(), Archiver.OFF);
        return new Observed(new PgState.Stopped(cd.systemId(), cd.timeline(), wasPrimary, since("stopped", now)), snap);
    }

    /** When PostgreSQL entered the kind of state it is in now, as the decision core measures timeouts. */
    private long since(String kind, long now) {
        if (!kind.equals(lastKind)) {
            lastKind = kind;
            kindSince = now;
        }
        return kindSince;
    }
}
