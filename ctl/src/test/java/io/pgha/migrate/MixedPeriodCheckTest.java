package io.pgha.migrate;

import io.pgha.migrate.Finding.Weight;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MixedPeriodCheckTest {

    private static List<String> fixFirst(Map<String, Object> config) {
        return MixedPeriodCheck.of(config).stream().filter(f -> f.weight() == Weight.FIX_FIRST).map(Finding::key).toList();
    }

    private static Map<String, Object> pinned() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ttl", 30);
        c.put("loop_wait", 10);
        c.put("retry_timeout", 10);
        c.put("primary_start_timeout", 300);
        return c;
    }

    @Test
    void aPatroniConfigThatLeavesTheTimingOutDiffersOnEveryValue() {
        List<Finding> findings = MixedPeriodCheck.of(Map.of("maximum_lag_on_failover", 1048576));

        assertThat(findings).extracting(Finding::key).containsExactly("ttl", "loop_wait", "retry_timeout", "primary_start_timeout");
        assertThat(findings.get(0).text()).isEqualTo("Patroni members use 30 s (its default), pgha members 8 s (rto norm):"
                + " pin one value first, e.g. pgha edit-config --set ttl=30");
    }

    @Test
    void pinnedTimingValuesAreNoDifference() {
        assertThat(MixedPeriodCheck.of(pinned())).isEmpty();
    }

    @Test
    void anRtoPresetPatroniDoesNotKnowDiffersFromPatronisDefaults() {
        Map<String, Object> c = Map.of("rto", "fast");

        assertThat(fixFirst(c)).containsExactly("ttl", "loop_wait", "retry_timeout", "primary_start_timeout");
        assertThat(MixedPeriodCheck.of(c)).anySatisfy(f -> {
            assertThat(f.key()).isEqualTo("rto");
            assertThat(f.weight()).isEqualTo(Weight.NOTE);
        });
    }

    @Test
    void quorumAndStrictWritesArePghaOnlyAndMustBeSettledFirst() {
        Map<String, Object> c = pinned();
        c.put("synchronous_mode", "quorum");
        c.put("synchronous_mode_strict_writes", "reject");

        assertThat(fixFirst(c)).containsExactly("synchronous_mode", "synchronous_mode_strict_writes");
    }

    @Test
    void failsafeAndPatroniOnlyKeysAreNamed() {
        Map<String, Object> c = pinned();
        c.put("failsafe_mode", true);
        c.put("slots", Map.of("debezium", Map.of("type", "logical")));
        c.put("postgresql", Map.of("pg_hba", List.of("host all all 0.0.0.0/0 md5")));

        List<Finding> findings = MixedPeriodCheck.of(c);
        assertThat(findings).extracting(Finding::key).containsExactly("failsafe_mode", "slots", "postgresql.pg_hba");
        assertThat(fixFirst(c)).containsExactly("slots");
    }

    @Test
    void aValuePghaCannotReadIsReportedByPath() {
        assertThat(MixedPeriodCheck.of(Map.of("ttl", "thirty")))
                .singleElement().satisfies(f -> {
                    assertThat(f.key()).isEqualTo("config.ttl");
                    assertThat(f.weight()).isEqualTo(Weight.FIX_FIRST);
                });
    }
}
