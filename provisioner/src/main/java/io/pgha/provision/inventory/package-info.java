/**
 * The inventory of {@code pgha provision}: a Pigsty-shaped YAML inventory read by
 * {@link io.pgha.provision.inventory.InventoryReader} into an {@link io.pgha.provision.inventory.Inventory}
 * (the etcd members, the PostgreSQL clusters with their members and merged vars, the global settings,
 * and the keys pgha ignores), or refused with every problem at once. Everything here is pure: no
 * network, no DNS, no files but the one read. {@code docs/provision-inventory.md} lists the keys.
 */
package io.pgha.provision.inventory;
