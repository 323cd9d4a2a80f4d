package io.rbdstack.spi.agent.dhcp;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/**
 * What the host serves after an apply or a remove: how many networks, and how many reservations the
 * command's network now has (0 after a remove).
 */
@JsonTypeName("dhcp.network")
public record DhcpNetworkAnswer(boolean success, String details, int networks, int reservations) implements Answer {

    public static DhcpNetworkAnswer failed(String details) {
        return new DhcpNetworkAnswer(false, details, 0, 0);
    }
}
