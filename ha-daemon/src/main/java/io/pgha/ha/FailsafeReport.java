package io.pgha.ha;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answers of one {@code POST /failsafe} round. {@code startedNanos} is when the round began,
 * on the monotonic clock, before any request was sent: a member that acknowledged received the
 * request later than that, so its promise not to race (ttl from receipt) outlasts
 * {@code startedNanos + ttl}.
 */
public record FailsafeReport(long startedNanos, Map<String, FailsafeAnswer> answers) {
    public FailsafeReport {
        answers = Collections.unmodifiableMap(new TreeMap<>(answers));
    }
}
