package io.pgha.ctl;

import io.pgha.config.ConfigProblem;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** edit-config's pieces: flags applied to the config, YAML in and out, validation, the diff. */
class ConfigEditingTest {
    static final Map<String, Object> CONFIG = ConfigYaml.fromJson(
            "{\"rto\":\"fast\",\"pause\":false,\"postgresql\":{\"use_pg_rewind\":true,\"parameters\":{\"max_connections\":30}}}");

    @Test
    void setPgAndApplyChangeOnlyWhatTheyName() {
        Map<String, Object> patch = ConfigYaml.parseMapping("postgresql:\n  use_pg_rewind: null\nmaximum_lag_on_failover: 2097152\n", "f");
        Map<String, Object> after = ConfigChanges.apply(CONFIG, patch,
                List.of("ttl=10", "pause=null", "postgresql.parameters.work_mem=8MB"), List.of("pg_stat_statements.max=500"));
        assertThat(ConfigYaml.toJson(after)).isEqualTo("{\"rto\":\"fast\",\"postgresql\":{\"parameters\":{\"max_connections\":30,"
                + "\"work_mem\":\"8MB\",\"pg_stat_statements.max\":500}},\"maximum_lag_on_failover\":2097152,\"ttl\":10}");
        assertThat(ConfigYaml.toJson(CONFIG)).contains("\"pause\":false"); // the input is not modified
    }

    @Test
    void badFlagsAreUsageErrors() {
        assertThatThrownBy(() -> ConfigChanges.apply(CONFIG, Map.of(), List.of("ttl"), List.of())).hasMessageContaining("expected name=value");
        assertThatThrownBy(() -> ConfigChanges.apply(CONFIG, Map.of(), List.of("a..b=1"), List.of())).hasMessageContaining("empty key");
        assertThatThrownBy(() -> ConfigChanges.apply(CONFIG, Map.of(), List.of("ttl=[1"), List.of())).hasMessageContaining("YAML syntax error");
    }

    @Test
    void yamlThatJsonCannotHoldIsRefused() {
        assertThatThrownBy(() -> ConfigYaml.parseMapping("when: 2030-01-01\n", "f")).hasMessageContaining("f.when: a date cannot be stored");
        assertThatThrownBy(() -> ConfigYaml.parseMapping("ttl: 1\nttl: 2\n", "f")).hasMessageContaining("duplicate key ttl");
        assertThatThrownBy(() -> ConfigYaml.parseMapping("- a\n", "f")).hasMessageContaining("expected a mapping");
        assertThatThrownBy(() -> ConfigYaml.parseMapping("1: a\n", "f")).hasMessageContaining("not a string");
    }

    @Test
    void yamlRoundTripKeepsTypesAndOrder() {
        Map<String, Object> m = ConfigYaml.parseMapping(ConfigYaml.toYaml(CONFIG), "f");
        assertThat(m).isEqualTo(CONFIG);
        assertThat(List.copyOf(m.keySet())).containsExactly("rto", "pause", "postgresql");
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("x", "100");
        assertThat(ConfigYaml.parseMapping(ConfigYaml.toYaml(s), "f").get("x")).isEqualTo("100");
    }

    @Test
    void validationIsTheDaemonsModelAndTimingRules() {
        assertThat(ConfigCheck.problems(CONFIG, ConfigChanges.apply(CONFIG, Map.of(), List.of("ttl=20"), List.of()))).isEmpty();
        assertThat(ConfigCheck.problems(CONFIG, ConfigChanges.apply(CONFIG, Map.of(), List.of("ttl=1"), List.of())))
                .extracting(ConfigProblem::path).contains("config.ttl");
        assertThat(ConfigCheck.problems(CONFIG, ConfigChanges.apply(CONFIG, Map.of(), List.of("pause=maybe"), List.of())))
                .extracting(ConfigProblem::path).containsExactly("config.pause");
        assertThat(ConfigCheck.problems(CONFIG, ConfigChanges.apply(CONFIG, Map.of(), List.of("loop_wiat=2"), List.of())))
                .extracting(ConfigProblem::message).anyMatch(m -> m.contains("did you mean loop_wait"));
    }

    @Test
    void aTypoAlreadyThereDoesNotBlockAnUnrelatedChange() {
        Map<String, Object> withTypo = ConfigChanges.apply(CONFIG, Map.of(), List.of("loop_wiat=2"), List.of());
        assertThat(ConfigCheck.problems(withTypo, ConfigChanges.apply(withTypo, Map.of(), List.of("ttl=20"), List.of()))).isEmpty();
    }

    @Test
    void unifiedDiffLikeDiffU() {
        String before = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        String after = "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\n";
        assertThat(UnifiedDiff.of(before, after, "before", "after")).isEqualTo("""
                --- before
                +++ after
                @@ -1,5 +1,5 @@
                 a
                -b
                +B
                 c
                 d
                 e
                @@ -8,3 +8,4 @@
                 h
                 i
                 j
                +k
                """);
    }
}
