package io.pgha.provision.plan;

/**
 * A file a host must hold, byte for byte, with its mode and owner. toString names the path only:
 * the content may carry passwords.
 */
public record DesiredFile(String path, String content, String mode, String owner, String group) {

    public static DesiredFile rootOwned(String path, String content, String mode) {
        return new DesiredFile(path, content, mode, "root", "root");
    }

    @Override
    public String toString() {
        return path + " (" + mode + " " + owner + ":" + group + ")";
    }
}
