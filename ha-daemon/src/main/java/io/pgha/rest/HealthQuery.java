package io.pgha.rest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The query string of a health check, checked before it is used: a malformed {@code ?lag=} is a
 * 400 naming the parameter rather than a filter silently dropped (Patroni ignores it, so a typo
 * makes a lagging replica look fine). Unknown parameters are ignored.
 *
 * @param lag              maximum replay lag in bytes ({@code ?lag=})
 * @param replicationState required replication state ({@code ?replication_state=streaming})
 * @param tags             required tag values ({@code ?tag_<key>=<value>})
 * @param writeMode        readiness measures receive lag instead of replay lag ({@code ?mode=write})
 */
record HealthQuery(OptionalLong lag, Optional<String> replicationState, Map<String, String> tags, boolean writeMode) {
    static final HealthQuery NONE = new HealthQuery(OptionalLong.empty(), Optional.empty(), Map.of(), false);
    private static final String TAG_PREFIX = "tag_";

    HealthQuery {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** Repeated parameters: the first value counts, as with Patroni. */
    static HealthQuery parse(Iterable<Map.Entry<String, String>> params) {
        OptionalLong lag = OptionalLong.empty();
        Optional<String> replicationState = Optional.empty();
        Map<String, String> tags = new LinkedHashMap<>();
        boolean writeMode = false;
        boolean seenLag = false;
        boolean seenState = false;
        boolean seenMode = false;
        for (Map.Entry<String, String> p : params) {
            String key = p.getKey();
            String value = p.getValue() == null ? "" : p.getValue();
            if (key.equals("lag") && !seenLag) {
                seenLag = true;
                lag = ByteSize.parse(value);
                if (lag.isEmpty()) {
                    throw new RestException(400, "lag: expected a byte count like 1048576, 16MB or 1GB, got \"" + value + "\"");
                }
            } else if (key.equals("replication_state") && !seenState) {
                seenState = true;
                replicationState = Optional.of(value);
            } else if (key.equals("mode") && !seenMode) {
                seenMode = true;
                if (!value.equals("apply") && !value.equals("write")) {
                    throw new RestException(400, "mode: expected apply or write, got \"" + value + "\"");
                }
                writeMode = value.equals("write");
            } else if (key.startsWith(TAG_PREFIX)) {
                String tag = key.substring(TAG_PREFIX.length());
                if (tag.isEmpty()) {
                    throw new RestException(400, "tag_: expected tag_<name>=<value>, the tag name is missing");
                }
                tags.putIfAbsent(tag, value);
            }
        }
        return new HealthQuery(lag, replicationState, tags, writeMode);
    }
}
