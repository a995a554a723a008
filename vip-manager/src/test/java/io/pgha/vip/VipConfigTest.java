package io.pgha.vip;

import io.pgha.config.ConfigException;
import io.pgha.config.ConfigProblem;
import io.pgha.config.ConsulConfig;
import io.pgha.config.Credentials;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class VipConfigTest {
    /** Pigsty's roles/pgsql/templates/vip-manager.yml, rendered for pg-test-1 (TLS and credentials left out). */
    private static final String PIGSTY = """
            interval: 1000
            trigger-key: "/pg/pg-test/leader"
            trigger-value: "pg-test-1"
            ip: 10.10.10.3
            netmask: 24
            interface: eth1
            dcs-type: etcd
            dcs-endpoints:
              - http://10.10.10.10:2379
            retry-num: 2
            retry-after: 250
            verbose: false
            """;

    private static VipConfig parse(String yaml) {
        return VipConfigReader.parse(yaml, "", () -> "this-host");
    }

    private static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("expected %s to be rejected", yaml).isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void pigstysVipManagerFileReadsAsVipManagerReadsIt() {
        VipConfig c = parse(PIGSTY);
        assertThat(c.vip()).hasToString("10.10.10.3/24");
        assertThat(c.interfaceName()).isEqualTo("eth1");
        assertThat(c.triggerKey()).isEqualTo("/pg/pg-test/leader");
        assertThat(c.layout().namespace()).isEqualTo("/pg");
        assertThat(c.layout().scope()).isEqualTo("pg-test");
        assertThat(c.triggerValue()).isEqualTo("pg-test-1");
        assertThat(c.etcd().endpoints()).extracting(Object::toString).containsExactly("http://10.10.10.10:2379");
        assertThat(c.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.retry()).isEqualTo(new VipConfig.Retry(2, Duration.ofMillis(250)));
        // pgha's additions default to Patroni's ttl 30 / loop_wait 10: hold 20 s without the DCS, then release.
        assertThat(c.dcsLossPolicy()).isEqualTo(new DcsLossPolicy.Release(Duration.ofSeconds(20)));
        assertThat(c.announcements()).isEqualTo(new VipConfig.Announcements(5, Duration.ofSeconds(1)));
    }

    @Test
    void defaultsFollowVipManager() {
        VipConfig c = parse("ip: 192.0.2.9\nnetmask: 24\ninterface: eth0\ntrigger-key: /service/demo/leader\n");
        assertThat(c.triggerValue()).as("trigger-value defaults to the host name").isEqualTo("this-host");
        assertThat(c.etcd().endpoints()).extracting(Object::toString).containsExactly("http://127.0.0.1:2379");
        assertThat(c.retry()).isEqualTo(new VipConfig.Retry(3, Duration.ofMillis(250)));
    }

    @Test
    void flagStyleStringsCidrIpAndCommaSeparatedEndpointsAreAccepted() {
        VipConfig c = parse("""
                ip: 192.0.2.9/25
                interface: eth0
                trigger-key: /demo/leader
                interval: "500"
                dcs-endpoints: http://a:2379, http://b:2379
                ttl: 10
                loop-wait: 2
                dcs-loss-policy: hold-while-failsafe
                """);
        assertThat(c.vip().prefixLength()).isEqualTo(25);
        assertThat(c.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.layout().prefix()).isEqualTo("/demo/");
        assertThat(c.etcd().endpoints()).hasSize(2);
        assertThat(c.dcsLossPolicy()).isInstanceOf(DcsLossPolicy.HoldWhileFailsafe.class);
        assertThat(c.dcsLossPolicy().grace()).isEqualTo(Duration.ofSeconds(8));
        assertThat(((DcsLossPolicy.HoldWhileFailsafe) c.dcsLossPolicy()).failsafeUrl()).hasToString("http://127.0.0.1:8008/patroni");
    }

    @Test
    void ipv6VipsAreAccepted() {
        assertThat(parse("ip: fd00::100\nnetmask: 64\ninterface: eth0\ntrigger-key: /s/d/leader\n").vip().isIpv6()).isTrue();
    }

    @Test
    void unknownKeysAreNamedWithASuggestion() {
        assertThat(problems(PIGSTY + "trigger-kye: x\n")).contains("trigger-kye: unknown key (did you mean trigger-key?)");
        assertThat(problems(PIGSTY + "hosting-type: basic\n")).anySatisfy(p -> assertThat(p)
                .startsWith("hosting-type: not supported by pgha (vip-manager never read this key; it is manager-type"));
        assertThat(problems(PIGSTY + "iface: eth0\n")).contains("iface: not supported by pgha (renamed interface in vip-manager 1.0)");
    }

    @Test
    void consulReadsTheLocalAgentAndItsTokenAndThePatroniCheckerIsNotSupportedYet() {
        VipConfig c = parse(PIGSTY.replace("dcs-type: etcd", "dcs-type: consul").replace("http://10.10.10.10:2379", "http://127.0.0.1:8500")
                .replace("trigger-key: \"/pg/pg-test/leader\"", "trigger-key: \"pg/pg-test/leader\"") + "consul-token: tok\n");
        ConsulConfig consul = (ConsulConfig) c.dcs();
        assertThat(consul.agentUri()).hasToString("http://127.0.0.1:8500");
        assertThat(consul.token()).contains("tok");
        assertThat(c.layout().leader()).as("Consul's key without the leading slash").isEqualTo("/pg/pg-test/leader");
        assertThat(((ConsulConfig) parse(PIGSTY.replace("dcs-type: etcd", "dcs-type: consul").replace("dcs-endpoints:\n  - http://10.10.10.10:2379\n", ""))
                .dcs()).agentUri()).as("vip-manager's consul default").hasToString("http://127.0.0.1:8500");
        assertThat(problems(PIGSTY.replace("dcs-type: etcd", "dcs-type: consul") + "etcd-user: u\n"))
                .containsExactly("etcd-user: is an etcd setting, but dcs-type is consul");
        assertThat(problems(PIGSTY.replace("dcs-type: etcd", "dcs-type: patroni")))
                .containsExactly("dcs-type: patroni is not supported yet by pgha vip; use etcd (or etcd3) or consul");
        assertThat(problems(PIGSTY.replace("dcs-type: etcd", "dcs-type: zookeeper")))
                .containsExactly("dcs-type: expected etcd, etcd3 or consul, got \"zookeeper\"");
        assertThat(parse(PIGSTY.replace("dcs-type: etcd", "dcs-type: etcd3")).vip()).hasToString("10.10.10.3/24");
    }

    @Test
    void badAddressesAndPrefixesAreRejectedByKey() {
        assertThat(problems(PIGSTY.replace("ip: 10.10.10.3", "ip: 10.10.10.300")))
                .containsExactly("ip: not an IPv4 or IPv6 address: \"10.10.10.300\"");
        assertThat(problems(PIGSTY.replace("netmask: 24", "netmask: 33")))
                .containsExactly("netmask: bad CIDR: prefix length must be 1..32 for 10.10.10.3, got 33");
        assertThat(problems(PIGSTY.replace("ip: 10.10.10.3", "ip: 10.10.10.3/x")))
                .containsExactly("ip: bad CIDR \"10.10.10.3/x\": the part after / must be a prefix length in bits");
        assertThat(problems(PIGSTY.replace("ip: 10.10.10.3", "ip: 10.10.10.3/16")))
                .containsExactly("netmask: is 24 but ip says /16; give one of them");
        assertThat(problems(PIGSTY.replace("ip: 10.10.10.3", "ip: db.example.com")))
                .containsExactly("ip: not an IPv4 or IPv6 address: \"db.example.com\"");
        assertThat(problems(PIGSTY.replace("ip: 10.10.10.3", "ip: 127.0.0.2")))
                .containsExactly("ip: must be a unicast address other hosts can reach, got 127.0.0.2");
        assertThat(problems(PIGSTY.replace("netmask: 24\n", ""))).containsExactly(
                "netmask: required (prefix length in bits, e.g. 24), or write ip as address/bits");
    }

    @Test
    void triggerKeyMustBeAPatroniLeaderKey() {
        assertThat(problems(PIGSTY.replace("/pg/pg-test/leader", "/pg/pg-test/members/pg-test-1"))).containsExactly(
                "trigger-key: must be a Patroni leader key, <namespace>/<scope>/leader (e.g. /pg/pg-test/leader), got \"/pg/pg-test/members/pg-test-1\"");
    }

    @Test
    void timingRulesAreEnforcedNotRewritten() {
        assertThat(problems(PIGSTY + "ttl: 10\nloop-wait: 10\n")).containsExactly(
                "loop-wait: must be shorter than ttl (10 s ≥ 10 s); set both as in the cluster's Patroni/pgha configuration");
        assertThat(problems(PIGSTY.replace("interval: 1000", "interval: 5000") + "ttl: 10\nloop-wait: 5\n")).anySatisfy(p ->
                assertThat(p).startsWith("interval: must be shorter than ttl − loop-wait (5000 ms ≥ 5000 ms)"));
    }

    @Test
    void policyKeysMustAgree() {
        assertThat(problems(PIGSTY + "failsafe-url: http://127.0.0.1:8008/patroni\n"))
                .containsExactly("failsafe-url: is only used with dcs-loss-policy: hold-while-failsafe");
        assertThat(problems(PIGSTY + "dcs-loss-policy: keep\n"))
                .containsExactly("dcs-loss-policy: expected one of release, hold-while-failsafe, got \"keep\"");
    }

    @Test
    void failsafeCaFileIsReadForAnHttpsFailsafeUrlOnly() throws Exception {
        Path ca = Files.createTempFile("pgha-failsafe-ca", ".crt");
        try {
            VipConfig c = parse(PIGSTY + "dcs-loss-policy: hold-while-failsafe\nfailsafe-url: https://pg-test-1:8008/patroni\n"
                    + "failsafe-ca-file: " + ca + "\n");
            assertThat(((DcsLossPolicy.HoldWhileFailsafe) c.dcsLossPolicy()).failsafeCaFile()).contains(ca);
            assertThat(problems(PIGSTY + "dcs-loss-policy: hold-while-failsafe\nfailsafe-ca-file: " + ca + "\n"))
                    .containsExactly("failsafe-ca-file: is only used with an https failsafe-url");
            assertThat(problems(PIGSTY + "dcs-loss-policy: hold-while-failsafe\nfailsafe-url: https://pg-test-1:8008/patroni\n"
                    + "failsafe-ca-file: /nonexistent/ca.crt\n")).containsExactly("failsafe-ca-file: no such file: /nonexistent/ca.crt");
        } finally {
            Files.delete(ca);
        }
    }

    @Test
    void etcdTlsFilesMustExistAndNeedHttps() {
        List<String> p = problems(PIGSTY + "etcd-ca-file: /nonexistent/ca.pem\netcd-cert-file: /nonexistent/c.pem\n");
        assertThat(p).contains("etcd-ca-file: no such file: /nonexistent/ca.pem",
                "etcd-key-file: etcd-cert-file and etcd-key-file must be given together");
        assertThat(p).anySatisfy(x -> assertThat(x).startsWith("dcs-endpoints: http://10.10.10.10:2379 is http, but etcd TLS files are given"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(problems("ip: nope\nnetmask: 24\ninterface: eth0/1\ntrigger-key: leader\nretry-num: -1\n")).hasSize(4);
    }

    @Test
    void thePasswordIsNotInTheDescription() {
        VipConfig c = parse(PIGSTY + "etcd-user: pg-test\netcd-password: s3cret\n");
        assertThat(c.etcd().credentials().map(Credentials::password)).hasValue("s3cret");
        assertThat(c.toString()).doesNotContain("s3cret");
    }
}
