package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.infra.Ipv4;
import java.util.Set;

/**
 * A shared network's IPv4 addressing: its gateway and netmask and the range [start, end] whose addresses go
 * to VMs. {@link #checked} is the one place its rules are enforced: the range inside the subnet, without its
 * network and broadcast addresses and without the gateway.
 */
public record GuestSubnet(long gateway, int prefixLength, long start, long end) {

    /** Checks the parts as createNetwork or updateNetwork received them; 431 naming the parameter at fault. */
    public static GuestSubnet checked(String gateway, String netmask, String startIp, String endIp) {
        long gw = Ipv4.parse(gateway, "gateway");
        int prefix = Ipv4.prefixLength(netmask);
        if (prefix < 1 || prefix > 30) {
            throw ApiException.invalidParameter("Invalid value '" + netmask + "' for parameter netmask: a guest"
                    + " network needs a prefix length from 1 to 30 (255.255.255.252 at most)");
        }
        long start = Ipv4.parse(startIp, "startip");
        long end = Ipv4.parse(endIp, "endip");
        GuestSubnet subnet = new GuestSubnet(gw, prefix, start, end);
        if (gw == subnet.networkAddress() || gw == subnet.broadcastAddress()) {
            throw ApiException.invalidParameter("Invalid value '" + gateway + "' for parameter gateway: the network"
                    + " or broadcast address of " + subnet.cidr() + ", not a host's");
        }
        subnet.checkInside(start, startIp, "startip");
        subnet.checkInside(end, endIp, "endip");
        if (start > end) {
            throw ApiException.invalidParameter("Invalid value '" + endIp + "' for parameter endip: before startip "
                    + startIp);
        }
        if (gw >= start && gw <= end) {
            throw ApiException.invalidParameter("Invalid value '" + gateway + "' for parameter gateway: inside the"
                    + " range " + startIp + "-" + endIp + ", whose addresses go to VMs");
        }
        return subnet;
    }

    private void checkInside(long address, String given, String param) {
        if (address <= networkAddress() || address >= broadcastAddress()) {
            throw ApiException.invalidParameter("Invalid value '" + given + "' for parameter " + param + ": not a host"
                    + " address of " + cidr() + " (the gateway's subnet)");
        }
    }

    long mask() {
        return (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
    }

    long networkAddress() {
        return gateway & mask();
    }

    long broadcastAddress() {
        return networkAddress() | (~mask() & 0xFFFF_FFFFL);
    }

    public String cidr() {
        return Ipv4.format(networkAddress()) + "/" + prefixLength;
    }

    public String netmask() {
        return Ipv4.netmask(prefixLength);
    }

    public boolean inRange(long address) {
        return address >= start && address <= end;
    }

    public boolean overlaps(long otherStart, long otherEnd) {
        return start <= otherEnd && otherStart <= end;
    }

    /** How many addresses the range holds. */
    public long size() {
        return end - start + 1;
    }

    /** The lowest address of the range not in {@code taken}; empty when every one is taken. */
    public java.util.OptionalLong firstFree(Set<Long> taken) {
        for (long address = start; address <= end; address++) {
            if (!taken.contains(address)) {
                return java.util.OptionalLong.of(address);
            }
        }
        return java.util.OptionalLong.empty();
    }
}
