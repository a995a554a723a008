package io.pgha.migrate;

/** One difference between how Patroni and pgha members would read the same DCS config. */
public record Finding(Weight weight, String key, String text) {
    public enum Weight {
        /** Patroni and pgha members would act on different values: fix before the first node switches. */
        FIX_FIRST,
        /** Worth knowing during the mixed period; nothing to change. */
        NOTE
    }
}
