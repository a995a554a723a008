package io.pgha.ha;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.RawEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may take over in a planned switchover, from the member keys of pgha and of Patroni members. */
class CandidatesTest {
    private static final KeyLayout KEYS = new KeyLayout("/service", "mixed");

    private static Cluster cluster(String memberJson) {
        return Cluster.fromEntries(KEYS, List.of(
                new RawEntry(KEYS.member("n1"), "{\"state\":\"running\",\"role\":\"primary\",\"xlog_location\":100}", 5, 1),
                new RawEntry(KEYS.member("n2"), memberJson, 6, 1)), 10);
    }

    @Test
    void aStreamingPghaReplicaIsFit() {
        assertThat(Candidates.unfit(cluster("{\"state\":\"running\",\"role\":\"replica\",\"replication_state\":\"streaming\"}"), "n2")).isEmpty();
    }

    @Test
    void aReplicaInArchiveRecoveryIsNot() {
        assertThat(Candidates.unfit(cluster("{\"state\":\"running\",\"role\":\"replica\",\"replication_state\":\"in archive recovery\"}"), "n2"))
                .contains("n2 is not streaming from the leader");
    }

    /** Patroni 3.0.2's member key, as it wrote it in PatroniMigrationIT: no replication_state at all. */
    @Test
    void aRunningPatroni302ReplicaIsFitThoughItPublishesNoReplicationState() {
        String patroni = "{\"conn_url\":\"postgres://127.0.0.1:5432/postgres\",\"api_url\":\"http://127.0.0.1:8008/patroni\","
                + "\"state\":\"running\",\"role\":\"replica\",\"version\":\"3.0.2\",\"xlog_location\":100,\"timeline\":1}";
        assertThat(Candidates.unfit(cluster(patroni), "n2")).isEmpty();
        assertThat(Candidates.best(cluster(patroni), "n1")).contains("n2");
    }

    @Test
    void aPatroniReplicaStillStartingIsNot() {
        assertThat(Candidates.unfit(cluster("{\"state\":\"starting\",\"role\":\"replica\",\"version\":\"3.0.2\"}"), "n2"))
                .contains("n2 is starting, not running");
    }
}
