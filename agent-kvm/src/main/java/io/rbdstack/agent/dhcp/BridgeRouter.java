package io.rbdstack.agent.dhcp;

import java.util.Collection;
import java.util.Optional;

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
        unserve(network.bridge(), Optional.of(network.gateway()), network.prefix().length(), served);
    }

    /** A bridge a previous agent served (its gateway unknown when it recorded none), given up the same way. */
    void unserve(LeftLinks.Link left, Collection<ServedNetwork> served) throws InterruptedException {
        unserve(left.bridge(), left.gateway(), left.prefixLength(), served);
    }

    private void unserve(String bridge, Optional<String> address, int prefixLength, Collection<ServedNetwork> served)
            throws InterruptedException {
        boolean sameGatewayStays = address.isPresent() && served.stream().anyMatch(n -> n.bridge().equals(bridge)
                && n.gateway().equals(address.get()));
        boolean bridgeStays = served.stream().anyMatch(n -> n.bridge().equals(bridge));
        if (address.isPresent() && !sameGatewayStays) {
            gateway.remove(bridge, address.get(), prefixLength, !bridgeStays);
        }
        if (!bridgeStays) {
            carrier.remove(bridge);
        }
    }
}
