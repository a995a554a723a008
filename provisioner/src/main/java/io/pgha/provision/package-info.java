/**
 * pgha provision: a Pigsty-shaped inventory ({@code inventory}) rendered into what each host must
 * hold ({@code render}), compared with what it holds ({@code plan}), and applied over a
 * {@code transport} (SSH, or local); {@code sandbox} makes network and mount namespaces with their own
 * sshd act as hosts.
 */
package io.pgha.provision;
