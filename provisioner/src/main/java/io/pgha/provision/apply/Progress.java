package io.pgha.provision.apply;

/** Where apply reports what each host is doing: one line per host, replaced as it goes. */
public interface Progress {
    void update(String host, String line);
}
