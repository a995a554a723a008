package io.pgha.provision.inventory;

import org.junit.jupiter.api.Test;

import static io.pgha.provision.inventory.Inventories.parse;
import static io.pgha.provision.inventory.Inventories.problems;
import static io.pgha.provision.inventory.Inventories.withAllVars;
import static io.pgha.provision.inventory.Inventories.withClusterVars;
import static org.assertj.core.api.Assertions.assertThat;

/** The keys that say where a cluster is registered: infra nodes, DNS name and zone, the targets' directory. */
class RegistrationKeysTest {
    static final String V = "all.children.pg-test.vars.";

    @Test
    void defaultsAreThoseOfPigsty() {
        Inventory inv = parse(withClusterVars(""));
        assertThat(inv.settings().prometheusSdDir()).isEqualTo("/etc/prometheus/targets");
        assertThat(inv.settings().dnsZone()).isEqualTo("pigsty");
        assertThat(inv.clusters().get("pg-test").vars().dnsTarget()).isInstanceOf(DnsTarget.Auto.class);
        assertThat(inv.clusters().get("pg-test").vars().dnsSuffix()).isEmpty();
        assertThat(inv.infra()).isEmpty();
    }

    @Test
    void aVipTargetNeedsAVip() {
        assertThat(problems(withClusterVars("        pg_dns_target: vip\n"))).containsExactly(V
                + "pg_dns_target: vip needs a VIP: set pg_vip_enabled and pg_vip_address, or use auto, primary, none or an address");
    }

    @Test
    void aTargetIsAKeywordOrAnAddress() {
        assertThat(parse(withClusterVars("        pg_dns_target: 10.10.10.99\n")).clusters().get("pg-test").vars().dnsTarget())
                .isEqualTo(new DnsTarget.Fixed("10.10.10.99"));
        assertThat(problems(withClusterVars("        pg_dns_target: master\n")))
                .containsExactly(V + "pg_dns_target: expected auto, primary, vip, none or an IP address, got \"master\"");
    }

    @Test
    void zoneAndDirectoryAreChecked() {
        assertThat(problems(withAllVars("    dns_zone: Not_A_Zone\n    prometheus_sd_dir: targets/\n"))).containsExactly(
                "all.vars.prometheus_sd_dir: expected an absolute directory path without a trailing /, got \"targets/\"",
                "all.vars.dns_zone: expected a DNS zone of lowercase letters, digits, '-' and '.', like pigsty or db.example.com, got \"Not_A_Zone\"");
    }

    @Test
    void infraNodesNeedTheirOwnSeq() {
        String yaml = withClusterVars("").replace("  children:\n", """
                  children:
                    infra:
                      hosts:
                        10.10.10.10: { infra_seq: 1 }
                        10.10.10.9: { infra_seq: 1 }
                """);
        assertThat(problems(yaml)).containsExactly(
                "all.children.infra.hosts.10.10.10.9.infra_seq: infra_seq 1 is also 10.10.10.10's: each infra node needs its own");
    }
}
