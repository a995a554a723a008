package io.pgha.vip;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the VIP manager knows from the DCS: the leader named by the last answer, whether the DCS is
 * answering now, and when it last confirmed this node as leader — the moment the grace of the
 * DCS-loss policy counts from. Immutable; each answer or failure yields the next view. Times are
 * monotonic nanos.
 */
public record DcsView(
        long startedAt,
        boolean everAnswered,
        Optional<String> leader,
        boolean reachable,
        OptionalLong confirmedSelfAt,
        OptionalLong unreachableSince,
        String lastError) {

    public static DcsView initial(long startedAt) {
        return new DcsView(startedAt, false, Optional.empty(), false, OptionalLong.empty(), OptionalLong.empty(), "not asked yet");
    }

    /**
     * The DCS answered: {@code leader} is the leader key's value then (empty: no key). {@code askedAt}
     * is when the question was sent, the conservative end of the window the answer describes.
     */
    public DcsView answered(Optional<String> leader, String member, long askedAt) {
        boolean self = leader.filter(member::equals).isPresent();
        OptionalLong confirmed = self
                ? OptionalLong.of(Math.max(askedAt, confirmedSelfAt.orElse(Long.MIN_VALUE)))
                : OptionalLong.empty();
        return new DcsView(startedAt, true, leader, true, confirmed, OptionalLong.empty(), "");
    }

    /** A question went unanswered; the last leader seen and its confirmation time are kept. */
    public DcsView failed(String error, long at) {
        return new DcsView(startedAt, everAnswered, leader, false, confirmedSelfAt, OptionalLong.of(unreachableSince.orElse(at)), error);
    }
}
