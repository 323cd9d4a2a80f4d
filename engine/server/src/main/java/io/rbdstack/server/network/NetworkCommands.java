package io.rbdstack.server.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.Format;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.account.DomainRepository;
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.spi.net.Ipv6Cidr;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * createNetwork, listNetworks, updateNetwork and deleteNetwork: shared guest networks on a Linux bridge,
 * untagged or on a VLAN, with an IPv4 range VMs' NICs take their addresses from and, dual-stack, an IPv6 /64.
 */
public final class NetworkCommands {

    private NetworkCommands() {
    }

    /** What the network commands need. */
    public record Deps(ZoneRepository zones, DomainRepository domains, NetworkRepository networks,
                       NetworkOfferingRepository offerings, SettingsRepository settings) {

        GuestNetwork network(String uuid) {
            return networks.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find network by id " + uuid + " (parameter id); it may have been deleted"));
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateNetwork.class, deps);
        registry.register(ListNetworks.class, deps);
        registry.register(UpdateNetwork.class, deps);
        registry.register(DeleteNetwork.class, deps);
    }

    /** CloudStack's network types; rbdstack has shared networks only. */
    public enum NetworkType { Shared, Isolated, L2 }

    @Command(name = "createNetwork", description = "Creates a shared guest network in a zone: untagged on a Linux"
            + " bridge, or on a VLAN tagged on a host interface, with an IPv4 range for the VMs' NICs.",
            access = Access.ADMIN, response = "network", event = "NETWORK.CREATE")
    record CreateNetwork(
            @Param(description = "the name of the network", column = "networks.name") String name,
            @Param(description = "the display text of the network; defaults to the name",
                    column = "networks.display_text") Optional<String> displayText,
            @Param(description = "the network offering ID", entity = Entity.NETWORK_OFFERING) String networkOfferingId,
            @Param(description = "the zone ID for the network", entity = Entity.ZONE) String zoneId,
            @Param(description = "the gateway of the network", format = Format.IPV4, length = 15,
                    column = "networks.gateway") Optional<String> gateway,
            @Param(description = "the netmask of the network", format = Format.IPV4, length = 15,
                    column = "networks.netmask") Optional<String> netmask,
            @Param(description = "the beginning IP address of the range VMs take their addresses from",
                    format = Format.IPV4, length = 15, column = "networks.ip4_start") Optional<String> startIp,
            @Param(description = "the ending IP address of the range; defaults to startip", format = Format.IPV4,
                    length = 15, column = "networks.ip4_end") Optional<String> endIp,
            @Param(description = "the VLAN of the network: 1 to 4094 (or vlan://N), or untagged (the default)",
                    length = 16) Optional<String> vlan,
            @Param(description = "the first IPv4 DNS server of the network", format = Format.IPV4, length = 15,
                    column = "networks.dns1") Optional<String> dns1,
            @Param(description = "the second IPv4 DNS server of the network", format = Format.IPV4, length = 15,
                    column = "networks.dns2") Optional<String> dns2,
            @Param(description = "network domain", length = 190, column = "networks.network_domain")
            Optional<String> networkDomain,
            @Param(description = "the domain whose accounts (and those of its subdomains) may use the network;"
                    + " defaults to ROOT", entity = Entity.DOMAIN) Optional<String> domainId,
            @Param(description = "access control type: Domain (shared networks serve a domain)", length = 16)
            Optional<String> aclType,
            @Param(description = "rbdstack: the Linux bridge the NICs join; defaults to the guest.network.device"
                    + " setting untagged, or br<uplink>-<vlan> with a VLAN", length = BridgeNames.MAX_LENGTH,
                    column = "networks.bridge") Optional<String> bridge,
            @Param(description = "rbdstack: the host interface the VLAN is tagged on; defaults to the"
                    + " guest.network.uplink setting", length = BridgeNames.MAX_LENGTH, column = "networks.uplink")
            Optional<String> uplink,
            @Param(description = "the IPv6 gateway of the network; defaults to the /64's ::1", length = 64,
                    column = "networks.ip6_gateway") Optional<String> ip6Gateway,
            @Param(description = "the /64 of a dual-stack network; without it, a network of a DualStack offering"
                    + " gets a free /64 of the zone's guest IPv6 prefixes", length = 64, column = "networks.ip6_cidr")
            Optional<String> ip6Cidr,
            @Param(description = "rbdstack: a prefix-delegation pool of the dual-stack network (e.g."
                    + " 2001:db8:8000::/48): DHCPv6 delegates prefixes cut from it to guests that ask", length = 64,
                    column = "network_ip6_pd_pool.prefix") Optional<String> ip6PdPrefix,
            @Param(description = "rbdstack: the length of the delegated prefixes; defaults to the"
                    + " dhcpv6.pd.delegated.length setting", min = 1, max = 128) Optional<Integer> ip6PdLength,
            @Param(description = "not taken: each NIC gets its EUI-64 address in the network's /64", length = 64)
            Optional<String> startIpv6,
            @Param(description = "not taken: each NIC gets its EUI-64 address in the network's /64", length = 64)
            Optional<String> endIpv6) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                throw ApiException.invalidParameter("Invalid value for parameter name: a network needs a name");
            }
            NetworkOffering offering = deps.offerings().find(networkOfferingId).orElseThrow(() ->
                    ApiException.invalidParameter("Network offering " + networkOfferingId + " was deleted"
                            + " (parameter networkofferingid)"));
            if (!offering.enabled()) {
                throw ApiException.invalidParameter("Network offering " + offering.name() + " is " + offering.state()
                        + ", not Enabled (parameter networkofferingid)");
            }
            if (aclType.isPresent() && !aclType.get().equalsIgnoreCase("Domain")) {
                throw ApiException.invalidParameter("Invalid value '" + aclType.get() + "' for parameter acltype:"
                        + " shared networks serve a domain (Domain)");
            }
            long zone = deps.zones().idOf(zoneId).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + zoneId + " (parameter zoneid)"));
            long domain = domainId.map(d -> deps.domains().find(d).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find domain by id " + d + " (parameter domainid)")).id()).orElse(caller.domainId());
            GuestSubnet subnet = subnet();
            Optional<Integer> vlanId = vlan.flatMap(VlanIds::parse);
            if (vlanId.isEmpty() && uplink.isPresent()) {
                throw ApiException.invalidParameter("Invalid value '" + uplink.get() + "' for parameter uplink: an"
                        + " untagged network has no uplink; give a vlan, or leave uplink out");
            }
            String uplinkName = vlanId.isEmpty() ? null : BridgeNames.checked(uplink.orElseGet(() ->
                    deps.settings().value(Setting.GUEST_NETWORK_UPLINK)), "uplink");
            String bridgeName = bridge.map(b -> BridgeNames.checked(b, "bridge")).orElseGet(() -> vlanId.isEmpty()
                    ? deps.settings().value(Setting.GUEST_NETWORK_DEVICE)
                    : BridgeNames.forVlan(uplinkName, vlanId.get()));
            String uuid = deps.networks().create(new NetworkRepository.NewNetwork(trimmed,
                    displayText.map(String::trim).filter(t -> !t.isEmpty()).orElse(trimmed), zone, caller.accountId(),
                    domain, offering.id(), subnet, dns1.orElse(null), dns2.orElse(null), vlanId.orElse(null),
                    bridgeName, uplinkName, networkDomain.map(NetworkCommands::checkedNetworkDomain).orElse(null),
                    ipv6(offering, deps.settings())));
            return ApiJson.object("network", deps.networks().find(uuid).orElseThrow().view(true));
        }

        /**
         * The IPv6 half of a dual-stack network (null for IPv4 only): asked for with ip6cidr, or by a DualStack
         * offering. An IPv6 range is refused rather than ignored: NICs get their EUI-64 address, not one of a range.
         */
        private NetworkRepository.Ipv6Request ipv6(NetworkOffering offering, SettingsRepository settings) {
            for (var given : List.of(java.util.Map.entry("startipv6", startIpv6), java.util.Map.entry("endipv6",
                    endIpv6))) {
                if (given.getValue().isPresent()) {
                    throw ApiException.invalidParameter("Invalid value '" + given.getValue().get() + "' for parameter "
                            + given.getKey() + ": each NIC of a dual-stack network gets its EUI-64 address in the"
                            + " network's /64 (DHCPv6 reservations by MAC), so there is no IPv6 range to give");
                }
            }
            if (ip6Gateway.isPresent() && ip6Cidr.isEmpty()) {
                throw ApiException.invalidParameter("Parameter ip6cidr is required with ip6gateway: the gateway must"
                        + " lie in the network's /64");
            }
            if (ip6Cidr.isEmpty() && !"DualStack".equalsIgnoreCase(offering.internetProtocol())) {
                if (ip6PdPrefix.isPresent() || ip6PdLength.isPresent()) {
                    throw ApiException.invalidParameter("Invalid value '" + ip6PdPrefix.orElse("")
                            + "' for parameter ip6pdprefix: prefix delegation needs a dual-stack network (give"
                            + " ip6cidr, or a DualStack network offering)");
                }
                return null;
            }
            Optional<Ipv6Cidr> cidr = ip6Cidr.map(Ipv6Addressing::checkedSubnet);
            Optional<String> gw = ip6Gateway.map(g -> Ipv6Addressing.checkedGateway(g, cidr.orElseThrow()));
            if (ip6PdLength.isPresent() && ip6PdPrefix.isEmpty()) {
                throw ApiException.invalidParameter("Parameter ip6pdprefix is required with ip6pdlength");
            }
            Optional<PdPools.PdPool> pd = ip6PdPrefix.map(p -> new PdPools.PdPool(Ipv6Addressing.checkedPrefix(p,
                    "ip6pdprefix"), ip6PdLength.orElseGet(() -> (int) settings.longValue(
                    Setting.DHCPV6_PD_DELEGATED_LENGTH))));
            return new NetworkRepository.Ipv6Request(cidr, gw, pd);
        }

        /** A shared network's range is given here (the offering's specifyipranges): gateway, netmask and startip. */
        private GuestSubnet subnet() {
            for (var required : List.of(java.util.Map.entry("gateway", gateway), java.util.Map.entry("netmask", netmask),
                    java.util.Map.entry("startip", startIp))) {
                if (required.getValue().isEmpty()) {
                    throw ApiException.invalidParameter("Parameter " + required.getKey() + " is required: a shared"
                            + " network needs gateway, netmask and startip (endip defaults to startip)");
                }
            }
            return GuestSubnet.checked(gateway.get(), netmask.get(), startIp.get(), endIp.orElse(startIp.get()));
        }
    }

    private static final Pattern DOMAIN_LABEL = Pattern.compile("[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    /** CloudStack's rule for a network domain: dot-separated labels of 1 to 63 characters, as host names have. */
    static String checkedNetworkDomain(String given) {
        String domain = given.trim();
        for (String label : domain.split("\\.", -1)) {
            if (!DOMAIN_LABEL.matcher(label).matches()) {
                throw ApiException.invalidParameter("Invalid value '" + given + "' for parameter networkdomain: each"
                        + " label of a network domain has 1 to 63 letters, digits and hyphens, starts with a letter"
                        + " and does not end with a hyphen");
            }
        }
        return domain;
    }

    @Command(name = "listNetworks", description = "Lists the guest networks the caller may use (all for root admins).",
            access = Access.USER, response = "network")
    record ListNetworks(
            @Param(description = "list networks by ID", entity = Entity.NETWORK) Optional<String> id,
            @Param(description = "the zone ID of the network", entity = Entity.ZONE) Optional<String> zoneId,
            @Param(description = "the type of the network: Shared, Isolated or L2 (rbdstack has shared ones only)")
            Optional<NetworkType> type,
            @Param(description = "type of the traffic: Guest") Optional<String> trafficType,
            @Param(description = "list networks by ACL (access control list) type: Account or Domain")
            Optional<String> aclType,
            @Param(description = "true if the network is a system network (there are none)") Optional<Boolean> isSystem,
            @Param(description = "list networks by network offering ID", entity = Entity.NETWORK_OFFERING)
            Optional<String> networkOfferingId,
            @Param(description = "list networks available for VM deployment (all of them)")
            Optional<Boolean> canUseForDeploy,
            @Param(description = "List by keyword") Optional<String> keyword,
            PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            boolean none = isSystem.orElse(false) || !canUseForDeploy.orElse(true)
                    || type.filter(t -> t != NetworkType.Shared).isPresent()
                    || trafficType.filter(t -> !t.equalsIgnoreCase("Guest")).isPresent()
                    || aclType.filter(a -> !a.equalsIgnoreCase("Domain")).isPresent();
            if (none) {
                return ApiJson.list("network", List.of(), 0);
            }
            NetworkRepository.Filter filter = new NetworkRepository.Filter(id, zoneId, networkOfferingId, keyword,
                    caller.isRootAdmin() ? Optional.empty() : Optional.of(caller.domainPath()));
            return ApiJson.list("network", deps.networks().list(filter, page.sql()).stream()
                    .map(n -> n.view(caller.isRootAdmin())).toList(), deps.networks().count(filter));
        }
    }

    @Command(name = "updateNetwork", description = "Updates a network's name, display text or network domain and, as"
            + " rbdstack's addition, its IPv4 range (refused when NICs hold addresses outside the new one).",
            access = Access.ADMIN, response = "network", event = "NETWORK.UPDATE")
    record UpdateNetwork(
            @Param(description = "the ID of the network", entity = Entity.NETWORK) String id,
            @Param(description = "the new name for the network", column = "networks.name") Optional<String> name,
            @Param(description = "the new display text for the network", column = "networks.display_text")
            Optional<String> displayText,
            @Param(description = "rbdstack: the new beginning IP address of the range", format = Format.IPV4,
                    length = 15, column = "networks.ip4_start") Optional<String> startIp,
            @Param(description = "rbdstack: the new ending IP address of the range", format = Format.IPV4,
                    length = 15, column = "networks.ip4_end") Optional<String> endIp,
            @Param(description = "network domain", length = 190, column = "networks.network_domain")
            Optional<String> networkDomain,
            @Param(description = "a dual-stack network's /64 stays as created: only its current value is taken",
                    length = 64, column = "networks.ip6_cidr") Optional<String> ip6Cidr,
            @Param(description = "a dual-stack network's IPv6 gateway stays as created: only its current value is"
                    + " taken", length = 64, column = "networks.ip6_gateway") Optional<String> ip6Gateway)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            GuestNetwork network = deps.network(id);
            NetworkRepository.NetworkUpdate update = update(network);
            return new AsyncStart("Network", network.uuid(), progress -> {
                deps.networks().update(deps.network(id), update);
                return ApiJson.object("network", deps.network(id).view(true));
            });
        }

        /** Checked before the job is started, so a bad value is refused at once. */
        private NetworkRepository.NetworkUpdate update(GuestNetwork network) {
            Ipv6Addressing.refuseChange("ip6cidr", ip6Cidr, network.dualStack() ? network.ipv6().cidr() : null);
            Ipv6Addressing.refuseChange("ip6gateway", ip6Gateway, network.dualStack() ? network.ipv6().gateway() : null);
            Optional<String> newName = name.map(String::trim);
            if (newName.filter(String::isEmpty).isPresent()) {
                throw ApiException.invalidParameter("Invalid value for parameter name: a network needs a name");
            }
            Optional<GuestSubnet> range = startIp.isPresent() || endIp.isPresent()
                    ? Optional.of(GuestSubnet.checked(network.gateway(), network.netmask(),
                    startIp.orElse(network.ip4Start()), endIp.orElse(network.ip4End())))
                    : Optional.empty();
            return new NetworkRepository.NetworkUpdate(newName, displayText, range,
                    networkDomain.map(NetworkCommands::checkedNetworkDomain));
        }
    }

    @Command(name = "deleteNetwork", description = "Deletes a network; refused (536) while VMs have NICs on it.",
            access = Access.ADMIN, response = "success", event = "NETWORK.DELETE")
    record DeleteNetwork(
            @Param(description = "the ID of the network", entity = Entity.NETWORK) String id,
            @Param(description = "ignored: a network with NICs is never deleted") Optional<Boolean> forced)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            GuestNetwork network = deps.network(id);
            // Refused at once when VMs are on it; the job checks again under the row's lock.
            deps.networks().refuseDeletingWhileUsed(network);
            return new AsyncStart("Network", network.uuid(), progress -> {
                deps.networks().delete(network);
                return ApiJson.success();
            });
        }
    }
}
