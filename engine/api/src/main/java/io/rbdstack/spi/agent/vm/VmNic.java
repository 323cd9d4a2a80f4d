package io.rbdstack.spi.agent.vm;

/**
 * One NIC of a VM: its MAC and the Linux bridge it joins. With {@code vlan} set, the agent makes the
 * bridge carry that VLAN tagged on {@code uplink}; without it, the bridge is used as it is (created,
 * empty, when missing). The addresses are what the network allocated (null when none); the DHCP
 * service on the host serves them.
 */
public record VmNic(int deviceId, String mac, String bridge, Integer vlan, String uplink,
                    String ip4Address, String ip6Address) {
}
