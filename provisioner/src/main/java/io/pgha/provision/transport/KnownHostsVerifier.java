package io.pgha.provision.transport;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict known_hosts checking, as OpenSSH's {@code StrictHostKeyChecking yes}: the host's key must be
 * in the file; an unknown key or a changed one is refused and never learnt. The reason of a refusal
 * is kept, since MINA only reports that the key "did not validate".
 */
final class KnownHostsVerifier implements ServerKeyVerifier {
    private final SshTarget target;
    private final List<KnownHostEntry> entries;
    private volatile String rejection;

    private KnownHostsVerifier(SshTarget target, List<KnownHostEntry> entries) {
        this.target = target;
        this.entries = entries;
    }

    static KnownHostsVerifier load(SshTarget target) {
        Path file = target.knownHosts();
        if (file == null || !Files.isRegularFile(file)) {
            throw new TransportException(target.address() + ": known_hosts file " + file + " does not exist; create it with the host's key ("
                    + keyscan(target) + ")");
        }
        try {
            return new KnownHostsVerifier(target, KnownHostEntry.readKnownHostEntries(file));
        } catch (IOException | RuntimeException e) {
            throw new TransportException(target.address() + ": cannot read known_hosts file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Why the last key was refused, or null. */
    String rejection() {
        return rejection;
    }

    void reset() {
        rejection = null;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        String type = KeyUtils.getKeyType(serverKey);
        boolean changed = false;
        List<String> otherTypes = new ArrayList<>();
        for (KnownHostEntry entry : entries) {
            if (entry.getKeyEntry() == null || !entry.isHostMatch(target.host(), target.port())) {
                continue;
            }
            String marker = entry.getMarker() == null ? "" : entry.getMarker().replace("@", "");
            if (marker.equals("cert-authority")) {
                continue; // host certificates are not used here
            }
            PublicKey known;
            try {
                known = entry.getKeyEntry().resolvePublicKey(session, PublicKeyEntryResolver.IGNORING);
            } catch (IOException | GeneralSecurityException e) {
                continue;
            }
            if (known == null) {
                continue;
            }
            if (KeyUtils.compareKeys(known, serverKey)) {
                if (marker.equals("revoked")) {
                    rejection = "host key of " + target.address() + " (" + KeyUtils.getFingerPrint(serverKey) + ") is marked @revoked in "
                            + target.knownHosts() + "; refusing to connect";
                    return false;
                }
                return true;
            }
            if (type.equals(entry.getKeyEntry().getKeyType())) {
                changed = true;
            } else {
                otherTypes.add(entry.getKeyEntry().getKeyType());
            }
        }
        if (changed) {
            rejection = "host key of " + target.address() + " has CHANGED: it offers " + type + " " + KeyUtils.getFingerPrint(serverKey)
                    + ", which differs from the " + type + " key " + target.knownHosts() + " holds for it; someone may be intercepting,"
                    + " or the host was reinstalled: check the new key out of band and replace the old line; refusing to connect";
        } else {
            rejection = "host key of " + target.address() + " is not in " + target.knownHosts() + "; check it and add it (" + keyscan(target)
                    + ")" + (otherTypes.isEmpty() ? "" : "; the file holds only " + String.join(", ", otherTypes)
                    + " keys for it, the host offers " + type);
        }
        return false;
    }

    private static String keyscan(SshTarget target) {
        return "ssh-keyscan -p " + target.port() + " " + target.host() + " >> " + target.knownHosts();
    }
}
