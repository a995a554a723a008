/**
 * The sandbox: Pigsty's multi-host sandbox on one Linux machine ({@code pgha provision apply
 * --sandbox}), and the provisioner's test bed. {@link io.pgha.provision.sandbox.Sandbox#up} makes,
 * per inventory host, a network namespace on a bridge and a mount namespace with a real sshd;
 * {@link io.pgha.provision.sandbox.Sandbox#down} removes it all, from any process.
 *
 * <h2>What a host sees</h2>
 * <ul>
 *   <li>{@code /}: an overlay whose lower layer is this machine's root filesystem and whose upper
 *       layer is {@code <stateDir>/<address>/upper}: {@code /etc}, {@code /usr}, {@code /var},
 *       {@code /root}, {@code /home}, the work tree … are this machine's, copy-on-write: a host's
 *       writes land in its upper layer only, and no host sees another's. Overlayfs layers only the
 *       root mount: other mounts of this machine are not in it.</li>
 *   <li>{@code /proc} (all of this machine's processes: there is no PID namespace), {@code /sys}
 *       (mounted in the host's network namespace, read-only: its own interfaces), {@code /dev} (this
 *       machine's, with its own {@code /dev/pts} and {@code /dev/shm}), fresh tmpfs {@code /run} and
 *       {@code /tmp}: so no {@code /run/systemd/system}, i.e. no systemd as PID 1.</li>
 *   <li>{@code eth1} with its address, {@code lo}, a default route via the bridge (this machine's
 *       address in the subnet); its own host name (the namespace's name).</li>
 *   <li>sshd on {@code <address>:22} with its own ECDSA host key in {@code /etc/ssh}, root login by
 *       the sandbox's key only; root's {@code ~/.bashrc} is {@code /etc/skel}'s.</li>
 * </ul>
 * The root is switched with {@code pivot_root} (then the old root is unmounted), not chroot: the
 * host's mount table holds only its own mounts.
 *
 * <h2>The state dir inside a host</h2>
 * The state dir (default {@code /var/lib/pgha-sandbox/<name>}) is on this machine's root
 * filesystem, so it is in every host's lower layer. Left as it is, a host would see there a stale
 * copy-on-write view of every host's upper layer, its own {@code upper/} and {@code work/} would
 * fail with ELOOP ("Too many levels of symbolic links": overlayfs refuses to look up its own layers
 * through itself) and {@code root/} would look empty (the overlay is a mount, not in the lower
 * layer). So each host mounts an empty tmpfs over it: inside a host the state dir is empty.
 * Other sandboxes' state dirs stay visible as such views; nothing of a host depends on them.
 * Changing this machine's files while hosts run is allowed by overlayfs but may or may not show in
 * a host that has not copied them up yet.
 */
package io.pgha.provision.sandbox;
