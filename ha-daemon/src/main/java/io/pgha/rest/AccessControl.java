package io.pgha.rest;

import io.pgha.config.RestApiConfig;
import io.pgha.dcs.model.Cluster;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Guards every unsafe method (POST, PUT, PATCH, DELETE): first the client address against the
 * allowlist (403), then the Basic credentials (401). Reads stay open, as in Patroni, because load
 * balancers and peers must reach them without secrets. Runs before the body is read, so a refused
 * client cannot make us buffer its upload.
 */
final class AccessControl implements Handler<RoutingContext> {
    private static final Logger log = LoggerFactory.getLogger(AccessControl.class);
    static final String CHALLENGE = "Basic realm=\"pgha\"";

    private final Optional<Allowlist> allowlist;
    private final Optional<MemberAddresses> members;
    private final Optional<BasicAuth> auth;

    private AccessControl(Optional<Allowlist> allowlist, Optional<MemberAddresses> members, Optional<BasicAuth> auth) {
        this.allowlist = allowlist;
        this.members = members;
        this.auth = auth;
    }

    /**
     * Resolves host names in the allowlist now (blocking): call it off the event loop.
     * {@code cluster} is the last DCS snapshot, for {@code allowlist_include_members}.
     */
    static AccessControl from(RestApiConfig config, Supplier<Optional<Cluster>> cluster) {
        Optional<Allowlist> list = config.restrictsClients() ? Optional.of(Allowlist.resolve(config.allowlist())) : Optional.empty();
        Optional<MemberAddresses> members = config.allowlistIncludeMembers() ? Optional.of(new MemberAddresses(cluster)) : Optional.empty();
        return new AccessControl(list, members, config.authentication().map(BasicAuth::new));
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        String what = req.method() + " " + req.path();
        String client = req.remoteAddress() == null ? "" : req.remoteAddress().hostAddress();
        if (allowlist.isPresent() && !permitted(client)) {
            String list = members.isPresent() ? "restapi.allowlist nor a member's REST API (allowlist_include_members)" : "restapi.allowlist";
            log.warn("REST refused {} from {}: not in {}", what, client, list);
            Reply.text(403, "forbidden: " + client + " is not in " + list).send(rc);
            return;
        }
        if (auth.isPresent() && !auth.get().accepts(req.getHeader("Authorization"))) {
            log.warn("REST refused {} from {}: missing or wrong credentials", what, client);
            rc.response().putHeader("WWW-Authenticate", CHALLENGE);
            Reply.text(401, "authentication required").send(rc);
            return;
        }
        rc.next();
    }

    private boolean permitted(String client) {
        if (client.isEmpty()) {
            return false; // getByName("") would answer localhost
        }
        try {
            InetAddress address = InetAddress.getByName(client); // an IP literal: no DNS
            return allowlist.orElseThrow().permits(address) || members.filter(m -> m.includes(address)).isPresent();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
