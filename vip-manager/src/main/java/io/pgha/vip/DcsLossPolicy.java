package io.pgha.vip;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Duration;

/**
 * What the leader's node does with the VIP when the DCS stops answering. Both policies hold it for
 * {@link #grace()} after the DCS last confirmed this node as leader: that is ttl − loop_wait, the
 * time the leader's lease is certain to still be valid if its holder was renewing it every
 * loop_wait, so no other node can have been elected meanwhile. They differ only after that.
 */
public sealed interface DcsLossPolicy {
    Duration grace();

    /** Release once the grace has passed (the default): a lease that may have expired is not leadership. */
    record Release(Duration grace) implements DcsLossPolicy {
    }

    /**
     * Keep holding after the grace while the local HA daemon says it still runs as primary in
     * failsafe mode (Patroni's {@code failsafe_mode}: every member confirmed the primary over REST,
     * so no other node can have been promoted). Asked at {@code failsafeUrl}, Patroni's
     * {@code GET /patroni}; in-process, the daemon answers through {@link FailsafeProbe} directly.
     */
    record HoldWhileFailsafe(Duration grace, URI failsafeUrl, Optional<Path> failsafeCaFile) implements DcsLossPolicy {
        public HoldWhileFailsafe(Duration grace, URI failsafeUrl) {
            this(grace, failsafeUrl, Optional.empty());
        }
    }
}
