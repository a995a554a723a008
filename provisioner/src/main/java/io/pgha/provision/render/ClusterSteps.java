package io.pgha.provision.render;

import io.pgha.config.HostPort;
import io.pgha.provision.apply.Step;
import io.pgha.provision.inventory.EtcdMember;
import io.pgha.provision.inventory.Inventory;
import io.pgha.provision.inventory.PgCluster;
import io.pgha.provision.inventory.PgHost;
import io.pgha.provision.inventory.PgRole;
import io.pgha.provision.plan.DesiredDirectory;
import io.pgha.provision.plan.DesiredFile;
import io.pgha.provision.plan.HostDesired;
import io.pgha.provision.plan.Redaction;
import io.pgha.provision.transport.Shell;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The inventory as apply's steps, in the order a cluster can come up: the DCS members (together:
 * a new etcd cluster needs its quorum), then per cluster the primary, the replicas in parallel,
 * the VIP and HAProxy bridge on every member, and users and databases on the primary; then the
 * monitoring targets on the infra nodes and the DNS records in etcd.
 * {@code limit} keeps the hosts of one cluster or one host (`-l`); the DCS step always stays
 * when a kept cluster needs it.
 */
public final class ClusterSteps {
    static final String PGHA_YML = "/etc/pgha/pgha.yml";
    static final String PGHA_ENV = "/etc/pgha/pgha.env";
    static final String VIP_YML = "/etc/pgha/vip.yml";
    static final String ETCD_DEFAULTS = "/etc/default/etcd";
    private static final String CURL = "curl -fsS -o /dev/null --max-time 3 ";

    private final Inventory inv;
    private final String inventoryName;
    private final String pghaPackage;
    private final Duration health;

    /**
     * @param pghaPackage "pgha" (any version from the host's repositories) or "pgha=&lt;version&gt;"
     *                    (the version of the package file apply installs)
     */
    public ClusterSteps(Inventory inv, String inventoryName, String pghaPackage, Duration health) {
        this.inv = inv;
        this.inventoryName = inventoryName;
        this.pghaPackage = pghaPackage;
        this.health = health;
    }

    public List<Step> steps(Optional<String> limit) {
        List<Step> steps = new ArrayList<>();
        Predicate<PgCluster> keepCluster = c -> limit.isEmpty() || limit.get().equals(c.name()) || c.host(limit.get()).isPresent();
        boolean anyCluster = inv.clusters().values().stream().anyMatch(keepCluster);
        boolean etcdKept = limit.isEmpty() || anyCluster || inv.etcdMemberOn(limit.get()).isPresent()
                || limit.get().equals(inv.settings().etcdCluster());
        if (etcdKept && !inv.etcd().isEmpty()) {
            steps.add(new Step.HostStep("dcs", inv.etcd().stream().map(this::etcdHost).toList(), true,
                    inv.etcd().stream().map(m -> new Step.HealthCheck(m.address(), "etcd " + m.name() + " healthy",
                            CURL + etcdUrl(m) + "/health", health)).toList()));
        }
        Map<PgCluster, List<PgHost>> kept = new LinkedHashMap<>();
        for (PgCluster c : inv.clusters().values()) {
            if (!keepCluster.test(c)) {
                continue;
            }
            Predicate<PgHost> keepHost = h -> limit.isEmpty() || limit.get().equals(c.name()) || limit.get().equals(h.address());
            PgHost primary = c.primary();
            if (keepHost.test(primary)) {
                steps.add(new Step.HostStep(c.name() + " primary", List.of(pgHost(c, primary)), false,
                        List.of(c.standbyOf().isPresent() ? rest(c, primary, "/standby-leader", "is the standby leader, following "
                                + c.standbyOf().get()) : rest(c, primary, "/primary", "is the primary"))));
            }
            List<PgHost> replicas = c.hosts().stream().filter(h -> h != primary && keepHost.test(h)).toList();
            if (!replicas.isEmpty()) {
                steps.add(new Step.HostStep(c.name() + " replicas", replicas.stream().map(h -> pgHost(c, h)).toList(), true,
                        replicas.stream().map(h -> rest(c, h, "/replica", "streams from the primary")).toList()));
            }
            List<PgHost> members = c.hosts().stream().filter(keepHost).toList();
            kept.put(c, members);
            steps.add(new Step.HostStep(c.name() + " vip and haproxy", members.stream().map(h -> edge(c, h)).toList(), true,
                    edgeChecks(c, members)));
            if (c.standbyOf().isEmpty()) {
                // A standby cluster is read-only: its users and databases are the remote primary's, replicated.
                Redaction redaction = new Redaction(SqlPlan.secrets(c, inv.settings()));
                SqlPlan sql = new SqlPlan(c, inv.settings(), primary.address(), redaction);
                steps.add(new Step.QueryStep(c.name() + " users and databases", primary.address(), sql.query(),
                        out -> sql.plan(DbState.parse(out)), List.of()));
            }
        }
        registration(kept, steps);
        return steps;
    }

