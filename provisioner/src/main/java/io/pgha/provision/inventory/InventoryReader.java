package io.pgha.provision.inventory;

import io.pgha.config.ConfigException;
import io.pgha.config.Node;
import io.pgha.config.YamlSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Pigsty-shaped inventory: {@code all.vars} and the groups under {@code all.children}, the
 * {@code etcd} group as the DCS and each group with {@code pg_cluster} as a PostgreSQL cluster. Other
 * groups (infra, minio, redis …) belong to Pigsty modules pgha does not provision and are ignored.
 * Nothing is returned unless the whole file is valid; otherwise every problem is thrown at once.
 */
public final class InventoryReader {
    private static final List<String> GROUP_KEYS = List.of("hosts", "vars");

    private InventoryReader() {
    }

    public static Inventory read(Path file) {
        String text;
        try {
            text = YamlSource.readText(file);
        } catch (ConfigException e) {
            throw converted(e);
        }
        return parse(text, file.toString());
    }

    public static Inventory parse(String yaml, String sourceName) {
        Object root;
        try {
            root = YamlSource.parse(yaml, sourceName);
        } catch (ConfigException e) {
            throw converted(e);
        }
        Reading r = new Reading();
        Optional<Inventory> inventory = read(Node.root(root, "", r.problems), r);
        List<InventoryProblem> problems = r.found();
        if (!problems.isEmpty() || inventory.isEmpty()) {
            throw new InventoryException(problems.isEmpty()
                    ? List.of(new InventoryProblem(YamlSource.FILE, "not an inventory")) : problems);
        }
        return inventory.get();
    }

    private static Optional<Inventory> read(Node top, Reading r) {
        if (!top.isPresent()) {
            r.problem(YamlSource.FILE, "the inventory is empty: expected all: {vars: …, children: {etcd: …, pg-test: …}}");
            return Optional.empty();
        }
        if (!top.mapping()) {
            return Optional.empty();
        }
        for (String key : top.keys()) {
            if (!key.equals("all")) {
                top.get(key).problem("expected only all at the top, as in Pigsty's inventory: move this group under all.children");
            }
        }
        Node all = top.get("all").required("the inventory's root group");
        if (!all.mapping()) {
            return Optional.empty();
        }
        for (String key : all.keys()) {
            if (key.equals("hosts")) {
                all.get(key).problem("hosts directly under all belong to no cluster: put them in a group under all.children");
            } else if (!key.equals("children") && !key.equals("vars")) {
                all.get(key).problem("unknown key: all holds children and vars");
            }
        }
        Node allVars = all.get("vars");
        r.checkVars(allVars, Where.ALL_VARS);
        Node children = all.get("children").required("the groups: etcd and the PostgreSQL clusters");
        if (!children.mapping()) {
            return Optional.empty();
        }
        Node etcdGroup = children.get(EtcdReader.GROUP);
        Settings settings = SettingsReader.read(allVars, etcdGroup.get("vars"));
        List<EtcdMember> etcd = List.of();
        if (etcdGroup.isPresent() && groupShape(etcdGroup)) {
            etcd = EtcdReader.read(etcdGroup, r);
        }
        Node infraGroup = children.get(InfraReader.GROUP);
        List<InfraNode> infra = infraGroup.isPresent() && groupShape(infraGroup) ? InfraReader.read(infraGroup, r) : List.of();
        Map<String, PgCluster> clusters = clusters(children, allVars, settings, r);
        VipConflicts.check(clusters, etcd, children, allVars);
        if (!clusters.isEmpty() && !etcdGroup.isPresent()) {
            children.problem("no etcd group: pgha keeps its cluster state in etcd; add etcd: {hosts: {10.10.10.10: {etcd_seq: 1}}}");
        }
        if (clusters.isEmpty() && !etcdGroup.isPresent()) {
            children.problem("neither an etcd group nor a group with pg_cluster: nothing for pgha to provision");
        }
        return Optional.of(new Inventory(etcd, clusters, infra, settings, r.ignored()));
    }

    private static Map<String, PgCluster> clusters(Node children, Node allVars, Settings settings, Reading r) {
        Map<String, PgCluster> clusters = new LinkedHashMap<>();
        Map<String, String> memberOf = new LinkedHashMap<>();
        for (var e : children.entries().entrySet()) {
            String name = e.getKey();
            Node group = e.getValue();
            if (name.equals(EtcdReader.GROUP) || name.equals(InfraReader.GROUP) || !groupShape(group)) {
                continue;
            }
            Node vars = group.get("vars");
            if (vars.get("pg_cluster").isPresent()) {
                r.checkVars(vars, Where.PG_VARS);
                Optional<PgCluster> cluster = ClusterReader.read(name, group, allVars, settings, memberOf, r);
                cluster.ifPresent(c -> {
                    References.check(Scope.of(vars, allVars), c.vars(), settings);
                    clusters.put(c.name(), c);
                });
            } else if (hasMemberKeys(group)) {
                vars.get("pg_cluster").problem("required: this group's hosts have pg_seq or pg_role; set pg_cluster: " + name);
            } else {
                ignoreGroup(name, group, r);
            }
        }
        return clusters;
    }

    /** A group is a mapping of hosts and vars; nested groups would hide hosts from the cluster they belong to. */
    private static boolean groupShape(Node group) {
        if (!group.mapping()) {
            return false;
        }
        for (String key : group.keys()) {
            if (key.equals("children")) {
                group.get(key).problem("nested groups are not supported by pgha: list the hosts in this group");
            } else if (!GROUP_KEYS.contains(key)) {
                group.get(key).problem("unknown key: a group holds hosts and vars");
            }
        }
        Node vars = group.get("vars");
        return group.get("hosts").mapping() && vars.mapping();
    }

    private static boolean hasMemberKeys(Node group) {
        return group.get("hosts").entries().values().stream()
                .anyMatch(h -> h.get("pg_seq").isPresent() || h.get("pg_role").isPresent());
    }

    /** A group of another Pigsty module: it and every key in it are listed as ignored. */
    private static void ignoreGroup(String name, Node group, Reading r) {
        r.ignore("all.children." + name);
        group.get("vars").keys().forEach(k -> ignoreIfUnimplemented(k, r));
        group.get("hosts").entries().values().forEach(h -> h.keys().forEach(k -> ignoreIfUnimplemented(k, r)));
    }

    private static void ignoreIfUnimplemented(String key, Reading r) {
        if (!ImplementedKeys.KEYS.containsKey(key)) {
            r.ignore(key);
        }
    }

    private static InventoryException converted(ConfigException e) {
        return new InventoryException(e.problems().stream().map(p -> new InventoryProblem(p.path(), p.message())).toList());
    }
}
