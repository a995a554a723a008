package io.pgha.dcs.model;

import io.pgha.testing.Hostile;
import io.vertx.core.json.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests of the readers of DCS values: whatever another writer (an old Patroni, a person
 * with etcdctl, an attacker with the keys) put there, a reader answers with a value or a
 * MalformedValueException naming the key and field, and a whole snapshot still builds with the bad
 * key listed in its problems. Fixed seed; the budget is {@code jqwik.tries} (200, or 20000 with -Pfuzz).
 */
class DcsJsonFuzzTest {
    private static final String SEED = "20261207";
    private static final KeyLayout LAYOUT = new KeyLayout("/service", "fuzz");
    private static final List<String> FIELDS = List.of("conn_url", "api_url", "state", "role", "version", "xlog_location",
            "timeline", "replication_state", "receive_lsn", "replay_lsn", "tags", "pending_restart", "pause", "nofailover",
            "optime", "slots", "retain_slots", "leader", "member", "candidate", "scheduled_at", "sync_standby", "quorum",
            "ttl", "loop_wait", "postgresql", "parameters", "standby_cluster");
    private static final String MEMBER = "{\"conn_url\":\"postgres://10.0.0.5:5432/postgres\",\"api_url\":\"http://10.0.0.5:8008/patroni\","
            + "\"state\":\"running\",\"role\":\"replica\",\"version\":\"3.3.2\",\"xlog_location\":83886080,\"timeline\":3,"
            + "\"tags\":{\"nofailover\":false}}";
    private static final List<String> VALID = List.of(MEMBER, "{\"optime\":83886080,\"slots\":{\"node2\":83886080},\"retain_slots\":[\"node2\"]}",
            "{\"leader\":\"node1\",\"member\":\"node2\",\"scheduled_at\":\"2026-12-07T10:00:00+00:00\"}",
            "{\"leader\":\"node1\",\"sync_standby\":\"node2,node3\",\"quorum\":1}",
            "[[1,25165992,\"no recovery target specified\",\"2026-12-07T10:00:00+00:00\",\"node1\"]]",
            "{\"ttl\":30,\"loop_wait\":10,\"postgresql\":{\"parameters\":{\"max_connections\":100}}}",
            "{\"node1\":\"http://10.0.0.5:8008/patroni\"}");

    @Property(seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void eachReaderAnswersAValueOrANamedError(@ForAll("dcsText") String text) {
        readOrNamed("members/node1", t -> MemberData.parse("node1", t), text);
        readOrNamed("status", ClusterStatus::parse, text);
        readOrNamed("failover", FailoverRequest::parse, text);
        readOrNamed("sync", SyncState::parse, text);
        readOrNamed("history", HistoryEntry::parseAll, text);
    }

    @Property(seed = SEED, shrinking = ShrinkingMode.BOUNDED)
    void aSnapshotBuildsWhateverTheKeysHold(@ForAll("dcsText") String a, @ForAll("dcsText") String b) {
        List<RawEntry> entries = new ArrayList<>();
        entries.add(new RawEntry(LAYOUT.leader(), a, 1, 7));
        entries.add(new RawEntry(LAYOUT.member("node1"), a, 2, 7));
        entries.add(new RawEntry(LAYOUT.member("node2"), b, 3, 0));
        for (ClusterKey k : ClusterKey.values()) {
            entries.add(new RawEntry(LAYOUT.key(k), k.ordinal() % 2 == 0 ? a : b, 4 + k.ordinal(), 0));
        }
        Cluster c = Cluster.fromEntries(LAYOUT, entries, 99);
        // Everything the HA loop asks of a snapshot must answer, bad keys or not.
        c.leadsAs("node1");
        c.standbyCluster();
        c.optime();
        c.syncState();
        c.failoverRequest();
        c.highestTimelineKnown();
        c.restoredTimeline();
        assertThat(c.problems()).allSatisfy(p -> assertThat(p).containsPattern("^[a-z/_0-9-]+[.:\\[]"));
    }

    // ---- what the fuzzing found, kept as examples ----------------------------------------------------

    /** -Pfuzz, seed 20261207: a null tag threw NullPointerException from MemberData, and from the whole snapshot. */
    @Example
    void aNullTagIsNoTag() {
        MemberData m = MemberData.parse("node1", "{\"nofailover\":\"\",\"xlog_location\":0,\"tags\":{\"conn_url\":null,\"nosync\":true}}");
        assertThat(m.tags()).containsOnlyKeys("nosync");
        Cluster c = Cluster.fromEntries(LAYOUT, List.of(new RawEntry(LAYOUT.member("node1"), "{\"tags\":{\"nofailover\":null}}", 1, 0)), 1);
        assertThat(c.member("node1")).isPresent();
        assertThat(c.problems()).isEmpty();
    }

    @Provide
    Arbitrary<String> dcsText() {
        return Arbitraries.oneOf(
                Arbitraries.of(VALID).flatMap(Hostile::mutated),
                Hostile.object(FIELDS, 3).map(Json::encode),
                Hostile.tree(FIELDS, 3).map(Json::encode),
                Arbitraries.strings().ofMaxLength(20));
    }

    private static <T> void readOrNamed(String key, Function<String, T> reader, String text) {
        try {
            reader.apply(text);
        } catch (MalformedValueException e) {
            assertThat(e.getMessage()).as(text).startsWith(key.substring(0, key.indexOf('/') < 0 ? key.length() : key.indexOf('/')));
        }
    }
}
