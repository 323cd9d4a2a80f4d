/**
 * The hypervisor messages a management server sends to the agent of the host a VM is placed on:
 * start, stop, disk hot-plug, quiesce, the host's domain states, and the guest bridges. They name
 * disks by pool uuid and path only; the agent resolves how to reach a disk from the storage pool it
 * has defined on its host, so no secret travels with them.
 */
package io.rbdstack.spi.agent.vm;
