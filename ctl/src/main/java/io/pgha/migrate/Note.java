package io.pgha.migrate;

/**
 * What the conversion did with one Patroni key that was not carried over as it stood, and what
 * happens instead; the report prints every one, so nothing leaves the file unmentioned.
 */
public record Note(String path, Treatment treatment, String instead) {

    public enum Treatment {
        /** Written under another name or with another value. */
        CHANGED,
        /** Left out of pgha.yml: pgha does not implement it. */
        DROPPED,
        /** Carried into bootstrap.dcs for the Patroni members; pgha itself does not read it. */
        KEPT_FOR_PATRONI
    }
}
