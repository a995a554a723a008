package io.pgha.provision.inventory;

import io.pgha.config.RtoPreset;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code pg_rto}: either one of pgha's presets (fast, norm, safe), or, as Pigsty 2.x wrote it, a
 * number of seconds that becomes the DCS ttl (the other timings then follow the norm preset unless
 * the renderer derives them). Exactly one of the two is present.
 */
public record Rto(Optional<RtoPreset> preset, Optional<Integer> ttlSeconds) {
    public static final Rto DEFAULT = of(RtoPreset.DEFAULT);

    public Rto {
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(ttlSeconds, "ttlSeconds");
        if (preset.isPresent() == ttlSeconds.isPresent()) {
            throw new IllegalArgumentException("an Rto is a preset or a ttl, not both or neither");
        }
    }

    public static Rto of(RtoPreset preset) {
        return new Rto(Optional.of(preset), Optional.empty());
    }

    public static Rto ttl(int seconds) {
        return new Rto(Optional.empty(), Optional.of(seconds));
    }
}
