package io.pgha.provision.render;

import io.pgha.provision.apply.Step;
import io.pgha.provision.inventory.Inventory;
import io.pgha.provision.inventory.PgCluster;
import io.pgha.provision.plan.Change;
import io.pgha.provision.plan.HostDesired;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.pgha.provision.inventory.Inventories.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** Service registration: Prometheus targets on the infra nodes and DNS records in etcd. */
class RegistrationTest {
    static final Inventory INV = ClusterStepsTest.INV;
    static final PgCluster PG_TEST = INV.clusters().get("pg-test");
    static final String ETCD = "http://10.10.10.10:2379";

    @Test
    void everyMemberHasATargetFileOnTheInfraNodeThatPrometheusCanRead() {
        Step.HostStep step = (Step.HostStep) ClusterStepsTest.STEPS.stream().filter(s -> s.name().equals("monitoring targets")).findFirst()
                .orElseThrow();
        HostDesired infra = step.hosts().get(0);
        assertThat(infra.host()).isEqualTo("10.10.10.10");
        assertThat(infra.packages()).as("pgha installs nothing on the infra node for this").isEmpty();
        assertThat(infra.files()).extracting(f -> f.path()).containsExactly("/etc/prometheus/targets/pgsql/pg-test-1.yml",
                "/etc/prometheus/targets/pgsql/pg-test-2.yml", "/etc/prometheus/targets/pgsql/pg-test-3.yml");
        List<Map<String, Object>> groups = new Yaml().load(ClusterStepsTest.file(infra, "/etc/prometheus/targets/pgsql/pg-test-2.yml").content());
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).get("labels")).isEqualTo(Map.of("cls", "pg-test", "ins", "pg-test-2", "ip", "10.10.10.12"));
        assertThat(groups.get(0).get("targets")).isEqualTo(List.of("10.10.10.12:8008", "10.10.10.12:9101"));
    }

    @Test
    void limitedToOneHostOnlyThatMembersTargetIsManaged() {
        List<Step> steps = new ClusterSteps(INV, "sandbox.yml", "pgha", java.time.Duration.ofMinutes(1)).steps(java.util.Optional.of("10.10.10.13"));
        Step.HostStep targets = (Step.HostStep) steps.stream().filter(s -> s.name().equals("monitoring targets")).findFirst().orElseThrow();
        assertThat(targets.hosts().get(0).files()).extracting(f -> f.path()).containsExactly("/etc/prometheus/targets/pgsql/pg-test-3.yml");
    }

    @Test
    void theClusterNameGoesToTheVipAndEachServiceToEveryMember() {
        Map<String, String> records = new DnsRecords(PG_TEST, INV.settings(), ETCD).desired();
        assertThat(records).containsEntry("/skydns/pigsty/pg-test", "{\"host\":\"10.10.10.3\",\"cluster\":\"pg-test\"}")
                .containsEntry("/skydns/pigsty/pg-test-primary/pg-test-1", "{\"host\":\"10.10.10.11\",\"port\":5433,\"cluster\":\"pg-test\"}")
                .containsEntry("/skydns/pigsty/pg-test-offline/pg-test-3", "{\"host\":\"10.10.10.13\",\"port\":5438,\"cluster\":\"pg-test\"}");
        assertThat(records).hasSize(1 + 4 * 3);
    }

    @Test
    void aFreshZoneGetsEveryRecordAndAMatchingOneNothing() {
        DnsRecords dns = new DnsRecords(PG_TEST, INV.settings(), ETCD);
        List<Change> fresh = dns.plan("10.10.10.10", "");
        assertThat(fresh).hasSize(13).allSatisfy(c -> assertThat(((Change.RunCommand) c).command())
                .startsWith("ETCDCTL_API=3 etcdctl --endpoints=" + ETCD + " put /skydns/pigsty/"));
        assertThat(dns.plan("10.10.10.10", listing(dns.desired()))).isEmpty();
    }

    @Test
    void aStaleRecordOfTheClusterIsDeletedAndOthersRecordsAreLeftAlone() {
        DnsRecords dns = new DnsRecords(PG_TEST, INV.settings(), ETCD);
        Map<String, String> have = new java.util.LinkedHashMap<>(dns.desired());
        have.put("/skydns/pigsty/pg-test-primary/pg-test-9", "{\"host\":\"10.10.10.19\",\"port\":5433,\"cluster\":\"pg-test\"}");
        have.put("/skydns/pigsty/pg-other-primary/pg-other-1", "{\"host\":\"10.10.10.21\",\"port\":5433,\"cluster\":\"pg-other\"}");
        have.put("/skydns/pigsty/www", "{\"host\":\"10.10.10.80\"}");
        have.put("/skydns/pigsty/pg-test-replica/pg-test-2", "{\"host\":\"10.10.10.99\",\"port\":5434,\"cluster\":\"pg-test\"}");

        List<Change> plan = dns.plan("10.10.10.10", listing(have));

        assertThat(plan).extracting(Change::summary).containsExactly(
                "update DNS record /skydns/pigsty/pg-test-replica/pg-test-2 → {\"host\":\"10.10.10.12\",\"port\":5434,\"cluster\":\"pg-test\"}",
                "deregister DNS record /skydns/pigsty/pg-test-primary/pg-test-9 (no longer in the inventory)");
    }

    @Test
    void suffixTargetAndZoneComeFromTheInventory() {
        Inventory inv = parse("""
                all:
                  children:
                    etcd: { hosts: { 10.0.0.10: { etcd_seq: 1 } } }
                    pg-app:
                      hosts: { 10.0.0.11: { pg_seq: 1, pg_role: primary } }
                      vars: { pg_cluster: pg-app, pg_dns_suffix: .db, pg_dns_target: primary }
                  vars: { dns_zone: corp.example }
                """);
        Map<String, String> records = new DnsRecords(inv.clusters().get("pg-app"), inv.settings(), ETCD).desired();
        assertThat(records).containsEntry("/skydns/example/corp/db/pg-app", "{\"host\":\"10.0.0.11\",\"cluster\":\"pg-app\"}")
                .containsKey("/skydns/example/corp/db/pg-app-primary/pg-app-1");
    }

    @Test
    void removingAMemberTakesItsTargetAndItsServiceRecordsAway() {
        List<Deregistration.HostCommand> commands = Deregistration.of(INV, PG_TEST, PG_TEST.host("10.10.10.12").orElseThrow());
        assertThat(commands).extracting(Deregistration.HostCommand::command).containsExactly(
                "rm -f /etc/prometheus/targets/pgsql/pg-test-2.yml",
                "ETCDCTL_API=3 etcdctl --endpoints=" + ETCD + " del /skydns/pigsty/pg-test-primary/pg-test-2",
                "ETCDCTL_API=3 etcdctl --endpoints=" + ETCD + " del /skydns/pigsty/pg-test-replica/pg-test-2",
                "ETCDCTL_API=3 etcdctl --endpoints=" + ETCD + " del /skydns/pigsty/pg-test-default/pg-test-2",
                "ETCDCTL_API=3 etcdctl --endpoints=" + ETCD + " del /skydns/pigsty/pg-test-offline/pg-test-2");
    }

    /** What {@code etcdctl get --prefix -w json} prints for these keys. */
    static String listing(Map<String, String> kvs) {
        JsonArray list = new JsonArray();
        kvs.forEach((k, v) -> list.add(new JsonObject().put("key", b64(k)).put("value", b64(v)).put("mod_revision", 7)));
        return new JsonObject().put("header", new JsonObject().put("revision", 9)).put("kvs", list).put("count", kvs.size()).encode();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