    /**
     * Last, what lets others find the clusters: the members' monitoring targets on every infra node,
     * and each cluster's DNS records in etcd (written through the first etcd member's own etcdctl).
     */
    private void registration(Map<PgCluster, List<PgHost>> kept, List<Step> steps) {
        if (kept.isEmpty()) {
            return;
        }
        if (!inv.infra().isEmpty()) {
            steps.add(new Step.HostStep("monitoring targets", inv.infra().stream()
                    .map(n -> PrometheusTargets.on(n, inv, kept, inventoryName)).toList(), true, List.of()));
        }
        if (!inv.etcd().isEmpty()) {
            EtcdMember e = inv.etcd().get(0);
            for (PgCluster c : kept.keySet()) {
                DnsRecords dns = new DnsRecords(c, inv.settings(), etcdUrl(e));
                steps.add(new Step.QueryStep(c.name() + " dns records", e.address(), dns.query(), out -> dns.plan(e.address(), out),
                        List.of()));
            }
        }
    }

    private String etcdUrl(EtcdMember m) {
        return etcdUrl(m, inv.settings().etcdPort());
    }

    static String etcdUrl(EtcdMember m, int port) {
        return "http://" + new HostPort(m.address(), port);
    }

    private HostDesired etcdHost(EtcdMember m) {
        // pgha on a DCS-only node too: where systemd is not PID 1, `pgha unit` is what starts etcd.
        return new HostDesired(m.address(), List.of(m.name()), List.of(pghaPackage, "etcd-server", "etcd-client"), List.of(),
                List.of(DesiredFile.rootOwned(ETCD_DEFAULTS, EtcdDefaults.render(inv, m, inventoryName), "0644")),
                List.of("etcd.service"), Map.of(), List.of());
    }

    private HostDesired pgHost(PgCluster c, PgHost h) {
        String data = c.vars().dataDir();
        String parent = Optional.ofNullable(Path.of(data).getParent()).map(Path::toString).orElse("/");
        List<DesiredDirectory> dirs = List.of(
                new DesiredDirectory("/etc/pgha", "0750", "root", inv.settings().dbsu()),
                new DesiredDirectory(parent, "0750", inv.settings().dbsu(), inv.settings().dbsu()),
                new DesiredDirectory("/run/postgresql", "2775", inv.settings().dbsu(), inv.settings().dbsu()));
        List<DesiredFile> files = List.of(
                new DesiredFile(PGHA_YML, PghaYaml.render(inv, c, h, inventoryName), "0640", "root", inv.settings().dbsu()),
                new DesiredFile(PGHA_ENV, PghaEnv.render(inv.settings(), inventoryName), "0640", "root", inv.settings().dbsu()));
        return new HostDesired(h.address(), List.of(h.memberName(c.name()) + " (" + h.role().name().toLowerCase() + ")"),
                List.of(pghaPackage, "postgresql-" + c.vars().pgVersion(), "haproxy"), dirs, files, List.of("pgha.service"),
                Map.of("pgha.service", Set.of(PGHA_YML, PGHA_ENV)), SqlPlan.secrets(c, inv.settings()));
    }

    private HostDesired edge(PgCluster c, PgHost h) {
        List<DesiredFile> files = new ArrayList<>();
        List<String> units = new ArrayList<>();
        c.vars().vip().ifPresent(v -> {
            files.add(new DesiredFile(VIP_YML, VipYaml.render(inv, c, h, v, inventoryName), "0640", "root", inv.settings().dbsu()));
            units.add("pgha-vip.service");
        });
        // The bridge first: it renders haproxy.cfg, which the distribution's haproxy.service then serves.
        units.add("pgha-haproxy.service");
        units.add("haproxy.service");
        return new HostDesired(h.address(), List.of(h.memberName(c.name())), List.of(), List.of(), files, units,
                Map.of("pgha-vip.service", Set.of(VIP_YML), "pgha-haproxy.service", Set.of(PGHA_YML)), SqlPlan.secrets(c, inv.settings()));
    }

    private List<Step.HealthCheck> edgeChecks(PgCluster c, List<PgHost> members) {
        List<Step.HealthCheck> checks = new ArrayList<>();
        PgHost primary = c.primary();
        c.vars().vip().filter(v -> members.contains(primary)).ifPresent(v -> checks.add(new Step.HealthCheck(primary.address(),
                "VIP " + v.address() + " on " + primary.memberName(c.name()),
                "ip -o addr show dev " + Shell.quote(v.interfaceName()) + " | grep -qF " + Shell.quote(" " + v.cidr() + " "), health)));
        for (PgHost h : c.standbyOf().isPresent() ? List.<PgHost>of() : members) { // a standby cluster serves no primary service
            c.vars().services().stream().filter(s -> s.name().equals("primary")).findFirst().ifPresent(s ->
                    checks.add(new Step.HealthCheck(h.address(), "HAProxy serves " + s.name() + " on :" + s.port(),
                            "timeout 3 bash -c '</dev/tcp/127.0.0.1/" + s.port() + "'", health)));
        }
        return checks;
    }

    private Step.HealthCheck rest(PgCluster c, PgHost h, String path, String what) {
        return new Step.HealthCheck(h.address(), h.memberName(c.name()) + " " + what,
                CURL + "http://" + h.address() + ":" + c.vars().restPort() + path, health);
    }

    /** PgRole spelled as in the inventory. */
    static String role(PgRole r) {
        return r.name().toLowerCase();
    }
}
