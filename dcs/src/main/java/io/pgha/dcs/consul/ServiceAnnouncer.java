package io.pgha.dcs.consul;

import io.pgha.dcs.DcsException;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.MemberData;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code register_service}, as Patroni's Consul backend does it on every member-key update: the
 * member is a service of the local agent named after the scope, tagged with its role (plus
 * {@code service_tags}), at PostgreSQL's address, with an HTTP check on the REST API's path for
 * that role — so {@code primary.<scope>.service.consul} resolves to the primary. A member that is
 * not running, or in a role without such a path, is deregistered. Agent API:
 * https://developer.hashicorp.com/consul/api-docs/agent/service. Registration is best effort: a
 * failure is logged and retried with the next publish, never fails the publish.
 */
final class ServiceAnnouncer {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAnnouncer.class);
    private static final List<String> ROLES = List.of("primary", "master", "replica", "standby-leader");

    private final ConsulHttp http;
    private final KeyLayout layout;
    private final String member;
    private final ConsulSettings.ServiceRegistration how;
    private Optional<JsonObject> registered = Optional.empty();

    ServiceAnnouncer(ConsulHttp http, KeyLayout layout, String member, ConsulSettings.ServiceRegistration how) {
        this.http = http;
        this.layout = layout;
        this.member = member;
        this.how = how;
    }

    String serviceId() {
        return layout.scope() + "/" + member;
    }

    /** What the agent should know of this member now; empty when it should not be registered. */
    Optional<JsonObject> definition(MemberData data) {
        String role = data.role().replace('_', '-');
        if (!"running".equals(data.state()) || !ROLES.contains(role)) {
            return Optional.empty();
        }
        URI api = URI.create(data.apiUrl());
        URI conn = URI.create(data.connUrl());
        List<String> tags = new ArrayList<>();
        tags.add(role);
        tags.addAll(how.tags());
        JsonObject check = new JsonObject()
                .put("HTTP", api.getScheme() + "://" + api.getRawAuthority() + "/" + role)
                .put("Interval", how.checkInterval().toMillis() + "ms")
                .put("DeregisterCriticalServiceAfter", "150s");
        return Optional.of(new JsonObject().put("ID", serviceId()).put("Name", layout.scope())
                .put("Tags", new JsonArray(tags)).put("Address", conn.getHost()).put("Port", conn.getPort())
                .put("Check", check));
    }

    /** On leaving: the agent should not keep offering a member that is gone. */
    void withdraw() {
        if (registered.isEmpty()) {
            return;
        }
        try {
            http.call("deregister service " + serviceId(), HttpMethod.PUT, "/v1/agent/service/deregister/" + serviceId(), Map.of(), null);
            registered = Optional.empty();
        } catch (DcsException e) {
            LOG.warn("service {} not deregistered at the consul agent ({}); its check will fail", serviceId(), e.getMessage());
        }
    }

    void announce(MemberData data) {
        Optional<JsonObject> wanted = definition(data);
        if (wanted.equals(registered)) {
            return;
        }
        try {
            if (wanted.isPresent()) {
                ConsulHttp.Answer a = http.call("register service " + serviceId(), HttpMethod.PUT, "/v1/agent/service/register",
                        Map.of(), Buffer.buffer(wanted.get().encode()));
                if (!a.ok()) {
                    LOG.warn("consul agent refused to register service {} ({} {}); retrying with the next publish",
                            serviceId(), a.status(), a.text());
                    return;
                }
                LOG.info("registered service {} with tags {} at the consul agent", serviceId(), wanted.get().getJsonArray("Tags"));
            } else if (registered.isPresent()) {
                http.call("deregister service " + serviceId(), HttpMethod.PUT, "/v1/agent/service/deregister/" + serviceId(), Map.of(), null);
                LOG.info("deregistered service {} at the consul agent: member is {} as {}", serviceId(), data.state(), data.role());
            }
            registered = wanted;
        } catch (DcsException e) {
            LOG.warn("service {} not updated at the consul agent ({}); retrying with the next publish", serviceId(), e.getMessage());
        }
    }
}
