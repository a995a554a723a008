package io.pgha.provision.plan;

/** A directory a host must have, with its mode and owner (PostgreSQL's data parent, its socket dir). */
public record DesiredDirectory(String path, String mode, String owner, String group) {
    @Override
    public String toString() {
        return path + "/ (" + mode + " " + owner + ":" + group + ")";
    }
}
