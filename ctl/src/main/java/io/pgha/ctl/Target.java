package io.pgha.ctl;

import io.pgha.config.Credentials;
import io.pgha.config.DcsConfig;
import io.pgha.dcs.model.KeyLayout;

import java.time.Duration;
import java.util.Optional;

/**
 * Which cluster a command talks to: where its keys are in the DCS, how to reach it (etcd3 or consul), and the REST
 * credentials for the members' unsafe endpoints.
 *
 * @param timeout bounds every DCS call and every single REST request (not a whole switchover)
 */
record Target(KeyLayout layout, DcsConfig dcs, Optional<Credentials> restAuth, Duration timeout, RestTls restTls) {
    Target(KeyLayout layout, DcsConfig dcs, Optional<Credentials> restAuth, Duration timeout) {
        this(layout, dcs, restAuth, timeout, RestTls.SYSTEM);
    }

    String scope() {
        return layout.scope();
    }
}
