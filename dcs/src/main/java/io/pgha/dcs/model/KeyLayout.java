package io.pgha.dcs.model;

import io.pgha.config.Namespace;
import io.pgha.config.PghaConfig;

import java.util.Optional;

/**
 * Patroni's key layout: everything of one cluster lives under {@code /<namespace>/<scope>/}, so
 * patronictl, vip-manager and confd templates written for Patroni read a pgha cluster unchanged.
 */
public record KeyLayout(String namespace, String scope) {
    public static final String DEFAULT_NAMESPACE = Namespace.DEFAULT;

    public KeyLayout {
        namespace = Namespace.normalize(namespace);
        if (scope == null || scope.isBlank() || scope.contains("/")) {
            throw new IllegalArgumentException("scope must be a non-empty name without '/', got '" + scope + "'");
        }
    }

    /** Where the cluster of this config keeps its keys. */
    public static KeyLayout of(PghaConfig config) {
        return new KeyLayout(config.namespace(), config.scope());
    }

    /** {@code /service/demo/} — with the trailing slash, so a prefix read never matches {@code demo2}. */
    public String prefix() {
        return (namespace.equals("/") ? "" : namespace) + "/" + scope + "/";
    }

    public String key(ClusterKey key) {
        return prefix() + key.path();
    }

    public String leader() {
        return prefix() + "leader";
    }

    public String membersPrefix() {
        return prefix() + "members/";
    }

    public String member(String name) {
        if (name == null || name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("member name must be non-empty without '/', got '" + name + "'");
        }
        return membersPrefix() + name;
    }

    /** What a full key under this cluster's prefix stands for; empty for keys outside it. */
    public Optional<KeyRef> classify(String fullKey) {
        if (!fullKey.startsWith(prefix())) {
            return Optional.empty();
        }
        String rest = fullKey.substring(prefix().length());
        if (rest.equals("leader")) {
            return Optional.of(new KeyRef.LeaderKey());
        }
        if (rest.startsWith("members/") && rest.length() > "members/".length()) {
            return Optional.of(new KeyRef.MemberKey(rest.substring("members/".length())));
        }
        for (ClusterKey key : ClusterKey.values()) {
            if (key.path().equals(rest)) {
                return Optional.of(new KeyRef.Shared(key));
            }
        }
        return Optional.of(new KeyRef.Other(rest));
    }

    /** The kinds of key under a cluster prefix. */
    public sealed interface KeyRef {
        record LeaderKey() implements KeyRef {
        }

        record MemberKey(String name) implements KeyRef {
        }

        record Shared(ClusterKey key) implements KeyRef {
        }

        /** A key we do not model (e.g. Citus groups); kept out of the snapshot but not an error. */
        record Other(String path) implements KeyRef {
        }
    }
}
