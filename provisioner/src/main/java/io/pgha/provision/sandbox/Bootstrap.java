package io.pgha.provision.sandbox;

import java.nio.file.Path;

import static io.pgha.provision.transport.Shell.quote;

/**
 * What starts one sandbox host: a shell script run as
 * {@code setsid ip netns exec <ns> unshare --mount --uts --propagation private sh boot.sh}, so in the
 * host's network namespace and in a mount (and UTS) namespace of its own. It layers an overlay over
 * this machine's root filesystem, recreates /proc, /sys, /dev, /run and /tmp in it, makes it the root
 * with pivot_root (stronger than chroot: the machine's mounts are gone from the namespace, not just
 * out of reach) and execs sshd; its PID is the script's.
 */
final class Bootstrap {
    static final String SSHD_CONFIG = "/etc/ssh/sshd_config.pgha-sandbox";
    static final String AUTHORIZED_KEYS = "/etc/ssh/authorized_keys.pgha-sandbox";
    static final String HOST_KEY = "/etc/ssh/ssh_host_ecdsa_key";
    /** The server each host execs; a test swaps it to see a host fail to start. */
    static volatile String sshd = "/usr/sbin/sshd";

    private Bootstrap() {
    }

    static String sshdConfig(String address) {
        return String.join("\n",
                "# sshd of pgha sandbox host " + address + ", written by the sandbox (io.pgha.provision.sandbox)",
                "ListenAddress " + address + ":22",
                "HostKey " + HOST_KEY,
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "AuthorizedKeysFile " + AUTHORIZED_KEYS,
                "UsePAM no",
                "UseDNS no",
                "PrintMotd no",
                "PidFile /run/sshd.pid",
                // The provisioner runs many commands in parallel over one connection.
                "MaxSessions 64",
                "MaxStartups 64:30:128",
                "AcceptEnv LANG LC_*",
                "Subsystem sftp internal-sftp",
                "");
    }

    /**
     * @param stateDir the sandbox's directory, hidden inside the host behind an empty tmpfs
     * @param dir      this host's directory: upper/, work/, root/, seed/ (sshd's files), pid
     */
    static String script(String address, String namespace, Path stateDir, Path dir) {
        String s = quote(stateDir.toString());
        String d = quote(dir.toString());
        return """
                #!/bin/sh
                # pgha sandbox host %1$s (network namespace %2$s), written by io.pgha.provision.sandbox.
                # Run as: setsid ip netns exec %2$s unshare --mount --uts --propagation private sh boot.sh
                # so everything below happens in the host's own network, mount and UTS namespaces.
                set -eu
                state=%3$s
                dir=%4$s
                root="$dir/root"
                # This shell execs sshd at the end: its PID is the sshd's, and the host's first process.
                echo $$ > "$dir/pid"
                hostname %2$s

                # / is this machine's root filesystem, copy-on-write: reads come from it, writes go to upper/.
                # Only the root mount is layered; other mounts (/proc, /sys, /dev, /run/netns ...) are not in
                # it and are recreated here.
                mount -t overlay overlay -o "lowerdir=/,upperdir=$dir/upper,workdir=$dir/work" "$root"
                mount -t proc proc "$root/proc"
                # sysfs mounted in this network namespace lists the host's own interfaces (eth1, lo).
                mount -t sysfs -o ro sysfs "$root/sys" || mount --rbind /sys "$root/sys"
                mount --bind /dev "$root/dev"
                mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/dev/shm"
                mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"
                mount --bind "$root/dev/pts/ptmx" "$root/dev/ptmx"
                # Fresh /run and /tmp: no /run/systemd/system, so the host has no systemd as PID 1.
                mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$root/run"
                mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/tmp"
                install -d -m 0755 "$root/run/sshd"

                # sshd's own files, into the host's /etc/ssh (its upper layer): config, host key, client key.
                install -m 0600 "$dir/seed/ssh_host_ecdsa_key" "$root%5$s"
                install -m 0644 "$dir/seed/ssh_host_ecdsa_key.pub" "$root%5$s.pub"
                install -m 0644 "$dir/seed/sshd_config" "$root%6$s"
                install -m 0644 "$dir/seed/authorized_keys" "$root%7$s"
                echo %2$s > "$root/etc/hostname"
                # Debian's bash sources ~/.bashrc for every command sshd runs; root's on this machine may be a
                # developer's (pyenv: most of a second a command). The host's root gets the stock one, as a
                # freshly installed machine has.
                if [ -f /etc/skel/.bashrc ]; then install -m 0644 /etc/skel/.bashrc "$root/root/.bashrc"; fi

                # The sandbox's own directory (every host's upper layer) is hidden: the host sees it empty.
                mkdir -p "$root$state"
                mount -t tmpfs -o mode=0755 tmpfs "$root$state"

                # pivot_root, then drop the machine's mounts: the host's mount table is its own.
                cd "$root"
                pivot_root . .
                umount -l .
                cd /
                exec %8$s -D -e -f %6$s </dev/null
                """.formatted(address, namespace, s, d, HOST_KEY, SSHD_CONFIG, AUTHORIZED_KEYS, quote(sshd));
    }
}
