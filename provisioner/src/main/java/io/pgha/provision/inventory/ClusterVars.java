package io.pgha.provision.inventory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cluster's settings after merging {@code all.vars} under the group's vars, with Pigsty's
 * defaults for what neither sets.
 *
 * @param hbaRules        the cluster's own {@code pg_hba_rules}
 * @param defaultHbaRules {@code pg_default_hba_rules}, or pgha's defaults ({@link HbaRules#PGHA_DEFAULTS})
 * @param services        the default four (or {@code pg_default_services}) followed by {@code pg_services}
 * @param restPort        {@code patroni_port}: the HA daemon's REST API, which HAProxy checks
 * @param rpo             {@code pg_rpo}: bytes a replica may lag and still be promoted
 * @param haproxyMaxconn  {@code haproxy_maxconn} (pgha's key, not Pigsty's): HAProxy's global maxconn, which
 *                        needs about twice as many open files; the bridge's default when absent
 * @param dnsSuffix       {@code pg_dns_suffix}: the cluster's DNS name is {@code <pg_cluster><pg_dns_suffix>}
 * @param dnsTarget       {@code pg_dns_target}: what that name resolves to
 */
public record ClusterVars(List<PgUser> users, List<PgDatabase> databases, List<HbaRule> hbaRules, Optional<Vip> vip,
                          List<PgService> services, int pgVersion, int pgPort, int restPort, String dataDir,
                          PgConf pgConf, PatroniMode patroniMode, Rto rto, long rpo, String namespace,
                          List<HbaRule> defaultHbaRules, Optional<Integer> haproxyMaxconn, String dnsSuffix,
                          DnsTarget dnsTarget) {
    public static final int DEFAULT_PG_VERSION = 15;
    public static final int MIN_PG_VERSION = 13;
    public static final int MAX_PG_VERSION = 17;
    public static final long DEFAULT_RPO = 1_048_576;

    public ClusterVars {
        users = List.copyOf(users);
        databases = List.copyOf(databases);
        hbaRules = List.copyOf(hbaRules);
        defaultHbaRules = List.copyOf(defaultHbaRules);
        Objects.requireNonNull(vip, "vip");
        services = List.copyOf(services);
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(pgConf, "pgConf");
        Objects.requireNonNull(patroniMode, "patroniMode");
        Objects.requireNonNull(rto, "rto");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(dnsSuffix, "dnsSuffix");
        Objects.requireNonNull(dnsTarget, "dnsTarget");
    }

    /** Pigsty turns synchronous replication on for the crit template and for {@code pg_rpo: 0}. */
    public boolean synchronous() {
        return pgConf == PgConf.CRIT || rpo == 0;
    }

    public Optional<PgUser> user(String name) {
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    public Optional<PgDatabase> database(String name) {
        return databases.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
