package io.pgha.cli;

import io.pgha.backup.BackupException;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.Expect;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.HistoryEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * The DCS after a restore in place: the keys that describe the replaced history (its optime,
 * sync set, failover request, failsafe list) go, the identity (config, initialize) stays — a
 * point-in-time restore keeps the system identifier — and the history gains the restore's entry.
 */
final class RestoreRecord {
    // The status key's optime is the replaced history's: the restored member is behind it and the
    // failover lag check would keep it from ever leading.
    private static final List<ClusterKey> OF_THE_REPLACED_HISTORY = List.of(ClusterKey.STATUS, ClusterKey.SYNC, ClusterKey.FAILOVER,
            ClusterKey.FAILSAFE, ClusterKey.OPTIME_LEADER);

    private RestoreRecord() {
    }

    static void write(Dcs dcs, Cluster before, HistoryEntry restore) {
        for (ClusterKey key : OF_THE_REPLACED_HISTORY) {
            dcs.delete(key, Expect.anything());
        }
        List<HistoryEntry> history = new ArrayList<>(before.history().map(h -> h.value()).orElse(List.of()));
        history.add(restore);
        Expect expect = before.history().map(h -> Expect.version(h.version())).orElse(Expect.absent());
        CasResult r = dcs.write(ClusterKey.HISTORY, HistoryEntry.toJson(history), expect);
        if (!r.written()) {
            throw new BackupException("the history key of " + dcs.layout().scope() + " changed while restoring (is pgha running somewhere?);"
                    + " the data directory is restored, but add the restore's entry " + HistoryEntry.toJson(List.of(restore)) + " by hand");
        }
    }
}
