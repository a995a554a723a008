package io.pgha.ctl;

import io.pgha.config.PemFiles;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the CLI checks the members' REST API over HTTPS: {@code --cacert} (the CA the API's
 * certificate comes from; default the system's), {@code --cert}/{@code --key} (ours, for
 * {@code verify_client}), or {@code --insecure}, which trusts any certificate and says so loudly.
 */
record RestTls(Optional<Path> cacert, Optional<Path> cert, Optional<Path> key, boolean insecure) {
    static final RestTls SYSTEM = new RestTls(Optional.empty(), Optional.empty(), Optional.empty(), false);

    RestTls {
        if (cert.isPresent() != key.isPresent()) {
            throw CtlError.usage("give both --cert and --key (a client certificate needs its key)");
        }
        if (insecure && cacert.isPresent()) {
            throw CtlError.usage("--insecure and --cacert contradict each other: --cacert verifies, --insecure does not");
        }
    }

    static final String INSECURE_WARNING = "WARNING: --insecure: the REST API's certificate is NOT verified; anyone on the path"
            + " can impersonate a member and read the credentials sent to it";

    /** The context for the HTTP client (the caller prints {@link #INSECURE_WARNING}). */
    SSLContext context() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            TrustManager[] trust = null;
            if (insecure) {
                trust = new TrustManager[]{new TrustingAnything()};
            } else if (cacert.isPresent()) {
                KeyStore ks = emptyStore();
                int i = 0;
                for (X509Certificate c : PemFiles.certificates(cacert.get())) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                trust = tmf.getTrustManagers();
            }
            KeyManager[] keys = null;
            if (cert.isPresent()) {
                KeyStore ks = emptyStore();
                char[] none = new char[0];
                ks.setKeyEntry("client", PemFiles.privateKey(key.get()), none, PemFiles.certificates(cert.get()));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, none);
                keys = kmf.getKeyManagers();
            }
            ctx.init(keys, trust, new SecureRandom());
            return ctx;
        } catch (IllegalArgumentException e) {
            throw CtlError.usage(e.getMessage());
        } catch (GeneralSecurityException | IOException e) {
            throw CtlError.usage("cannot set up TLS for the REST API: " + e.getMessage());
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        return ks;
    }

    /**
     * For --insecure only. An extended trust manager, because JSSE wraps a plain one in a check
     * of the host name, which --insecure must skip too.
     */
    private static final class TrustingAnything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
