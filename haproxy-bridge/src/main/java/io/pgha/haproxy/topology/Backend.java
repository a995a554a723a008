package io.pgha.haproxy.topology;

import io.pgha.haproxy.service.Service;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** One service as HAProxy sees it: the {@code listen} section {@code proxy} and its servers. */
public record Backend(String proxy, Service service, List<Server> servers) {
    public Backend {
        servers = List.copyOf(servers);
    }

    /** A member in this backend; HAProxy names the server after the member. */
    public record Server(MemberEndpoint member, boolean backup) {
        public String name() {
            return member.name();
        }
    }

    public Optional<Server> server(String member) {
        return servers.stream().filter(s -> s.name().equals(member)).findFirst();
    }

    /**
     * Which members each service routes to. Members matched by {@code selector} or {@code backup}
     * become servers; those matched by {@code backup} carry HAProxy's {@code backup} flag, so they
     * take traffic only when no other server is up.
     */
    public static List<Backend> of(String scope, List<Service> services, Topology topology) {
        return services.stream().map(service -> {
            List<Server> servers = topology.members().stream().flatMap(m -> {
                var facts = m.facts(topology.isLeader(m.name()));
                boolean backup = service.backup().map(b -> b.matches(facts)).orElse(false);
                boolean selected = service.selector().matches(facts);
                return selected || backup ? Stream.of(new Server(m, backup)) : Stream.empty();
            }).toList();
            return new Backend(scope + "-" + service.name(), service, servers);
        }).toList();
    }
}
