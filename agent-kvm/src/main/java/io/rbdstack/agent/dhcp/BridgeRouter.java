package io.rbdstack.agent.dhcp;

import java.util.Collection;

/**
 * The host side of a served network's link: carrier on its bridge (so Kea binds to it) and the host as
 * the guests' router on it (gateway address, forwarding). Set up before Kea is given the network, taken
 * down once the network is no longer served; a bridge two networks share keeps carrier and forwarding
 * until the last goes.
 */
final class BridgeRouter {

    private final CarrierKeeper carrier;
    private final BridgeGateway gateway;

    BridgeRouter(Launcher launcher) {
        HostLinks links = new HostLinks(launcher);
        this.carrier = new CarrierKeeper(links);
        this.gateway = new BridgeGateway(links);
    }

    void serve(ServedNetwork network) throws InterruptedException {
        carrier.ensure(network.bridge());
        gateway.ensure(network.bridge(), network.gateway(), network.prefix().length());
    }

    /** {@code network} is no longer served as it was; {@code served} are the networks served now. */
    void unserve(ServedNetwork network, Collection<ServedNetwork> served) throws InterruptedException {
        boolean sameGatewayStays = served.stream().anyMatch(n -> n.bridge().equals(network.bridge())
                && n.gateway().equals(network.gateway()));
        boolean bridgeStays = served.stream().anyMatch(n -> n.bridge().equals(network.bridge()));
        if (!sameGatewayStays) {
            gateway.remove(network.bridge(), network.gateway(), network.prefix().length(), !bridgeStays);
        }
        if (!bridgeStays) {
            carrier.remove(network.bridge());
        }
    }
}
