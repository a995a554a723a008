package io.pgha.rest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure pieces the endpoints are built from. */
class SmallPartsTest {

    @Test
    void byteSizesTakePostgresUnitsInAnyCase() {
        assertThat(ByteSize.parse("1048576")).hasValue(1_048_576);
        assertThat(ByteSize.parse("10MB")).hasValue(10L << 20);
        assertThat(ByteSize.parse("10 mb")).hasValue(10L << 20);
        assertThat(ByteSize.parse("16kB")).hasValue(16L << 10);
        assertThat(ByteSize.parse("1GB")).hasValue(1L << 30);
        assertThat(ByteSize.parse("2TB")).hasValue(2L << 40);
        assertThat(ByteSize.parse("0")).hasValue(0);
        for (String bad : List.of("", "-1", "1.5MB", "10XB", "MB", "99999999999999999999", "9000000TB")) {
            assertThat(ByteSize.parse(bad)).as(bad).isEqualTo(OptionalLong.empty());
        }
    }

    @Test
    void healthQueryKeepsTheFirstValueAndRefusesBadOnes() {
        HealthQuery q = HealthQuery.parse(List.of(Map.entry("lag", "1MB"), Map.entry("lag", "x"), Map.entry("tag_zone", "a"),
                Map.entry("replication_state", "streaming"), Map.entry("mode", "write"), Map.entry("other", "ignored")));
        assertThat(q.lag()).hasValue(1L << 20);
        assertThat(q.tags()).isEqualTo(Map.of("zone", "a"));
        assertThat(q.replicationState()).hasValue("streaming");
        assertThat(q.writeMode()).isTrue();
        assertThatThrownBy(() -> HealthQuery.parse(List.of(Map.entry("tag_", "x")))).hasMessageContaining("tag name is missing");
    }

    @Test
    void metricHelpersFollowPatronisConventions() {
        assertThat(MetricsText.version("4.1.4")).isEqualTo("040104");
        assertThat(MetricsText.version("0.1.0-SNAPSHOT")).isEqualTo("000100");
        assertThat(MetricsText.version("12.3")).isEqualTo("1203");
        assertThat(MetricsText.version("dev")).isEqualTo("0");
        assertThat(MetricsText.failoverPriority(Map.of())).isEqualTo(1);
        assertThat(MetricsText.failoverPriority(Map.of("failover_priority", 4))).isEqualTo(4);
        assertThat(MetricsText.failoverPriority(Map.of("failover_priority", "2"))).isEqualTo(2);
        assertThat(MetricsText.failoverPriority(Map.of("nofailover", true, "failover_priority", 4))).isZero();
        assertThat(MetricsText.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }

    @Test
    void tagFiltersCompareNonStringsInLowerCase() {
        Map<String, Object> tags = Map.of("nofailover", true, "weight", 5, "zone", "A");
        assertThat(HealthRules.tagsMatch(tags, Map.of("nofailover", "true", "weight", "5"))).isTrue();
        assertThat(HealthRules.tagsMatch(tags, Map.of("nofailover", "True"))).isFalse();
        assertThat(HealthRules.tagsMatch(tags, Map.of("zone", "a"))).as("strings compare exactly").isFalse();
        assertThat(HealthRules.tagsMatch(tags, Map.of("zone", "A"))).isTrue();
    }
}
