package io.pgha.provision.inventory;

import io.pgha.config.Node;
import io.pgha.config.RtoPreset;
import io.pgha.config.Values;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** A group with {@code pg_cluster}: its name, members and vars (the group's over all.vars). */
final class ClusterReader {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private ClusterReader() {
    }

    static Optional<PgCluster> read(String group, Node groupNode, Node allVars, Settings settings,
                                    Map<String, String> memberOf, Reading r) {
        Node groupVars = groupNode.get("vars");
        Node nameNode = groupVars.get("pg_cluster");
        Optional<String> name = nameNode.string().filter(s -> validName(s, group, nameNode));
        String cluster = name.orElse(group);
        List<PgHost> hosts = HostsReader.read(cluster, groupNode, allVars, memberOf, r);
        ClusterVars vars = vars(Scope.of(groupVars, allVars), hosts, settings, r);
        return name.map(n -> new PgCluster(n, hosts, vars));
    }

    private static boolean validName(String s, String group, Node at) {
        if (!NAME.matcher(s).matches() || s.endsWith("-")) {
            at.problem("expected lowercase letters, digits and '-', starting with a letter (it names the members and the DCS keys), got "
                    + Values.describe(s));
            return false;
        }
        if (!s.equals(group)) {
            at.problem("must equal the group's name " + Values.describe(group) + ", as Pigsty expects: rename one of them");
            return false;
        }
        return true;
    }

    static ClusterVars vars(Scope vars, List<PgHost> hosts, Settings settings, Reading r) {
        int pgPort = Read.port(vars.get("pg_port")).orElse(5432);
        int restPort = Read.port(vars.get("patroni_port")).orElse(8008);
        if (pgPort == restPort) {
            vars.get("patroni_port").problem("patroni_port and pg_port are both " + pgPort + ": pick another port");
        }
        boolean adminIpSet = settings.adminIp().isPresent();
        Node defaultHba = vars.get("pg_default_hba_rules");
        String dest = ServiceReader.defaultDest(vars.get("pg_default_service_dest"));
        Optional<Vip> vip = VipReader.read(vars, hosts);
        return new ClusterVars(
                UserReader.read(vars.get("pg_users"), r),
                DatabaseReader.read(vars.get("pg_databases"), r),
                HbaRuleReader.read(vars.get("pg_hba_rules"), adminIpSet, r),
                vip,
                ServiceReader.read(vars.get("pg_default_services"), vars.get("pg_services"), dest, pgPort, restPort, r),
                Read.intIn(vars.get("pg_version"), ClusterVars.MIN_PG_VERSION, ClusterVars.MAX_PG_VERSION,
                        "a PostgreSQL major version pgha supports, 13 to 17").orElse(ClusterVars.DEFAULT_PG_VERSION),
                pgPort,
                restPort,
                dataDir(vars.get("pg_data")),
                pgConf(vars.get("pg_conf")),
                patroniMode(vars.get("patroni_mode")),
                rto(vars.get("pg_rto")),
                Read.nonNegativeLong(vars.get("pg_rpo")).orElse(ClusterVars.DEFAULT_RPO),
                namespace(vars.get("pg_namespace")),
                defaultHba.isPresent() ? HbaRuleReader.read(defaultHba, adminIpSet, r) : HbaRules.PGHA_DEFAULTS,
                Read.intIn(vars.get("haproxy_maxconn"), 100, 10_000_000, "HAProxy's maxconn, 100 to 10000000"),
                Read.matching(vars.get("pg_dns_suffix"), s -> s.isEmpty() || SettingsReader.dnsName(s.startsWith(".") ? s.substring(1) : s),
                        "lowercase letters, digits, '-' and '.' appended to the cluster's name, like .db, or ''").orElse(""),
                dnsTarget(vars.get("pg_dns_target"), vip.isPresent()));
    }

    private static DnsTarget dnsTarget(Node n, boolean hasVip) {
        if (!n.isPresent()) {
            return new DnsTarget.Auto();
        }
        Optional<String> s = n.string();
        if (s.isPresent() && s.get().equals("vip") && !hasVip) {
            n.problem("vip needs a VIP: set pg_vip_enabled and pg_vip_address, or use auto, primary, none or an address");
            return new DnsTarget.Auto();
        }
        return Read.choice(n, t -> switch (t) {
            case "auto" -> Optional.of(new DnsTarget.Auto());
            case "primary" -> Optional.of(new DnsTarget.Primary());
            case "vip" -> Optional.of(new DnsTarget.OnVip());
            case "none" -> Optional.of(new DnsTarget.None());
            default -> Addresses.ip(t).map(ip -> new DnsTarget.Fixed(t));
        }, "auto, primary, vip, none or an IP address").orElse(new DnsTarget.Auto());
    }

    private static String dataDir(Node n) {
        return Read.matching(n, s -> s.startsWith("/"), "an absolute path").orElse("/pg/data");
    }

    private static String namespace(Node n) {
        return Read.matching(n, s -> s.matches("/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*"),
                "a DCS key prefix like /pg (a leading /, no trailing /)").orElse("/pg");
    }

    private static PgConf pgConf(Node n) {
        return Read.choice(n, PgConf::ofKey, "oltp, olap, crit or tiny (or oltp.yml …)").orElse(PgConf.OLTP);
    }

    private static PatroniMode patroniMode(Node n) {
        return Read.choice(n, PatroniMode::ofKey, "default, pause or remove").orElse(PatroniMode.DEFAULT);
    }

    /** Pigsty 2.x took seconds (the ttl), later versions a plan name; pgha's plans are fast, norm and safe. */
    private static Rto rto(Node n) {
        if (!n.isPresent()) {
            return Rto.DEFAULT;
        }
        if (Read.whole(n.value()).isPresent()) {
            return Read.intIn(n, 2, 3600, "a ttl of 2 to 3600 seconds").map(Rto::ttl).orElse(Rto.DEFAULT);
        }
        if (n.value() instanceof String s) {
            Optional<RtoPreset> p = RtoPreset.ofKey(s);
            if (p.isPresent()) {
                return Rto.of(p.get());
            }
            if (s.equals("wide")) {
                n.problem("pgha has no wide plan: use safe, or pg_rto: 120 for a 120 s ttl");
                return Rto.DEFAULT;
            }
        }
        n.problem("expected fast, norm, safe or a ttl in seconds, got " + Values.describe(n.value()));
        return Rto.DEFAULT;
    }
}
