/**
 * RBD primary storage. {@link io.rbdstack.storage.rbd.RbdUrlParser} reads createStoragePool's
 * {@code url} and {@code details[]} into a checked, normalised
 * {@link io.rbdstack.storage.rbd.RbdPoolDefinition}, and
 * {@link io.rbdstack.storage.rbd.RbdProviderOptions} declares the provider's options. The parsing is
 * pure logic: it needs no network and no DNS, and it never depends on which characters the secret
 * holds.
 */
package io.rbdstack.storage.rbd;
