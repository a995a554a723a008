package io.pgha.ha;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one HA cycle does, with the reason in words: the daemon logs exactly one line per cycle,
 * {@code <action>: <reason>}, so behaviour can be read from the outside.
 */
public sealed interface Decision {
    String reason();

    /** A short verb for the log line and the metrics label. */
    default String action() {
        return getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
    }

    default String logLine() {
        return action() + ": " + reason();
    }

    /** Renew the lease, publish member and status; nothing else to do. */
    record KeepLeading(String reason) implements Decision {
    }

    /**
     * Keep running as primary without renewing: the DCS is unreachable but the lease is still ours for
     * a while, or every member in the {@code failsafe} key has just acknowledged me, which lets me
     * write until {@code failsafeGrantedUntilNanos} (0: no new grant this cycle) minus the safety margin.
     */
    record HoldOn(String reason, long failsafeGrantedUntilNanos) implements Decision {
        public HoldOn(String reason) {
            this(reason, 0);
        }

        public boolean grantsFailsafe() {
            return failsafeGrantedUntilNanos != 0;
        }
    }

    record AcquireLeader(String reason) implements Decision {
    }

    /**
     * The leader key names me but is bound to the lease of an earlier run of this daemon, and my
     * PostgreSQL still runs as primary: bind the key (seen at mod revision {@code version}) to my
     * lease and keep leading, instead of demoting and waiting out the old lease.
     */
    record TakeOverLeader(long version, String reason) implements Decision {
    }

    record Promote(String reason) implements Decision {
    }

    /**
     * The leader of a standby cluster: renew the lease, keep the leader's upkeep, and keep PostgreSQL
     * replicating from the remote primary ({@code standby_cluster}). Never promotes.
     */
    record LeadStandby(String reason) implements Decision {
    }

    /** The standby leader's PostgreSQL is stopped: start it as a replica of the remote primary. */
    record StartStandbyLeader(String reason) implements Decision {
    }

    record Demote(DemoteMode mode, String reason) implements Decision {
    }

    record ReleaseLeader(String reason) implements Decision {
    }

    /** Restart the crashed primary in place (same timeline) while it still holds the key. */
    record RestartPrimary(String reason) implements Decision {
    }

    /** Run or keep running as a replica of {@code leader} (empty: no leader known yet). */
    record Follow(String leader, String reason) implements Decision {
    }

    record StartReplica(String leader, boolean wasPrimary, String reason) implements Decision {
    }

    record Clone(String from, String reason) implements Decision {
    }

    record RaceInitialize(String reason) implements Decision {
    }

    /** Ask these peers over REST (in parallel, short timeout), then decide again with their answers. */
    record CheckPeers(List<String> peers, String reason) implements Decision {
        public CheckPeers {
            peers = List.copyOf(peers);
        }
    }

    /**
     * Failsafe mode, DCS unreachable: ask these members ({@code name → api_url}) to acknowledge me as
     * leader ({@code POST /failsafe}, in parallel, one timeout), then decide again with their answers.
     */
    record CheckFailsafe(Map<String, String> members, String reason) implements Decision {
        public CheckFailsafe {
            members = Collections.unmodifiableMap(new TreeMap<>(members));
        }
    }

    record Wait(String reason) implements Decision {
    }

    /**
     * Planned switchover, leader side: checkpoint, stop fast, hand the key to {@code candidate} once
     * it has received the shutdown checkpoint, and come back as its replica.
     */
    record HandOver(String candidate, String reason) implements Decision {
    }

    /** The {@code failover} key asks for something that cannot or need not happen: delete it. */
    record DropFailoverRequest(String reason) implements Decision {
    }

    /** Carry out an operator's request now: this node is in a steady state that allows it. */
    record Carry(OperatorRequest request, String reason) implements Decision {
        @Override
        public String action() {
            return request.what();
        }
    }

    /** Something an operator must resolve; the daemon touches nothing and says so. */
    record Refuse(String reason) implements Decision {
    }

    enum DemoteMode {
        /** Lost the DCS: stop writes now, keep data, come back as a replica when the DCS returns. */
        OFFLINE,
        /** Someone else holds the leader key while we run as primary: stop at once, never hand over. */
        NOLOCK
    }
}
