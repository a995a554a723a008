package io.pgha.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class DynamicConfigTest {

    /** A config key as Patroni writes it (with a legacy name and keys pgha does not use). */
    private static final String PATRONI_JSON = "{\"ttl\":30,\"loop_wait\":10,\"retry_timeout\":10,"
            + "\"maximum_lag_on_failover\":1048576,\"master_start_timeout\":300,\"synchronous_mode\":true,"
            + "\"postgresql\":{\"use_pg_rewind\":true,\"use_slots\":true,\"parameters\":{\"max_connections\":100,"
            + "\"wal_level\":\"replica\",\"hot_standby\":true},\"pg_hba\":[\"host all all 0.0.0.0/0 md5\"]},"
            + "\"slots\":{\"x\":{\"type\":\"physical\"}},\"ignore_slots\":[{\"name\":\"y\"}]}";

    @Test
    void readsPatronisConfigKey() {
        DynamicConfig c = DynamicConfig.fromJson(PATRONI_JSON);
        assertThat(c.rto()).isEqualTo(RtoPreset.NORM);
        assertThat(c.ttl()).contains(Duration.ofSeconds(30));
        assertThat(c.primaryStartTimeout()).contains(Duration.ofSeconds(300));
        assertThat(c.synchronousMode()).isEqualTo(SynchronousMode.ON);
        assertThat(c.postgresql().parameters()).containsExactly(entry("max_connections", "100"),
                entry("wal_level", "replica"), entry("hot_standby", "on"));
        assertThat(c.postgresql().extra()).containsOnlyKeys("pg_hba");
        assertThat(c.extra()).containsOnlyKeys("slots", "ignore_slots");
        assertThat(Timing.resolve(c).orElseThrow()).isEqualTo(new Timing(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(300)));
    }

    @Test
    void roundTripKeepsEverythingIncludingUnknownKeys() {
        DynamicConfig c = DynamicConfig.fromJson(PATRONI_JSON);
        String json = c.toJson();
        assertThat(DynamicConfig.fromJson(json)).isEqualTo(c);
        JsonObject written = new JsonObject(json);
        assertThat(written.getJsonObject("slots").encode()).isEqualTo("{\"x\":{\"type\":\"physical\"}}");
        assertThat(written.getJsonArray("ignore_slots").encode()).isEqualTo("[{\"name\":\"y\"}]");
        assertThat(written.getJsonObject("postgresql").getJsonArray("pg_hba").getString(0)).isEqualTo("host all all 0.0.0.0/0 md5");
        // The legacy name is written back under the current one.
        assertThat(written.containsKey("master_start_timeout")).isFalse();
        assertThat(written.getInteger("primary_start_timeout")).isEqualTo(300);
    }

    @Test
    void roundTripOfEveryField() {
        DynamicConfig c = new DynamicConfig(RtoPreset.FAST, Optional.of(Duration.ofSeconds(4)), Optional.of(Duration.ofMillis(500)),
                Optional.of(Duration.ofMillis(1250)), Optional.of(Duration.ofSeconds(1)), Optional.of(Duration.ZERO),
                Duration.ofSeconds(20), 0, 4096, true, SynchronousMode.QUORUM, true, true, 2, true, Optional.of(Duration.ofMillis(1500)), true,
                Duration.ofSeconds(60),
                new DynamicPostgresqlConfig(Optional.of(false), false, Map.of("work_mem", "64MB"), Map.of("pg_ident", List.of("a b c"))),
                Map.of("max_timelines_history", 5),
                Optional.of(new StandbyCluster(List.of("10.0.0.9", "10.0.0.10"), List.of(5433, 5434), Optional.of("pg_standby"), Optional.of("cp /a/%f %p"),
                        Optional.of("1h"))));
        assertThat(DynamicConfig.fromJson(c.toJson())).isEqualTo(c);
        assertThat(new JsonObject(c.toJson()).getString("synchronous_mode")).isEqualTo("quorum");
        assertThat(new JsonObject(c.toJson()).getString("synchronous_mode_strict_writes")).isEqualTo("reject");
        assertThat(new JsonObject(c.toJson()).getDouble("loop_wait")).isEqualTo(0.5);
    }

    @Test
    void strictWritesIsWaitOrRejectAndAnythingElseIsNamed() {
        assertThat(DynamicConfig.fromJson("{\"synchronous_mode_strict_writes\":\"reject\"}").strictRejectsWrites()).isTrue();
        assertThat(DynamicConfig.fromJson("{\"synchronous_mode_strict_writes\":\"wait\"}").strictRejectsWrites()).isFalse();
        assertThatThrownBy(() -> DynamicConfig.fromJson("{\"synchronous_mode_strict_writes\":\"refuse\"}"))
                .hasMessageContaining("synchronous_mode_strict_writes").hasMessageContaining("wait, reject");
    }

    @Test
    void defaultsAsCompactJsonWithPatroniKeyNames() {
        assertThat(DynamicConfig.defaults().toJson()).isEqualTo("{\"rto\":\"norm\",\"primary_stop_timeout\":0,"
                + "\"maximum_lag_on_failover\":1048576,\"maximum_lag_on_syncnode\":-1,\"check_timeline\":false,"
                + "\"synchronous_mode\":false,\"synchronous_mode_strict\":false,\"synchronous_node_count\":1,"
                + "\"failsafe_mode\":false,\"pause\":false,\"member_slots_ttl\":1800,"
                + "\"postgresql\":{\"use_slots\":true,\"parameters\":{}}}");
        assertThat(DynamicConfig.fromJson("{}")).isEqualTo(DynamicConfig.defaults());
    }

    @Test
    void timingValuesAreWrittenOnlyWhenSetSoThePresetStillApplies() {
        DynamicConfig c = DynamicConfig.fromJson("{\"rto\":\"safe\",\"loop_wait\":3}");
        JsonObject written = new JsonObject(c.toJson());
        assertThat(written.getInteger("loop_wait")).isEqualTo(3);
        assertThat(written.containsKey("ttl")).isFalse();
        assertThat(written.containsKey("retry_timeout")).isFalse();
    }

    @Test
    void synchronousModeSpellings() {
        assertThat(DynamicConfig.fromJson("{\"synchronous_mode\":false}").synchronousMode()).isEqualTo(SynchronousMode.OFF);
        assertThat(DynamicConfig.fromJson("{\"synchronous_mode\":true}").synchronousMode()).isEqualTo(SynchronousMode.ON);
        assertThat(DynamicConfig.fromJson("{\"synchronous_mode\":\"on\"}").synchronousMode()).isEqualTo(SynchronousMode.ON);
        assertThat(DynamicConfig.fromJson("{\"synchronous_mode\":\"quorum\"}").synchronousMode()).isEqualTo(SynchronousMode.QUORUM);
        assertThat(DynamicConfig.fromJson("{\"synchronous_mode\":\"off\"}").synchronousMode()).isEqualTo(SynchronousMode.OFF);
    }

    @Test
    void badValuesAreNamedUnderConfig() {
        assertThatThrownBy(() -> DynamicConfig.fromJson("{\"ttl\":\"thirty\",\"synchronous_mode\":5,"
                + "\"postgresql\":{\"use_slots\":\"maybe\",\"parameters\":{\"work_mem\":{\"a\":1}}},\"pause\":null,"
                + "\"synchronous_node_count\":0,\"maximum_lag_on_failover\":-1,\"failsafe_timeout\":0,\"member_slots_ttl\":-3}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(String.join("\n",
                        "config.ttl: expected a number of seconds, got \"thirty\"",
                        "config.maximum_lag_on_failover: must be ≥ 0 (got -1)",
                        "config.synchronous_mode: expected false, true, on or quorum, got 5",
                        "config.synchronous_node_count: must be ≥ 1 (got 0)",
                        "config.failsafe_timeout: must be > 0 (got 0)",
                        "config.member_slots_ttl: must be ≥ 0 (got -3)",
                        "config.postgresql.use_slots: expected true or false, got \"maybe\"",
                        "config.postgresql.parameters.work_mem: expected a scalar value, got a mapping"));
    }

    @Test
    void notAnObject() {
        assertThatThrownBy(() -> DynamicConfig.fromJson("[1,2]")).hasMessage("config: expected a JSON object, got a list");
        assertThatThrownBy(() -> DynamicConfig.fromJson("42")).hasMessage("config: expected a JSON object, got 42");
        assertThatThrownBy(() -> DynamicConfig.fromJson("null")).hasMessage("config: expected a JSON object, got nothing");
        assertThatThrownBy(() -> DynamicConfig.fromJson("{\"ttl\":")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config: not valid JSON (");
        assertThatThrownBy(() -> DynamicConfig.fromJson(null)).hasMessage("config: no value");
        assertThatThrownBy(() -> DynamicConfig.fromJson("{\"postgresql\":[]}"))
                .hasMessage("config.postgresql: expected a mapping, got a list");
    }

    @Test
    void fromMapCollectsProblemsWithTheGivenPrefix() {
        Validated<DynamicConfig> v = DynamicConfig.fromMap(Map.of("loop_wait", "ten"), "bootstrap.dcs");
        assertThat(v.isValid()).isFalse();
        assertThat(v.problems()).containsExactly(new ConfigProblem("bootstrap.dcs.loop_wait", "expected a number of seconds, got \"ten\""));
        assertThat(DynamicConfig.fromMap(null, "x").orElseThrow()).isEqualTo(DynamicConfig.defaults());
    }

    @Test
    void likelyTyposAmongKeptKeysCanBeWarnedAbout() {
        DynamicConfig c = DynamicConfig.fromJson("{\"loop_wiat\":1,\"slots\":{},\"postgresql\":{\"use_slot\":true,\"pg_hba\":[]}}");
        assertThat(c.extra()).containsOnlyKeys("loop_wiat", "slots");
        assertThat(c.postgresql().extra()).containsOnlyKeys("use_slot", "pg_hba");
        assertThat(c.likelyTypos("config")).containsExactly(
                new ConfigProblem("config.loop_wiat", "unknown key (did you mean loop_wait?)"),
                new ConfigProblem("config.postgresql.use_slot", "unknown key (did you mean use_slots?)"));
    }

    @Test
    void nullParametersMeanUnset() {
        DynamicConfig c = DynamicConfig.fromJson("{\"postgresql\":{\"parameters\":{\"work_mem\":null,\"jit\":false}}}");
        assertThat(c.postgresql().parameters()).containsExactly(entry("jit", "off"));
    }
}
