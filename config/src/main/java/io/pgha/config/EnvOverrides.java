package io.pgha.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@code PGHA_*} environment variables to the parsed file before it is read, so secrets can
 * stay out of it (systemd {@code EnvironmentFile=}, credentials). The environment beats the file;
 * an empty variable counts as unset; variables not listed here are ignored, because other tools
 * share the prefix.
 */
final class EnvOverrides {
    private record Binding(String variable, List<String> path) {
    }

    static final String ETCD3_HOSTS = "PGHA_ETCD3_HOSTS";

    private static final List<Binding> BINDINGS = List.of(
            new Binding("PGHA_NAME", List.of("name")),
            new Binding("PGHA_SCOPE", List.of("scope")),
            new Binding("PGHA_NAMESPACE", List.of("namespace")),
            new Binding(ETCD3_HOSTS, List.of("etcd3", "hosts")),
            new Binding("PGHA_ETCD3_USERNAME", List.of("etcd3", "username")),
            new Binding("PGHA_ETCD3_PASSWORD", List.of("etcd3", "password")),
            new Binding("PGHA_RESTAPI_USERNAME", List.of("restapi", "authentication", "username")),
            new Binding("PGHA_RESTAPI_PASSWORD", List.of("restapi", "authentication", "password")),
            new Binding("PGHA_SUPERUSER_USERNAME", List.of("postgresql", "authentication", "superuser", "username")),
            new Binding("PGHA_SUPERUSER_PASSWORD", List.of("postgresql", "authentication", "superuser", "password")),
            new Binding("PGHA_REPLICATION_USERNAME", List.of("postgresql", "authentication", "replication", "username")),
            new Binding("PGHA_REPLICATION_PASSWORD", List.of("postgresql", "authentication", "replication", "password")),
            new Binding("PGHA_REWIND_USERNAME", List.of("postgresql", "authentication", "rewind", "username")),
            new Binding("PGHA_REWIND_PASSWORD", List.of("postgresql", "authentication", "rewind", "password")));

    private EnvOverrides() {
    }

    /**
     * Writes the overrides into {@code root} (a mutable tree) and returns config path → variable for
     * each value applied, so problems with those values can say where they came from.
     * <p>etcd3 credentials alone do not create an {@code etcd3} section: in a Consul setup they would
     * turn a valid file into one with two DCS sections. A value is not applied where the file has a
     * non-mapping in the way; the reader reports that.
     */
    static Map<String, String> apply(Map<String, Object> root, Map<String, String> env) {
        Map<String, String> applied = new LinkedHashMap<>();
        for (Binding b : BINDINGS) {
            String value = env.get(b.variable());
            if (value == null || value.isEmpty()) {
                continue;
            }
            boolean etcdCredential = b.path().get(0).equals("etcd3") && !b.variable().equals(ETCD3_HOSTS);
            if (etcdCredential && !root.containsKey("etcd3")) {
                continue;
            }
            if (set(root, b.path(), value)) {
                applied.put(String.join(".", b.path()), b.variable());
                if (b.variable().equals(ETCD3_HOSTS) && root.get("etcd3") instanceof Map<?, ?> etcd) {
                    etcd.remove("host");
                }
            }
        }
        return applied;
    }

    @SuppressWarnings("unchecked")
    private static boolean set(Map<String, Object> root, List<String> path, String value) {
        Map<String, Object> at = root;
        for (String key : path.subList(0, path.size() - 1)) {
            Object next = at.get(key);
            if (next == null) {
                next = new LinkedHashMap<String, Object>();
                at.put(key, next);
            }
            if (!(next instanceof Map<?, ?>)) {
                return false;
            }
            at = (Map<String, Object>) next;
        }
        at.put(path.get(path.size() - 1), value);
        return true;
    }
}
