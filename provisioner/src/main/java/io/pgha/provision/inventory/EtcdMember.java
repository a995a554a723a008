package io.pgha.provision.inventory;

/** A host of the {@code etcd} group; its member name follows Pigsty's {@code etcd-<seq>}. */
public record EtcdMember(String address, int seq) {
    public String name() {
        return "etcd-" + seq;
    }
}
