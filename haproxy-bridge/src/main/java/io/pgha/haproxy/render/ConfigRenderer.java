package io.pgha.haproxy.render;

import io.pgha.config.HaproxyCheckTiming;
import io.pgha.haproxy.config.HaproxySettings;
import io.pgha.haproxy.topology.Backend;
import io.pgha.haproxy.topology.MemberEndpoint;
import io.pgha.haproxy.topology.Topology;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a complete haproxy.cfg for one node, in the shape of Pigsty's template: every service is a
 * TCP {@code listen} section that health-checks each member with {@code OPTIONS <path>} on its REST
 * port, and kills the sessions of a server marked down (connection-level fencing). Pure: the same
 * input gives the same text, so "did the config change" is a string comparison.
 */
public final class ConfigRenderer {
    /** Pigsty's per-server limits and weight, kept so behaviour under load matches what users know. */
    private static final String SERVER_LIMITS = "maxconn 3000 maxqueue 128 weight 100";
    private static final int DEFAULT_WEIGHT = 100;

    private ConfigRenderer() {
    }

    public static String render(HaproxySettings settings, String scope, String node, Topology topology) {
        List<Backend> backends = Backend.of(scope, settings.services(), topology);
        StringBuilder b = new StringBuilder();
        b.append("# haproxy.cfg of ").append(node).append(" in cluster ").append(scope)
                .append(", rendered by `pgha haproxy`: edits here are overwritten.\n");
        b.append("# members: ").append(topology.members().isEmpty() ? "none" : topology.members().stream()
                .map(m -> m.name() + (topology.isLeader(m.name()) ? " (leader)" : "")).collect(Collectors.joining(", "))).append('\n');
        b.append('\n');
        global(b, settings);
        defaults(b);
        stats(b, settings, node);
        for (Backend backend : backends) {
            listen(b, settings, backend, topology.timing());
        }
        return b.toString();
    }

    private static void global(StringBuilder b, HaproxySettings s) {
        b.append("global\n");
        line(b, "maxconn " + s.maxconn());
        // level admin: the bridge sets server states; expose-fd listeners: a reload hands the
        // listening sockets to the new worker, so no connection is refused while it starts.
        line(b, "stats socket " + s.runtimeSocket() + " mode 600 level admin expose-fd listeners");
        line(b, "stats timeout 10s");
        // The bridge saves server states here before a reload and the new worker starts from them,
        // so a fenced server stays fenced across the reload.
        line(b, "server-state-file " + s.stateFile());
        b.append('\n');
    }

    private static void defaults(StringBuilder b) {
        b.append("defaults\n");
        line(b, "mode tcp");
        line(b, "retries 3");
        line(b, "timeout queue 3s");
        line(b, "timeout connect 3s");
        line(b, "timeout check 3s");
        line(b, "timeout client 24h");
        line(b, "timeout server 24h");
        line(b, "load-server-state-from-file global");
        b.append('\n');
    }

    private static void stats(StringBuilder b, HaproxySettings s, String node) {
        b.append("listen stats\n");
        line(b, "bind " + s.statsListen());
        line(b, "mode http");
        line(b, "stats enable");
        line(b, "stats uri /" + node + "/");
        line(b, "stats refresh 30s");
        line(b, "http-request use-service prometheus-exporter if { path /metrics }");
        b.append('\n');
    }

    private static void listen(StringBuilder b, HaproxySettings s, Backend backend, HaproxyCheckTiming t) {
        var service = backend.service();
        b.append("listen ").append(backend.proxy()).append('\n');
        line(b, "bind " + service.bindAddress().orElse(s.bind()) + ":" + service.port());
        line(b, "mode tcp");
        line(b, "maxconn " + service.maxconn());
        line(b, "balance " + service.balance());
        line(b, "option httpchk");
        line(b, "option http-keep-alive");
        line(b, "http-check send meth OPTIONS uri " + service.check());
        line(b, "http-check expect status 200");
        line(b, "default-server inter " + duration(t.inter()) + " fastinter " + duration(t.fastinter()) + " downinter "
                + duration(t.downinter()) + " rise " + t.rise() + " fall " + t.fall() + " on-marked-down shutdown-sessions"
                + (s.slowstart().isZero() ? "" : " slowstart " + duration(s.slowstart())) + " " + SERVER_LIMITS);
        service.options().forEach(o -> line(b, o));
        for (Backend.Server server : backend.servers()) {
            MemberEndpoint m = server.member();
            int port = service.destination().port(m.postgresPort());
            StringBuilder l = new StringBuilder("server ").append(m.name()).append(' ').append(address(m.host())).append(':').append(port)
                    .append(" check");
            if (!m.restHost().equals(m.host())) {
                l.append(" addr ").append(m.restHost());
            }
            l.append(" port ").append(m.restPort());
            if (m.restTls()) {
                l.append(checkSsl(s, m));
            }
            l.append(" weight ").append(weight(m));
            if (server.backup()) {
                l.append(" backup");
            }
            line(b, l.toString());
        }
        b.append('\n');
    }

    /**
     * With {@code check_ca_file} HAProxy verifies the REST API's certificate, and with
     * {@code check_crt} shows its own (for {@code restapi.verify_client}); without, the check still
     * runs over TLS but trusts any certificate, as before. With {@code check_verifyhost} the
     * certificate must also name that host (or, for {@code member}, the member's REST host).
     */
    private static String checkSsl(HaproxySettings s, MemberEndpoint m) {
        if (s.checkCaFile().isEmpty()) {
            return " check-ssl verify none";
        }
        return " check-ssl verify required ca-file " + s.checkCaFile().get() + s.checkCrt().map(c -> " crt " + c).orElse("")
                + s.checkVerifyHost().map(h -> " verifyhost " + (h.equals(HaproxySettings.VERIFY_MEMBER_HOST) ? m.restHost() : h)).orElse("");
    }

    /** Pigsty's {@code pg_weight} as a member tag {@code weight} (0–256), else 100. */
    public static int weight(MemberEndpoint m) {
        Object w = m.tags().get("weight");
        if (w instanceof Number n && n.intValue() >= 0 && n.intValue() <= 256 && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        return DEFAULT_WEIGHT;
    }

    private static String address(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** HAProxy time: whole seconds as {@code 3s}, anything finer in milliseconds. */
    public static String duration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static void line(StringBuilder b, String text) {
        b.append("    ").append(text).append('\n');
    }
}
