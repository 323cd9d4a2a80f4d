/**
 * The RBD commands the management server sends an agent and their answers, with the values they
 * carry ({@link io.rbdstack.storage.rbd.agent.RbdPool}, {@link io.rbdstack.storage.rbd.agent.BackupFile}…).
 * They join the agent protocol through {@link io.rbdstack.storage.rbd.agent.RbdMessageTypes}; the
 * agent runs them, this plugin sends them.
 */
package io.rbdstack.storage.rbd.agent;
