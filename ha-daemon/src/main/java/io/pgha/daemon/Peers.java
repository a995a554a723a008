package io.pgha.daemon;

import io.pgha.ha.FailsafeAnswer;
import io.pgha.ha.PeerStatus;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Talks to other members over REST, in parallel, within one overall timeout. */
public interface Peers {
    /** During a leader race: how each member is ({@code GET <api_url>}). */
    Map<String, PeerStatus> ask(Map<String, String> memberToApiUrl, Duration timeout);

    /**
     * Failsafe mode, DCS unreachable: asks each member to acknowledge this primary as leader
     * ({@code POST /failsafe} with {@code body}, sending {@code authorization} when given).
     */
    Map<String, FailsafeAnswer> confirmFailsafe(Map<String, String> memberToApiUrl, String body, Optional<String> authorization,
                                                Duration timeout);
}
