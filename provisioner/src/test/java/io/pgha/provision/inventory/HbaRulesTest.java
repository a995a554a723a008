package io.pgha.provision.inventory;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.pgha.provision.inventory.Inventories.parse;
import static io.pgha.provision.inventory.Inventories.withClusterVars;
import static org.assertj.core.api.Assertions.assertThat;

class HbaRulesTest {
    private static final String SCRAM = " scram-sha-256";

    @Test
    void sandboxClusterFileExpandsAliasesAndPutsTheDenyFirst() {
        Inventory inv = InventoryReader.read(SandboxInventoryTest.SANDBOX);
        List<String> lines = HbaRules.lines(inv.clusters().get("pg-test"), inv);
        List<String> expected = new ArrayList<>();
        expected.add("# dbuser_blocked may not log in from anywhere");
        expected.add("host all dbuser_blocked 0.0.0.0/0 reject");
        expected.add("host all dbuser_blocked ::/0 reject");
        expected.add("# dbsu over the local socket, as the OS user");
        expected.add("local all postgres peer");
        expected.add("# dbsu replication over the local socket");
        expected.add("local replication postgres peer");
        expected.add("# dbsu from localhost: the pgha daemon connects so");
        expected.addAll(localhost("host all postgres "));
        expected.add("# dbsu from the private networks: a switchover leader reads its candidate's received WAL");
        expected.addAll(intra("host postgres postgres "));
        expected.add("# replicator from localhost");
        expected.addAll(localhost("host replication replicator "));
        // Pigsty's choice: the private networks, so that adding a member changes no other member's file.
        expected.add("# replication from the private networks");
        expected.addAll(intra("host replication replicator "));
        expected.add("# pg_rewind from the private networks");
        expected.addAll(intra("host postgres replicator "));
        expected.add("# monitor from localhost");
        expected.addAll(localhost("host all dbuser_monitor "));
        expected.add("# monitor from the private networks");
        expected.addAll(intra("host all dbuser_monitor "));
        expected.add("# admin from localhost");
        expected.addAll(localhost("host all dbuser_dba "));
        expected.add("# admin from the private networks");
        expected.addAll(intra("host all dbuser_dba "));
        expected.add("# business users from localhost");
        expected.addAll(localhost("host all +dbrole_readonly "));
        expected.add("# business users from the private networks");
        expected.addAll(intra("host all +dbrole_readonly "));
        expected.add("# offline users on offline members");
        expected.addAll(intra("host all +dbrole_offline "));
        expected.add("# dbuser_view reads test from the private networks");
        expected.addAll(intra("host test dbuser_view "));
        assertThat(lines).containsExactlyElementsOf(expected);
        assertThat(lines.indexOf("host all dbuser_blocked 0.0.0.0/0 reject"))
                .isLessThan(lines.indexOf("host all +dbrole_readonly 10.0.0.0/8" + SCRAM));
    }

    @Test
    void aMembersFileHoldsOnlyTheRulesOfItsRole() {
        Inventory inv = InventoryReader.read(SandboxInventoryTest.SANDBOX);
        PgCluster c = inv.clusters().get("pg-test");
        assertThat(HbaRules.lines(c, c.host("10.10.10.12").orElseThrow(), inv)).noneMatch(l -> l.contains("dbrole_offline"));
        assertThat(HbaRules.lines(c, c.host("10.10.10.13").orElseThrow(), inv)).contains("host all +dbrole_offline 10.0.0.0/8" + SCRAM);
    }

    @Test
    void rawLinesPassThroughAndRolesSelectMembers() {
        Inventory inv = parse(withClusterVars("""
                        pg_default_hba_rules:
                          - { user: '${dbsu}', db: all, addr: local, auth: ident, order: 100 }
                        pg_hba_rules:
                          - { title: legacy, rules: ['host all all 10.0.0.0/8 md5', 'local all all trust'], order: 50 }
                          - { user: '${admin}', db: all, addr: world, auth: ssl }
                          - { user: dbuser_x, db: all, addr: admin, auth: cert, role: primary }
                          - { user: dbuser_y, db: all, addr: 10.20.0.7, auth: md5, role: replica }
                          - { user: dbuser_z, db: all, addr: cluster, auth: deny }
                """));
        PgCluster c = inv.clusters().get("pg-test");
        assertThat(HbaRules.lines(c, c.primary(), inv)).containsExactly(
                "# legacy",
                "host all all 10.0.0.0/8 md5",
                "local all all trust",
                "local all postgres ident",
                "hostssl all dbuser_dba 0.0.0.0/0" + SCRAM,
                "hostssl all dbuser_dba ::/0" + SCRAM,
                "hostssl all dbuser_x 10.10.10.10/32 cert",
                "host all dbuser_z 10.10.10.11/32 reject",
                "host all dbuser_z 10.10.10.12/32 reject");
        assertThat(HbaRules.lines(c, c.host("10.10.10.12").orElseThrow(), inv))
                .contains("host all dbuser_y 10.20.0.7/32 md5")
                .doesNotContain("hostssl all dbuser_x 10.10.10.10/32 cert");
        assertThat(HbaRules.lines(c, inv)).contains("host all dbuser_y 10.20.0.7/32 md5", "hostssl all dbuser_x 10.10.10.10/32 cert");
    }

    private static List<String> localhost(String prefix) {
        return List.of(prefix + "127.0.0.1/32" + SCRAM, prefix + "::1/128" + SCRAM);
    }

    private static List<String> intra(String prefix) {
        return List.of(prefix + "10.0.0.0/8" + SCRAM, prefix + "172.16.0.0/12" + SCRAM, prefix + "192.168.0.0/16" + SCRAM);
    }

    private static List<String> members(String prefix) {
        return List.of(prefix + "10.10.10.11/32" + SCRAM, prefix + "10.10.10.12/32" + SCRAM, prefix + "10.10.10.13/32" + SCRAM);
    }
}
