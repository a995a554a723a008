package io.pgha.vip.net;

import java.net.InetAddress;

/** One address bound to an interface (RTM_NEWADDR): what a dump of the interface's addresses yields. */
public record InterfaceAddress(int interfaceIndex, InetAddress address, int prefixLength) {
}
