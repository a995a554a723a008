package io.pgha.haproxy.service;

import java.util.Map;

/** What a selector may look at: whether the member leads, and its tags as published in the DCS. */
public record MemberFacts(String name, boolean leader, Map<String, Object> tags) {
    public MemberFacts {
        tags = Map.copyOf(tags);
    }

    /** Patroni's truthiness for tags: {@code true} or the string {@code "true"} in any case. */
    public boolean tagIsTrue(String tag) {
        Object v = tags.get(tag);
        return Boolean.TRUE.equals(v) || (v instanceof String s && s.equalsIgnoreCase("true"));
    }
}
