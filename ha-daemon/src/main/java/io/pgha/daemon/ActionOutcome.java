package io.pgha.daemon;

import io.pgha.dcs.LeaseGoneException;

import java.util.Map;
import java.util.Optional;

/**
 * What carrying out one decision did.
 *
 * @param said               a few words for the cycle's log line and the operator's answer
 * @param wonLeader          this cycle took the leader key (acquired, taken over, or by bootstrapping)
 * @param leaseGone          a DCS write was refused because this session's lease is gone
 * @param failsafeKeyWritten the failsafe key as this leader wrote it; until the next read it is the truer value
 */
record ActionOutcome(String said, boolean wonLeader, Optional<LeaseGoneException> leaseGone,
                     Optional<Map<String, String>> failsafeKeyWritten) {
    boolean succeeded() {
        return !said.contains("failed");
    }
}
