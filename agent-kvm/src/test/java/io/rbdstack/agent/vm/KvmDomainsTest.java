package io.rbdstack.agent.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rbdstack.spi.agent.vm.VmPowerState;
import org.junit.jupiter.api.Test;
import org.libvirt.DomainInfo.DomainState;

class KvmDomainsTest {

    @Test
    void aDomainThatRunsOrIsPausedForAMomentIsOnTheRestOff() {
        for (DomainState on : new DomainState[] {DomainState.VIR_DOMAIN_RUNNING, DomainState.VIR_DOMAIN_BLOCKED,
                DomainState.VIR_DOMAIN_PAUSED, DomainState.VIR_DOMAIN_SHUTDOWN, DomainState.VIR_DOMAIN_PMSUSPENDED}) {
            assertEquals(VmPowerState.POWER_ON, KvmDomains.powerState(on), on.name());
        }
        for (DomainState off : new DomainState[] {DomainState.VIR_DOMAIN_SHUTOFF, DomainState.VIR_DOMAIN_CRASHED,
                DomainState.VIR_DOMAIN_NOSTATE}) {
            assertEquals(VmPowerState.POWER_OFF, KvmDomains.powerState(off), off.name());
        }
    }
}
