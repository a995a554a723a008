package io.pgha.dcs.model;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterTest {
    private static final KeyLayout KEYS = new KeyLayout("/service", "demo");

    private static RawEntry entry(String path, String value, long version) {
        return new RawEntry(KEYS.prefix() + path, value, version, 0);
    }

    @Test
    void readsEveryKeyPatroniWrites() {
        Cluster c = Cluster.fromEntries(KEYS, List.of(
                entry("initialize", "7268616322854375442", 2),
                entry("config", "{\"ttl\":30,\"loop_wait\":10}", 3),
                new RawEntry(KEYS.leader(), "node1", 9, 0x77),
                entry("members/node1", "{\"conn_url\":\"postgres://10.0.0.4:5432/postgres\",\"api_url\":\"http://10.0.0.4:8008/patroni\","
                        + "\"state\":\"running\",\"role\":\"primary\",\"version\":\"4.1.4\",\"xlog_location\":67395656,\"timeline\":3,"
                        + "\"tags\":{\"nofailover\":false,\"clonefrom\":true}}", 8),
                entry("members/node2", "{\"conn_url\":\"postgres://10.0.0.5:5432/postgres\",\"api_url\":\"http://10.0.0.5:8008/patroni\","
                        + "\"state\":\"streaming\",\"role\":\"replica\",\"version\":\"4.1.4\",\"xlog_location\":67395600,"
                        + "\"replication_state\":\"streaming\",\"receive_lsn\":67395656,\"replay_lsn\":67395600,\"timeline\":3}", 7),
                entry("status", "{\"optime\":67395656,\"slots\":{\"node2\":67395600},\"retain_slots\":[\"node1\",\"node2\"]}", 10),
                entry("sync", "{\"leader\":\"node1\",\"sync_standby\":\"node2,node3\"}", 11),
                entry("failover", "{\"leader\":\"node1\",\"member\":\"node2\",\"scheduled_at\":\"2026-11-22T10:00:00+00:00\"}", 12),
                entry("history", "[[1,25165984,\"no recovery target specified\",\"2026-11-01T10:00:00+00:00\",\"node2\"],[2,50331800,\"no recovery target specified\"]]", 13),
                entry("failsafe", "{\"node1\":\"http://10.0.0.4:8008/patroni\",\"node2\":\"http://10.0.0.5:8008/patroni\"}", 14)), 20);

        assertThat(c.revision()).isEqualTo(20);
        assertThat(c.initialize()).map(v -> v.value()).contains("7268616322854375442");
        assertThat(c.leader()).contains(new Leader("node1", 9, 0x77));
        assertThat(c.members()).containsOnlyKeys("node1", "node2");
        MemberData n1 = c.members().get("node1").data();
        assertThat(n1.role()).isEqualTo("primary");
        assertThat(n1.xlogLocation()).contains(67395656L);
        assertThat(n1.tagIsTrue("clonefrom")).isTrue();
        assertThat(n1.tagIsTrue("nofailover")).isFalse();
        assertThat(c.members().get("node2").data().receiveLsn()).contains(67395656L);
        assertThat(c.optime()).isEqualTo(67395656L);
        assertThat(c.status().orElseThrow().value().slots()).containsEntry("node2", 67395600L);
        assertThat(c.syncState().syncStandbys()).containsExactly("node2", "node3");
        assertThat(c.failoverRequest().candidate()).contains("node2");
        assertThat(c.failoverRequest().scheduledAt()).contains(OffsetDateTime.parse("2026-11-22T10:00:00Z"));
        assertThat(c.history().orElseThrow().value()).hasSize(2);
        assertThat(c.timelineFromHistory()).isEqualTo(3);
        assertThat(c.failsafe().orElseThrow().value()).containsKeys("node1", "node2");
        assertThat(c.configJson().orElseThrow().getInteger("ttl")).isEqualTo(30);
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void malformedValuesAreReportedByKeyAndFieldWithoutHidingTheRest() {
        Cluster c = Cluster.fromEntries(KEYS, List.of(
                new RawEntry(KEYS.leader(), "node1", 5, 1),
                entry("members/node1", "{\"state\":\"running\",\"role\":\"primary\"}", 3),
                entry("members/bad1", "not json", 4),
                entry("members/bad2", "{\"timeline\":\"three\"}", 4),
                entry("members/bad3", "[1,2]", 4),
                entry("status", "{\"optime\":true}", 6),
                entry("failover", "{\"member\":\"n2\",\"scheduled_at\":\"tomorrow\"}", 7)), 9);

        assertThat(c.leaderName()).contains("node1");
        assertThat(c.members()).containsOnlyKeys("node1");
        assertThat(c.status()).isEmpty();
        assertThat(c.problems()).containsExactlyInAnyOrder(
                "members/bad1: not valid JSON: string \"not json\"",
                "members/bad2.timeline: expected an integer, got string \"three\"",
                "members/bad3: expected a JSON object, got an array",
                "status.optime: expected an integer, got boolean true",
                "failover.scheduled_at: expected ISO 8601 with a time zone, got \"tomorrow\"");
    }

    @Test
    void memberDataRoundTripsIncludingFieldsPatroniDoesNotDefine() {
        MemberData data = new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:8008/patroni", "running",
                "replica", "0.1.0", Optional.of(100L), Optional.of(2L), Optional.of("streaming"), Optional.of(120L),
                Optional.of(100L), Map.of("nofailover", true), true, false, Map.of("pgha_rewind", "failed(2)"));
        MemberData back = MemberData.parse("n1", data.toJson());
        assertThat(back).isEqualTo(data);
        assertThat(data.toJson()).startsWith("{\"conn_url\":\"postgres://127.0.0.1:5432/postgres\",\"api_url\":");
    }

    @Test
    void readsPatronisLegacyFailoverStringAndEmptyValues() {
        assertThat(FailoverRequest.parse("node1:node2")).isEqualTo(
                new FailoverRequest(Optional.of("node1"), Optional.of("node2"), Optional.empty()));
        assertThat(FailoverRequest.parse("{}").isEmpty()).isTrue();
        assertThat(SyncState.parse("{}").isActive()).isFalse();
        assertThat(SyncState.parse("{\"leader\":\"a\",\"sync_standby\":null}").syncStandbys()).isEmpty();
    }

    @Test
    void theHighestTimelineKnownTakesHistoryTheLeadersClaimAndEveryMembersReport() {
        String history = "[[16,100,\"no recovery target specified\"]]"; // the cluster is on 17
        Cluster fromHistory = Cluster.fromEntries(KEYS, List.of(entry("history", history, 3)), 5);
        assertThat(fromHistory.highestTimelineKnown()).isEqualTo(17);
        Cluster claimed = Cluster.fromEntries(KEYS, List.of(entry("history", history, 3),
                entry("status", "{\"optime\":1,\"timeline\":18}", 4)), 5);
        assertThat(claimed.highestTimelineKnown()).as("promoted, not yet in the history").isEqualTo(18);
        Cluster reported = Cluster.fromEntries(KEYS, List.of(entry("history", history, 3),
                entry("members/n3", "{\"state\":\"running\",\"role\":\"replica\",\"timeline\":19}", 4)), 5);
        assertThat(reported.highestTimelineKnown()).isEqualTo(19);
        assertThat(Cluster.fromEntries(KEYS, List.of(), 1).highestTimelineKnown()).isZero();
    }

    @Test
    void statusAndHistoryRoundTrip() {
        ClusterStatus status = new ClusterStatus(12345, Map.of("n2", 12000L), List.of("n1", "n2"));
        assertThat(ClusterStatus.parse(status.toJson())).isEqualTo(status);
        ClusterStatus claimed = new ClusterStatus(12345, Map.of(), List.of(), 18);
        assertThat(ClusterStatus.parse(claimed.toJson())).isEqualTo(claimed);
        assertThat(ClusterStatus.parse("{\"optime\":1}").timeline()).as("Patroni's status has no timeline").isZero();
        List<HistoryEntry> history = List.of(new HistoryEntry(1, 100, "no recovery target specified",
                Optional.of("2026-11-22T10:00:00+00:00"), Optional.of("n2")));
        assertThat(HistoryEntry.parseAll(HistoryEntry.toJson(history))).isEqualTo(history);
    }

    @Test
    void lsnTextAndIntegerFormsAgree() {
        assertThat(Lsn.parse("0/4000060")).isEqualTo(0x4000060L);
        assertThat(Lsn.parse("1/0")).isEqualTo(1L << 32);
        assertThat(Lsn.format(0x14000060L)).isEqualTo("0/14000060");
        assertThat(Lsn.format(Lsn.parse("A/FF00"))).isEqualTo("A/FF00");
        assertThatThrownBy(() -> Lsn.parse("4000060")).hasMessageContaining("not an LSN");
    }
}
