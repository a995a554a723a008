package io.pgha.provision.inventory;

/** The places of an inventory that hold vars, which decide what a key may be set in. */
enum Where {
    ALL_VARS, PG_VARS, PG_HOST, ETCD_VARS, ETCD_HOST, INFRA_VARS, INFRA_HOST
}
