package io.pgha.provision.inventory;

import org.junit.jupiter.api.Test;

import static io.pgha.provision.inventory.Inventories.inventory;
import static io.pgha.provision.inventory.Inventories.parse;
import static io.pgha.provision.inventory.Inventories.problems;
import static io.pgha.provision.inventory.Inventories.withAllVars;
import static io.pgha.provision.inventory.Inventories.withClusterVars;
import static org.assertj.core.api.Assertions.assertThat;

class InventoryValidationTest {
    private static final String H = "all.children.pg-test.hosts.";
    private static final String V = "all.children.pg-test.vars.";

    @Test
    void theBaseInventoryIsValid() {
        assertThat(parse(withClusterVars("")).clusters()).containsKey("pg-test");
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumn() {
        assertThat(problems("all:\n  children: [a, b\n")).singleElement().asString()
                .startsWith("(file): YAML syntax error in test.yml at line 3, column 1");
    }

    @Test
    void childrenMustBeAMapping() {
        assertThat(problems("all:\n  children: [etcd, pg-test]\n"))
                .containsExactly("all.children: expected a mapping, got a list");
    }

    @Test
    void onlyAllAtTheTop() {
        assertThat(problems(withClusterVars("") + "pg-meta:\n  hosts: {}\n"))
                .containsExactly("pg-meta: expected only all at the top, as in Pigsty's inventory: move this group under all.children");
    }

    @Test
    void pgRoleMustBePrimaryReplicaOrOffline() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary }
                        10.10.10.12: { pg_seq: 2, pg_role: master }
                """, "", "")))
                .containsExactly(H + "10.10.10.12.pg_role: expected primary, replica or offline, got \"master\"");
    }

    @Test
    void pgRoleIsRequired() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary }
                        10.10.10.12: { pg_seq: 2 }
                """, "", "")))
                .containsExactly(H + "10.10.10.12.pg_role: required (primary, replica or offline)");
    }

    @Test
    void twoPrimaries() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary }
                        10.10.10.12: { pg_seq: 2, pg_role: primary }
                """, "", "")))
                .containsExactly(H + "10.10.10.12.pg_role: a second primary (10.10.10.11 is one): exactly one member has pg_role: primary; make this one a replica");
    }

    @Test
    void noPrimary() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: replica }
                        10.10.10.12: { pg_seq: 2, pg_role: replica }
                """, "", "")))
                .containsExactly("all.children.pg-test.hosts: no member has pg_role: primary; exactly one must, the cluster is bootstrapped on it");
    }

    @Test
    void duplicatePgSeq() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary }
                        10.10.10.12: { pg_seq: 1, pg_role: replica }
                """, "", "")))
                .containsExactly(H + "10.10.10.12.pg_seq: pg_seq 1 is also 10.10.10.11's: each member needs its own, it names the member pg-test-1");
    }

    @Test
    void pgSeqMustBeAPositiveInteger() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 0, pg_role: primary }
                        10.10.10.12: { pg_seq: two, pg_role: replica }
                """, "", "")))
                .containsExactly(H + "10.10.10.11.pg_seq: expected a positive integer, got 0",
                        H + "10.10.10.12.pg_seq: expected a positive integer, got \"two\"");
    }

    @Test
    void pgSeqIsRequired() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_role: primary }
                """, "", "")))
                .containsExactly(H + "10.10.10.11.pg_seq: required (a positive integer; the member is named pg-test-<pg_seq>)");
    }

    @Test
    void etcdSeqMustBePositiveAndDistinct() {
        String yaml = withClusterVars("").replace("10.10.10.10: { etcd_seq: 1 }",
                "10.10.10.10: { etcd_seq: 1 }\n        10.10.10.20: { etcd_seq: 1 }\n        10.10.10.21: { etcd_seq: -3 }\n        10.10.10.22: {}");
        assertThat(problems(yaml)).containsExactly(
                "all.children.etcd.hosts.10.10.10.20.etcd_seq: etcd_seq 1 is also 10.10.10.10's: each etcd member needs its own",
                "all.children.etcd.hosts.10.10.10.21.etcd_seq: expected a positive integer, got -3",
                "all.children.etcd.hosts.10.10.10.22.etcd_seq: required (a positive integer; the member is named etcd-<etcd_seq>)");
    }

    private static final String ETCD_AND_PG_TEST = """
            all:
              children:
                etcd:
                  hosts: { 10.10.10.10: { etcd_seq: 1 } }
                pg-test:
                  hosts: { 10.10.10.11: { pg_seq: 1, pg_role: primary } }
                  vars: { pg_cluster: pg-test }
            """;

    @Test
    void aHostInTwoClusters() {
        assertThat(problems(ETCD_AND_PG_TEST + """
                    pg-other:
                      hosts: { 10.10.10.11: { pg_seq: 1, pg_role: primary } }
                      vars: { pg_cluster: pg-other }
                """)).containsExactly(
                "all.children.pg-other.hosts.10.10.10.11: already a member of pg-test: a host belongs to one PostgreSQL cluster");
    }

    @Test
    void aClusterWithoutHosts() {
        assertThat(problems(ETCD_AND_PG_TEST + """
                    pg-empty:
                      hosts: {}
                      vars: { pg_cluster: pg-empty }
                """)).containsExactly(
                "all.children.pg-empty.hosts: a PostgreSQL cluster needs at least one host, like 10.10.10.11: {pg_seq: 1, pg_role: primary}");
    }

    @Test
    void clusterNamesAreLowercaseLettersDigitsAndDashes() {
        String yaml = withClusterVars("").replace("pg-test", "PG_Test");
        assertThat(problems(yaml)).contains(
                "all.children.PG_Test.vars.pg_cluster: expected lowercase letters, digits and '-', starting with a letter (it names the members and the DCS keys), got \"PG_Test\"");
    }

    @Test
    void pgClusterMustMatchTheGroupName() {
        assertThat(problems(withClusterVars("").replace("pg_cluster: pg-test", "pg_cluster: pg-prod")))
                .containsExactly(V + "pg_cluster: must equal the group's name \"pg-test\", as Pigsty expects: rename one of them");
    }

    @Test
    void hostKeysAreAddressesOrHostNames() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary }
                        10.10.10.300: { pg_seq: 2, pg_role: replica }
                        "db_2.example": { pg_seq: 3, pg_role: replica }
                        db3.example.com: { pg_seq: 4, pg_role: replica }
                        fd00::14: { pg_seq: 5, pg_role: replica }
                """, "", ""))).containsExactly(
                H + "10.10.10.300: expected an IPv4 or IPv6 address or a host name as the host's key, got \"10.10.10.300\"",
                H + "db_2.example: expected an IPv4 or IPv6 address or a host name as the host's key, got \"db_2.example\"");
    }

    @Test
    void vipOutsideTheMembersSubnet() {
        assertThat(problems(withClusterVars("""
                        pg_vip_enabled: true
                        pg_vip_address: 10.10.20.3/24
                        pg_vip_interface: eth1
                """))).containsExactly(
                V + "pg_vip_address: 10.10.20.3/24 does not contain member 10.10.10.11: the VIP must be in the subnet of every member so that it can move to any of them",
                V + "pg_vip_address: 10.10.20.3/24 does not contain member 10.10.10.12: the VIP must be in the subnet of every member so that it can move to any of them");
    }

    @Test
    void vipMustNotBeAMembersAddress() {
        assertThat(problems(withClusterVars("""
                        pg_vip_enabled: true
                        pg_vip_address: 10.10.10.12/24
                        pg_vip_interface: eth1
                """))).containsExactly(
                V + "pg_vip_address: the VIP 10.10.10.12 is the address of member 10.10.10.12: pick a free address in the members' subnet");
    }

    @Test
    void vipsAreUniqueAndNoHostsAddress() {
        assertThat(problems("""
                all:
                  children:
                    etcd:
                      hosts: { 10.10.10.3: { etcd_seq: 1 } }
                    pg-a:
                      hosts: { 10.10.10.11: { pg_seq: 1, pg_role: primary } }
                      vars: { pg_cluster: pg-a }
                    pg-b:
                      hosts: { 10.10.10.12: { pg_seq: 1, pg_role: primary } }
                      vars: { pg_cluster: pg-b, pg_vip_address: 10.10.10.11/24 }
                  vars: { pg_vip_enabled: true, pg_vip_address: 10.10.10.3/24, pg_vip_interface: eth1 }
                """)).containsExactly(
                "all.vars.pg_vip_address: the VIP 10.10.10.3 is the address of etcd member 10.10.10.3: pick a free address in the members' subnet",
                "all.children.pg-b.vars.pg_vip_address: the VIP 10.10.10.11 is the address of pg-a member 10.10.10.11: pick a free address in the members' subnet");
        assertThat(problems("""
                all:
                  children:
                    etcd:
                      hosts: { 10.10.10.10: { etcd_seq: 1 } }
                    pg-a:
                      hosts: { 10.10.10.11: { pg_seq: 1, pg_role: primary } }
                      vars: { pg_cluster: pg-a }
                    pg-b:
                      hosts: { 10.10.10.12: { pg_seq: 1, pg_role: primary } }
                      vars: { pg_cluster: pg-b }
                  vars: { pg_vip_enabled: true, pg_vip_address: 10.10.10.3/24, pg_vip_interface: eth1 }
                """)).containsExactly("all.vars.pg_vip_address: the VIP 10.10.10.3 is also pg-a's: each cluster needs its own VIP");
    }

    @Test
    void vipEnabledNeedsAddressAndInterface() {
        assertThat(problems(withClusterVars("        pg_vip_enabled: true\n"))).containsExactly(
                V + "pg_vip_address: required when pg_vip_enabled is true: the VIP with its prefix, like 10.10.10.3/24",
                V + "pg_vip_interface: required when pg_vip_enabled is true: the network interface the VIP is added to, like eth1");
    }

    @Test
    void vipAddressNeedsItsPrefix() {
        assertThat(problems(withClusterVars("""
                        pg_vip_enabled: true
                        pg_vip_address: 10.10.10.3
                        pg_vip_interface: auto
                """))).containsExactly(
                V + "pg_vip_address: expected an address with its prefix length, like 10.10.10.3/24, got \"10.10.10.3\"",
                V + "pg_vip_interface: pgha does not resolve auto: name the interface that carries the members' addresses, like eth1");
    }

    @Test
    void disabledVipIsNotChecked() {
        assertThat(parse(withClusterVars("        pg_vip_address: 192.168.0.3/24\n")).clusters().get("pg-test").vars().vip()).isEmpty();
    }

    @Test
    void databaseOwnerMustBeDeclared() {
        assertThat(problems(withClusterVars("        pg_databases: [{ name: test, owner: dbuser_nobody }]\n")))
                .containsExactly(V + "pg_databases[0].owner: user dbuser_nobody is not declared: add it to pg_users, or own the database with a declared user");
    }

    @Test
    void grantedRolesMustBeDeclared() {
        assertThat(problems(withClusterVars("""
                        pg_users:
                          - { name: dbuser_app, roles: [dbrole_readwrite, pg_monitor, dbuser_base, { name: dbrole_missing }] }
                          - { name: dbuser_base, login: false }
                """))).containsExactly(
                V + "pg_users[0].roles[3].name: role dbrole_missing is not declared: add it to pg_users (the default roles dbrole_readonly, dbrole_offline, dbrole_readwrite, dbrole_admin need no declaration)");
    }

    @Test
    void systemUsersCountAsDeclared() {
        assertThat(parse(withClusterVars("        pg_databases: [{ name: meta, owner: dbuser_dba }]\n")).clusters()).hasSize(1);
    }

    @Test
    void duplicateUserNames() {
        assertThat(problems(withClusterVars("""
                        pg_users:
                          - { name: dbuser_app }
                          - { name: dbuser_app, superuser: true }
                """))).containsExactly(
                V + "pg_users[1].name: user dbuser_app is declared twice (first at " + V + "pg_users[0].name): merge the two entries");
    }

    @Test
    void upstreamMustBeAnotherMemberOfTheCluster() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary }
                        10.10.10.12: { pg_seq: 2, pg_role: replica, pg_upstream: 10.10.10.99 }
                        10.10.10.13: { pg_seq: 3, pg_role: replica, pg_upstream: 10.10.10.12 }
                        10.10.10.14: { pg_seq: 4, pg_role: replica, pg_upstream: 10.10.10.14 }
                """, "", ""))).containsExactly(
                H + "10.10.10.12.pg_upstream: \"10.10.10.99\" is not a member of pg-test: pg_upstream names another host of the same cluster to cascade from",
                H + "10.10.10.14.pg_upstream: a member cannot replicate from itself");
        assertThat(parse(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary }
                        10.10.10.12: { pg_seq: 2, pg_role: replica }
                        10.10.10.13: { pg_seq: 3, pg_role: replica, pg_upstream: 10.10.10.12 }
                """, "", "")).clusters().get("pg-test").host("10.10.10.13").orElseThrow().upstream()).contains("10.10.10.12");
    }

    @Test
    void upstreamsMustNotFormACycle() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary }
                        10.10.10.12: { pg_seq: 2, pg_role: replica, pg_upstream: 10.10.10.13 }
                        10.10.10.13: { pg_seq: 3, pg_role: replica, pg_upstream: 10.10.10.12 }
                """, "", ""))).containsExactly(
                H + "10.10.10.12.pg_upstream: pg_upstream forms a cycle (10.10.10.12 → 10.10.10.13 → 10.10.10.12): the chain must end at a member that replicates from the primary",
                H + "10.10.10.13.pg_upstream: pg_upstream forms a cycle (10.10.10.13 → 10.10.10.12 → 10.10.10.13): the chain must end at a member that replicates from the primary");
    }

    @Test
    void aClusterWideDelayIsForTheReplicas() {
        PgCluster c = parse(withClusterVars("        pg_delay: 1h\n")).clusters().get("pg-test");
        assertThat(c.primary().delay()).isEmpty();
        assertThat(c.host("10.10.10.12").orElseThrow().delay()).contains(java.time.Duration.ofHours(1));
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary, pg_delay: 1h }
                """, "", ""))).containsExactly(
                H + "10.10.10.11.pg_delay: a primary applies no replication delay: set pg_delay on a replica,"
                        + " or pg_upstream on this primary to make the cluster a delayed standby cluster");
    }

    @Test
    void pgUpstreamOnThePrimaryMakesAStandbyClusterOfAnotherClustersPrimary() {
        PgCluster c = parse(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary, pg_upstream: 10.10.20.11, pg_delay: 1h }
                        10.10.10.12: { pg_seq: 2, pg_role: replica }
                """, "", "")).clusters().get("pg-test");
        assertThat(c.standbyOf()).contains("10.10.20.11");
        assertThat(c.primary().delay()).contains(java.time.Duration.ofHours(1));
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary, pg_upstream: 10.10.10.12 }
                        10.10.10.12: { pg_seq: 2, pg_role: replica }
                """, "", ""))).containsExactly(H + "10.10.10.11.pg_upstream: \"10.10.10.12\" is a member of pg-test: on the primary,"
                + " pg_upstream names the primary of another cluster, which this one follows as a standby cluster");
    }

    @Test
    void pgDelayFormats() {
        Inventory inv = parse(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary }
                        10.10.10.12: { pg_seq: 2, pg_role: replica, pg_delay: 1h }
                        10.10.10.13: { pg_seq: 3, pg_role: replica, pg_delay: 30min }
                        10.10.10.14: { pg_seq: 4, pg_role: replica, pg_delay: 10s }
                        10.10.10.15: { pg_seq: 5, pg_role: replica, pg_delay: 0 }
                """, "", ""));
        assertThat(inv.clusters().get("pg-test").hosts()).extracting(PgHost::delay).containsExactly(
                java.util.Optional.empty(), java.util.Optional.of(java.time.Duration.ofHours(1)),
                java.util.Optional.of(java.time.Duration.ofMinutes(30)), java.util.Optional.of(java.time.Duration.ofSeconds(10)),
                java.util.Optional.empty());
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary }
                        10.10.10.12: { pg_seq: 2, pg_role: replica, pg_delay: 1 hour }
                """, "", ""))).containsExactly(
                H + "10.10.10.12.pg_delay: expected a delay such as 10s, 30min, 1h or 1d (units us, ms, s, min, h, d), got \"1 hour\"");
    }

    @Test
    void portsAreOneTo65535() {
        assertThat(problems(withClusterVars("        pg_port: 70000\n        patroni_port: 0\n"))).containsExactly(
                V + "pg_port: expected a port number 1..65535, got 70000",
                V + "patroni_port: expected a port number 1..65535, got 0");
        assertThat(problems(withAllVars("    etcd_port: 99999\n    ansible_port: ssh\n"))).containsExactly(
                "all.vars.etcd_port: expected a port number 1..65535, got 99999",
                "all.vars.ansible_port: expected a port number 1..65535, got \"ssh\"");
    }

    @Test
    void pgVersion13To17() {
        assertThat(problems(withClusterVars("        pg_version: 18\n")))
                .containsExactly(V + "pg_version: expected a PostgreSQL major version pgha supports, 13 to 17, got 18");
    }

    @Test
    void patroniMode() {
        assertThat(problems(withClusterVars("        patroni_mode: manual\n")))
                .containsExactly(V + "patroni_mode: expected default, pause or remove, got \"manual\"");
        assertThat(parse(withClusterVars("        patroni_mode: pause\n")).clusters().get("pg-test").vars().patroniMode())
                .isEqualTo(PatroniMode.PAUSE);
    }

    @Test
    void pgConfAcceptsTheTemplateFileName() {
        assertThat(parse(withClusterVars("        pg_conf: crit.yml\n")).clusters().get("pg-test").vars())
                .satisfies(v -> {
                    assertThat(v.pgConf()).isEqualTo(PgConf.CRIT);
                    assertThat(v.synchronous()).isTrue();
                });
        assertThat(parse(withClusterVars("        pg_conf: olap\n")).clusters().get("pg-test").vars().pgConf()).isEqualTo(PgConf.OLAP);
        assertThat(problems(withClusterVars("        pg_conf: web\n")))
                .containsExactly(V + "pg_conf: expected oltp, olap, crit or tiny (or oltp.yml …), got \"web\"");
    }

    @Test
    void pgRto() {
        assertThat(parse(withClusterVars("        pg_rto: 20\n")).clusters().get("pg-test").vars().rto()).isEqualTo(Rto.ttl(20));
        assertThat(parse(withClusterVars("        pg_rto: fast\n")).clusters().get("pg-test").vars().rto())
                .isEqualTo(Rto.of(io.pgha.config.RtoPreset.FAST));
        assertThat(problems(withClusterVars("        pg_rto: wide\n")))
                .containsExactly(V + "pg_rto: pgha has no wide plan: use safe, or pg_rto: 120 for a 120 s ttl");
        assertThat(problems(withClusterVars("        pg_rto: quick\n")))
                .containsExactly(V + "pg_rto: expected fast, norm, safe or a ttl in seconds, got \"quick\"");
        assertThat(problems(withClusterVars("        pg_rto: 1\n")))
                .containsExactly(V + "pg_rto: expected a ttl of 2 to 3600 seconds, got 1");
    }

    @Test
    void pgRpoZeroIsSynchronous() {
        assertThat(parse(withClusterVars("        pg_rpo: 0\n")).clusters().get("pg-test").vars().synchronous()).isTrue();
        assertThat(problems(withClusterVars("        pg_rpo: -1\n")))
                .containsExactly(V + "pg_rpo: expected a whole number ≥ 0, got -1");
    }

    @Test
    void missingEtcdGroup() {
        String yaml = withClusterVars("").replace("    etcd:\n      hosts:\n        10.10.10.10: { etcd_seq: 1 }\n", "");
        assertThat(problems(yaml)).containsExactly(
                "all.children: no etcd group: pgha keeps its cluster state in etcd; add etcd: {hosts: {10.10.10.10: {etcd_seq: 1}}}");
    }

    @Test
    void pgbouncerIsNotADestination() {
        assertThat(problems(withAllVars("    pg_default_service_dest: pgbouncer\n")))
                .containsExactly("all.vars.pg_default_service_dest: pgha does not provision pgbouncer: set pg_default_service_dest: postgres");
        assertThat(problems(withClusterVars("        pg_services: [{ name: standby, port: 5435, dest: pgbouncer, check: /sync }]\n")))
                .containsExactly(V + "pg_services[0].dest: pgha does not provision pgbouncer: set dest: postgres (or default)");
    }

    @Test
    void extraServicesFollowTheDefaults() {
        ClusterVars v = parse(withClusterVars("""
                        pg_services:
                          - { name: standby, port: 5435, dest: default, check: /sync, selector: "[]", backup: "[? pg_role == `primary`]", maxconn: 3000 }
                """)).clusters().get("pg-test").vars();
        assertThat(v.services()).hasSize(5).last().isEqualTo(new PgService("standby", 5435, "postgres", "[]",
                java.util.Optional.of("[? pg_role == `primary`]"), "/sync"));
        assertThat(problems(withClusterVars("        pg_services: [{ name: again, port: 5433, check: /primary }]\n")))
                .containsExactly(V + "pg_services: services primary and again both use port 5433");
    }

    @Test
    void booleansMustBeBooleans() {
        assertThat(problems(withClusterVars("        pg_vip_enabled: \"on\"\n        pg_users: [{ name: dbuser_x, superuser: 1 }]\n")))
                .containsExactlyInAnyOrder(V + "pg_vip_enabled: expected true or false, got \"on\"",
                        V + "pg_users[0].superuser: expected true or false, got 1");
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary, pg_offline_query: maybe }
                """, "", ""))).containsExactly(H + "10.10.10.11.pg_offline_query: expected true or false, got \"maybe\"");
    }

    @Test
    void aTypoNearAnImplementedKeyIsSuggested() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_rol: primary }
                """, "", ""))).containsExactly(
                H + "10.10.10.11.pg_rol: unknown key: did you mean pg_role? (a key pgha does not implement is ignored, but this one looks like a typo)",
                H + "10.10.10.11.pg_role: required (primary, replica or offline)");
        assertThat(problems(withClusterVars("        pg_users: [{ name: dbuser_x, superuesr: true }]\n"))).containsExactly(
                V + "pg_users[0].superuesr: unknown key: did you mean superuser? (a key pgha does not implement is ignored, but this one looks like a typo)");
    }

    @Test
    void pigstyKeysNearImplementedOnesAreIgnoredNotCorrected() {
        Inventory inv = parse(withClusterVars("""
                        pgb_hba_rules: []
                        pg_users: [{ name: dbuser_x, expire_in: 30, pgbouncer: true }]
                """));
        assertThat(inv.ignored()).containsExactly("pg_users[].expire_in", "pg_users[].pgbouncer", "pgb_hba_rules");
    }

    @Test
    void keysInTheWrongPlace() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary, pg_port: 5433 }
                """, "        pg_seq: 1\n        pg_dbsu: pg\n", "    pg_cluster: pg-test\n"))).containsExactlyInAnyOrder(
                "all.vars.pg_cluster: not allowed here: it names the cluster: set it in the cluster group's vars",
                H + "10.10.10.11.pg_port: not allowed here: it is cluster-wide in pgha: set it in the cluster's vars or in all.vars",
                V + "pg_seq: not allowed here: it identifies one member: set it on the host, under the cluster's hosts",
                V + "pg_dbsu: not allowed here: it is global in pgha: set it in all.vars");
    }

    @Test
    void ansibleHostIsRefused() {
        assertThat(problems(inventory("""
                        node-1: { pg_seq: 1, pg_role: primary, ansible_host: 10.10.10.11 }
                """, "", ""))).containsExactly(
                H + "node-1.ansible_host: not supported: pgha connects to the host's key, so write the address itself as the key");
    }

    @Test
    void groupWithMembersButNoPgCluster() {
        String yaml = withClusterVars("").replace("        pg_cluster: pg-test\n", "        pg_version: 15\n");
        assertThat(problems(yaml)).containsExactly(
                V + "pg_cluster: required: this group's hosts have pg_seq or pg_role; set pg_cluster: pg-test");
    }

    @Test
    void hbaRuleAliasesAreChecked() {
        assertThat(problems(withClusterVars("""
                        pg_hba_rules:
                          - { user: all, db: all, addr: everywhere, auth: pwd }
                          - { user: all, db: all, addr: intra, auth: password }
                          - { user: all, db: all, addr: intra, auth: peer }
                          - { user: all, db: all, addr: intra, auth: pwd, role: standby }
                          - { user: all, rules: ['host all all 0.0.0.0/0 reject'] }
                """))).containsExactly(
                V + "pg_hba_rules[0].addr: expected local, localhost, admin, infra, cluster, intra, world, all or an address/prefix like 10.0.0.0/8, got \"everywhere\"",
                V + "pg_hba_rules[1].auth: expected pwd, ssl, cert, deny, trust, ident, peer, md5 or scram-sha-256, got \"password\"",
                V + "pg_hba_rules[2].auth: peer works on local (Unix socket) connections only: use addr: local, or ident/pwd for intra",
                V + "pg_hba_rules[3].role: expected common, primary, replica or offline, got \"standby\"",
                V + "pg_hba_rules[4]: a rule has either rules (raw pg_hba.conf lines) or user/db/addr/auth, not both");
    }

    @Test
    void unknownUserAliasAndRevokedRoles() {
        assertThat(problems(withClusterVars("""
                        pg_users: [{ name: dbuser_x, roles: [{ name: dbrole_admin, state: absent }] }]
                        pg_hba_rules: [{ user: '${owner}', db: all, addr: intra, auth: pwd }]
                """))).containsExactlyInAnyOrder(
                V + "pg_users[0].roles[0].state: revoking a role is not supported by pgha: remove the entry (pgha then leaves the grant as it is)",
                V + "pg_hba_rules[0].user: expected one of ${dbsu}, ${repl}, ${monitor}, ${admin} or a role name, got \"${owner}\"");
    }

    @Test
    void aMissingFileIsOneProblem() {
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(InventoryException.class,
                () -> InventoryReader.read(java.nio.file.Path.of("/nonexistent/inventory.yml"))).problems())
                .containsExactly(new InventoryProblem("(file)", "cannot read /nonexistent/inventory.yml: no such file"));
    }

    @Test
    void adminAliasNeedsAdminIp() {
        String yaml = withClusterVars("        pg_hba_rules: [{ user: all, db: all, addr: admin, auth: pwd }]\n")
                .replace("    admin_ip: 10.10.10.10\n", "");
        assertThat(problems(yaml)).containsExactly(V + "pg_hba_rules[0].addr: admin means the admin node: set admin_ip in all.vars");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(problems(inventory("""
                        10.10.10.11: { pg_seq: 1, pg_role: primary }
                        10.10.10.12: { pg_seq: 1, pg_role: master }
                        10.10.10.13: { pg_seq: 3, pg_role: primary }
                """, """
                        pg_version: 12
                        pg_vip_enabled: true
                        pg_vip_address: 192.168.1.3/24
                        pg_vip_interface: eth1
                        pg_databases: [{ name: app, owner: dbuser_app }]
                """, "    pg_default_service_dest: pgbouncer\n"))).containsExactlyInAnyOrder(
                H + "10.10.10.12.pg_role: expected primary, replica or offline, got \"master\"",
                H + "10.10.10.13.pg_role: a second primary (10.10.10.11 is one): exactly one member has pg_role: primary; make this one a replica",
                V + "pg_vip_address: 192.168.1.3/24 does not contain member 10.10.10.11: the VIP must be in the subnet of every member so that it can move to any of them",
                V + "pg_vip_address: 192.168.1.3/24 does not contain member 10.10.10.13: the VIP must be in the subnet of every member so that it can move to any of them",
                "all.vars.pg_default_service_dest: pgha does not provision pgbouncer: set pg_default_service_dest: postgres",
                V + "pg_version: expected a PostgreSQL major version pgha supports, 13 to 17, got 12",
                V + "pg_databases[0].owner: user dbuser_app is not declared: add it to pg_users, or own the database with a declared user");
    }
}
