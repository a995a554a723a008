package io.pgha.dcs;

import io.pgha.dcs.model.Cluster;

/** A renewal and the linearizable read of the cluster that followed it. */
public record RenewedRead(Renewal renewal, Cluster cluster) {
}
