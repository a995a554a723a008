package io.pgha.vip.net;

/**
 * Where the VIP manager touches the host: the address on one interface, and the frames that
 * announce it. The kernel implementation is {@link KernelBinder}; the HA daemon reuses it.
 */
public interface AddressBinder extends AutoCloseable {
    /** The interface, checked to be usable for a VIP; throws {@link NetException} saying why not. */
    Link usableLink();

    boolean isBound();

    /** Adds the VIP; false when it was already there. */
    boolean bind();

    /** Removes the VIP; false when it was not there. */
    boolean unbind();

    /** One round of announcements: gratuitous ARP request and reply, or an unsolicited NA for IPv6. */
    void announce();

    @Override
    void close();
}
