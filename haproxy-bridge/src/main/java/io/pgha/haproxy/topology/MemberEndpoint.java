package io.pgha.haproxy.topology;

import io.pgha.dcs.model.Member;
import io.pgha.haproxy.config.HaproxySettingsReader;
import io.pgha.haproxy.service.MemberFacts;

import java.net.URI;
import java.util.Map;

/**
 * Where HAProxy reaches one member: PostgreSQL from its {@code conn_url}, the REST API it checks from
 * its {@code api_url}, both as published in the member key.
 */
public record MemberEndpoint(String name, String host, int postgresPort, String restHost, int restPort, boolean restTls,
                             Map<String, Object> tags) {
    public MemberEndpoint {
        tags = Map.copyOf(tags);
    }

    /** A member key HAProxy can use, or why it cannot (logged by the caller, the member is left out). */
    public sealed interface Parsed {
        record Usable(MemberEndpoint endpoint) implements Parsed {
        }

        record Unusable(String member, String reason) implements Parsed {
        }
    }

    public static Parsed of(Member m) {
        if (!HaproxySettingsReader.HAPROXY_NAME.matcher(m.name()).matches()) {
            return new Parsed.Unusable(m.name(), "its name cannot be an HAProxy server name (letters, digits, '-', '_', '.', ':')");
        }
        URI conn;
        URI api;
        try {
            conn = URI.create(m.data().connUrl());
            api = URI.create(m.data().apiUrl());
        } catch (IllegalArgumentException e) {
            return new Parsed.Unusable(m.name(), "conn_url or api_url is not a URL (" + e.getMessage() + ")");
        }
        if (conn.getHost() == null || api.getHost() == null) {
            return new Parsed.Unusable(m.name(), "conn_url \"" + m.data().connUrl() + "\" or api_url \"" + m.data().apiUrl() + "\" has no host");
        }
        boolean tls = "https".equalsIgnoreCase(api.getScheme());
        int pgPort = conn.getPort() > 0 ? conn.getPort() : 5432;
        int restPort = api.getPort() > 0 ? api.getPort() : tls ? 443 : 80;
        return new Parsed.Usable(new MemberEndpoint(m.name(), unbracket(conn.getHost()), pgPort, unbracket(api.getHost()), restPort, tls,
                m.data().tags()));
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    public MemberFacts facts(boolean leader) {
        return new MemberFacts(name, leader, tags);
    }
}
