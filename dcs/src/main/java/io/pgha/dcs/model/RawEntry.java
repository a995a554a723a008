package io.pgha.dcs.model;

/** A key as any backend returns it: full path, text value, CAS version, lease (0 if none). */
public record RawEntry(String key, String value, long version, long lease) {
}
