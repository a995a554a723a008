package io.pgha.rest;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Member;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code restapi.allowlist_include_members}: the addresses of the members' REST APIs, from the
 * {@code api_url} of each member key in the last DCS snapshot. An address in the URL is used as it
 * is; a host name is resolved on a thread of its own when first seen, never on the event loop, and
 * its member is admitted once that answer is in (a lookup that fails is retried at the next sight).
 */
final class MemberAddresses {
    private static final Logger log = LoggerFactory.getLogger(MemberAddresses.class);

    private final Supplier<Optional<Cluster>> cluster;
    private final Map<String, List<InetAddress>> resolved = new ConcurrentHashMap<>();
    private final Map<String, Boolean> pending = new ConcurrentHashMap<>();
    private final ExecutorService resolver = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rest-member-dns");
        t.setDaemon(true);
        return t;
    });

    MemberAddresses(Supplier<Optional<Cluster>> cluster) {
        this.cluster = cluster;
    }

    /** Whether {@code client} is the address of a member's REST API; does no blocking I/O. */
    boolean includes(InetAddress client) {
        for (Member m : cluster.get().map(c -> c.members().values()).orElse(List.of())) {
            Optional<String> host = host(m.data().apiUrl());
            if (host.isPresent() && addresses(host.get()).contains(client)) {
                return true;
            }
        }
        return false;
    }

    private List<InetAddress> addresses(String host) {
        if (Allowlist.isLiteral(host)) {
            try {
                return List.of(InetAddress.getByName(host)); // a literal: no DNS lookup
            } catch (UnknownHostException e) {
                return List.of();
            }
        }
        List<InetAddress> known = resolved.get(host);
        if (known != null) {
            return known;
        }
        if (pending.putIfAbsent(host, Boolean.TRUE) == null) {
            resolver.execute(() -> {
                try {
                    resolved.put(host, List.of(InetAddress.getAllByName(host)));
                } catch (UnknownHostException e) {
                    log.warn("restapi.allowlist_include_members: cannot resolve member host {}: {}", host, e.getMessage());
                } finally {
                    pending.remove(host);
                }
            });
        }
        return List.of();
    }

    private static Optional<String> host(String apiUrl) {
        try {
            String h = URI.create(apiUrl).getHost();
            if (h == null || h.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(h.startsWith("[") ? h.substring(1, h.length() - 1) : h);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
