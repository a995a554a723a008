package io.pgha.provision.transport;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A host reached over SSH (Apache MINA SSHD): public-key login with one identity file, the host key
 * checked strictly against one known_hosts file, one session reused for every command (each an exec
 * channel running {@code sh -c}, through {@code sudo -n} when the login user is not root). Files are
 * read and written through exec as well ({@link FileScripts}), so that sudo applies to them too.
 * Thread-safe: commands may run in parallel on the one session. A command past its timeout is a
 * {@link TransportException}; its channel is closed, but the remote process is not signalled and may
 * run on (without a terminal, sshd does not kill it). A dropped session is opened anew on the next call.
 */
public final class SshTransport implements Transport {
    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(2);
    private static final int SHOWN_COMMAND = 80;

    private final SshTarget target;
    private final Duration timeout;
    private final SshClient client;
    private final KnownHostsVerifier verifier;
    private final KeyPair identity;
    private ClientSession session;
    private boolean closed;

    private SshTransport(SshTarget target, Duration timeout, SshClient client, KnownHostsVerifier verifier, KeyPair identity) {
        this.target = target;
        this.timeout = timeout;
        this.client = client;
        this.verifier = verifier;
        this.identity = identity;
    }

    /**
     * Connects and logs in, or fails with a {@link TransportException} that names the host and why:
     * unreachable (within {@code timeout}), host key unknown or changed, authentication refused.
     * {@code timeout} bounds the TCP connect and, separately, the key exchange and login.
     */
    public static SshTransport connect(SshTarget target, Duration timeout) {
        KeyPair identity = loadIdentity(target);
        KnownHostsVerifier verifier = KnownHostsVerifier.load(target);
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(verifier);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY); // no ~/.ssh/config
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER); // no ~/.ssh/id_*
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        // A command may run silently for long (an initdb, a basebackup): the session must not be closed as idle.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ofDays(1));
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(30));
        client.start();
        SshTransport transport = new SshTransport(target, timeout, client, verifier, identity);
        try {
            transport.session();
            return transport;
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    private static KeyPair loadIdentity(SshTarget target) {
        try (InputStream in = Files.newInputStream(target.identity())) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(target.identity().toString()), in,
                    FilePasswordProvider.EMPTY);
            if (pairs != null) {
                for (KeyPair pair : pairs) {
                    return pair;
                }
            }
            throw new TransportException(target.host() + ": identity " + target.identity() + " holds no private key");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof TransportException te) {
                throw te;
            }
            throw new TransportException(target.host() + ": cannot load identity " + target.identity()
                    + " (an unencrypted RSA or ECDSA key is needed): " + e.getMessage(), e);
        }
    }

    public SshTarget target() {
        return target;
    }

    @Override
    public String host() {
        return target.host();
    }

    private synchronized ClientSession session() {
        if (closed) {
            throw new TransportException(target.address() + ": transport is closed");
        }
        if (session == null || !session.isOpen()) {
            session = open();
        }
        return session;
    }

    private ClientSession open() {
        verifier.reset();
        ConnectFuture connecting;
        try {
            connecting = client.connect(target.user(), target.host(), target.port());
        } catch (IOException e) {
            throw unreachable(e.getMessage(), e);
        }
        if (!await(connecting, timeout)) {
            connecting.cancel();
            throw unreachable("no answer within " + seconds(timeout), null);
        }
        if (!connecting.isConnected()) {
            Throwable cause = connecting.getException();
            throw unreachable(describe(cause), cause);
        }
        ClientSession s = connecting.getSession();
        try {
            s.addPublicKeyIdentity(identity);
            AuthFuture auth = s.auth();
            boolean done = await(auth, timeout);
            if (verifier.rejection() != null) {
                throw new TransportException(verifier.rejection());
            }
            if (!done) {
                throw new TransportException(target.address() + ": no key exchange and login within " + seconds(timeout)
                        + " (is it an SSH server?)");
            }
            if (!auth.isSuccess()) {
                Throwable cause = auth.getException();
                throw new TransportException(target.host() + ": authentication as " + target.user() + " refused (identity "
                        + target.identity() + "): " + describe(cause), cause);
            }
            return s;
        } catch (IOException e) {
            s.close(true);
            throw new TransportException(target.address() + ": session failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            s.close(true);
            throw e;
        }
    }

    private static boolean await(org.apache.sshd.common.future.WaitableFuture future, Duration timeout) {
        try {
            return future.await(timeout);
        } catch (IOException e) {
            return future.isDone();
        }
    }

    private TransportException unreachable(String why, Throwable cause) {
        return new TransportException(target.address() + " unreachable: " + why, cause);
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "no reason given";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return root == t || root.getMessage() == null ? m : m + " (" + root.getMessage() + ")";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The command line as sent: {@code sh -c}, through {@code sudo -n} for a login other than root. */
    static String remoteCommand(boolean root, String command) {
        return (root ? "sh -c " : "sudo -n sh -c ") + Shell.quote(command);
    }

    @Override
    public Exec run(String command, Optional<byte[]> stdin, Duration timeout) {
        Raw raw = exec(command, stdin, timeout);
        return new Exec(raw.exit, new String(raw.out, StandardCharsets.UTF_8), raw.err);
    }

    private record Raw(int exit, byte[] out, String err) {
    }

    private Raw exec(String command, Optional<byte[]> stdin, Duration timeout) {
        ClientSession s = session();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = s.createExecChannel(remoteCommand(target.root(), command))) {
            channel.setOut(out);
            channel.setErr(err);
            channel.setIn(new ByteArrayInputStream(stdin.orElse(new byte[0])));
            if (!channel.open().verify(this.timeout).isOpened()) {
                throw new TransportException(target.address() + ": could not open a channel for " + shown(command));
            }
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                channel.close(true);
                throw new TransportException(target.host() + ": " + shown(command) + " did not finish within " + seconds(timeout));
            }
            String errText = err.toString(StandardCharsets.UTF_8);
            Integer status = channel.getExitStatus();
            if (status == null) {
                String signal = channel.getExitSignal();
                if (signal == null && !s.isOpen()) {
                    throw new TransportException(target.address() + ": connection lost while running " + shown(command));
                }
                return new Raw(255, out.toByteArray(), errText + (signal == null ? "(no exit status)" : "(killed by signal " + signal + ")"));
            }
            if (!target.root() && status == 1 && errText.contains("sudo:") && errText.contains("password is required")) {
                throw new TransportException(target.host() + ": sudo as " + target.user() + " asks for a password; allow it without"
                        + " one (NOPASSWD in sudoers) or log in as root");
            }
            return new Raw(status, out.toByteArray(), errText);
        } catch (IOException e) {
            throw new TransportException(target.address() + ": " + shown(command) + " failed: " + e.getMessage(), e);
        }
    }

    private static String shown(String command) {
        String first = command.strip().lines().findFirst().orElse("");
        boolean cut = first.length() > SHOWN_COMMAND || command.strip().contains("\n");
        return "`" + (first.length() > SHOWN_COMMAND ? first.substring(0, SHOWN_COMMAND) : first) + (cut ? " …" : "") + "`";
    }

    @Override
    public Optional<byte[]> read(String path) {
        Raw raw = exec(FileScripts.read(path), Optional.empty(), FILE_TIMEOUT);
        if (raw.exit == FileScripts.MISSING && raw.out.length == 0) {
            return Optional.empty();
        }
        if (raw.exit != 0) {
            throw new TransportException(target.host() + ": cannot read " + path + ": " + raw.err.strip());
        }
        return Optional.of(raw.out);
    }

    @Override
    public void write(String path, byte[] content, String mode, String owner, String group) {
        Raw raw = exec(FileScripts.write(path, mode, owner, group), Optional.of(content), FILE_TIMEOUT);
        if (raw.exit != 0) {
            throw new TransportException(target.host() + ": cannot write " + path + ": " + raw.err.strip());
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (session != null) {
            session.close(true);
        }
        client.stop();
    }

    @Override
    public String toString() {
        return "ssh " + target.user() + "@" + target.address();
    }
}
