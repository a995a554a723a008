package io.pgha.rest;

import io.pgha.config.Credentials;
import io.pgha.config.DynamicConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
    void mergePatchFollowsRfc7396() {
        JsonObject target = new JsonObject("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"},\"l\":[1,2]}");
        JsonObject patch = new JsonObject("{\"a\":\"z\",\"c\":{\"f\":null},\"l\":[3],\"n\":{\"x\":null,\"y\":1}}");
        assertThat(MergePatch.apply(target, patch))
                .isEqualTo(new JsonObject("{\"a\":\"z\",\"c\":{\"d\":\"e\"},\"l\":[3],\"n\":{\"y\":1}}"));
        assertThat(target).as("target untouched").isEqualTo(new JsonObject("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"},\"l\":[1,2]}"));
        assertThat(MergePatch.apply(new JsonObject("{\"a\":[1]}"), new JsonObject("{\"a\":{\"b\":1}}")))
                .isEqualTo(new JsonObject("{\"a\":{\"b\":1}}"));
        // A merged document goes to the config reader as Vert.x JSON, nested objects included.
        var read = DynamicConfig.fromMap(
                new JsonObject("{\"postgresql\":{\"parameters\":{\"max_connections\":200}}}").getMap(), "config");
        assertThat(read.isValid()).as(read.problems().toString()).isTrue();
        assertThat(read.value().postgresql().parameters()).containsEntry("max_connections", "200");
    }

    @Test
    void allowlistMatchesAddressesAndNetworksOfBothFamilies() throws Exception {
        Allowlist list = Allowlist.resolve(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8", "2001:db8::1", "172.16.0.0/12",
                "10.0.0.0/33", "name.invalid", "host.invalid/24"));
        assertThat(list.size()).isEqualTo(5);
        for (String yes : List.of("10.1.2.3", "192.168.1.7", "fd12::1", "2001:db8::1", "172.31.255.255", "::ffff:10.9.9.9")) {
            assertThat(list.permits(InetAddress.getByName(yes))).as(yes).isTrue();
        }
        for (String no : List.of("11.0.0.1", "192.168.1.8", "fe80::1", "2001:db8::2", "172.32.0.0", "127.0.0.1")) {
            assertThat(list.permits(InetAddress.getByName(no))).as(no).isFalse();
        }
    }

    @Test
    void basicAuthAcceptsOnlyTheExactPair() {
        BasicAuth auth = new BasicAuth(new Credentials("admin", "pä:ss"));
        assertThat(auth.accepts(basic("admin:pä:ss"))).isTrue();
        assertThat(auth.accepts("basic " + Base64.getEncoder().encodeToString("admin:pä:ss".getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(auth.accepts(basic("admin:pä:s"))).isFalse();
        assertThat(auth.accepts(basic("Admin:pä:ss"))).isFalse();
        assertThat(auth.accepts(basic(""))).isFalse();
        assertThat(auth.accepts(null)).isFalse();
        assertThat(auth.accepts("Basic")).isFalse();
        assertThat(auth.accepts("Basic %%%")).isFalse();
    }

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
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
