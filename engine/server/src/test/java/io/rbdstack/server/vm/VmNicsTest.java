package io.rbdstack.server.vm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.network.GuestNic;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.vm.PlugNicCommand;
import io.rbdstack.spi.agent.vm.UnplugNicCommand;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The order of a running VM's NIC changes: the checks, the hot-plug or unplug and the database change all
 * under the VM's row lock, so that a concurrent change of the same VM's NICs cannot slip in between.
 */
class VmNicsTest {

    private static final long VM_ID = 7;

    private final Connection connection = mock(Connection.class);
    private final VmRepository vms = mock(VmRepository.class);
    private final VmVolumes vmVolumes = mock(VmVolumes.class);
    private final GuestNics nics = mock(GuestNics.class);
    private final VmAgent agent = mock(VmAgent.class);
    private final VmSnapshotRepository vmSnapshots = mock(VmSnapshotRepository.class);
    private final VmRepository.VmRow running = vm(VmState.Running);
    private VmNics vmNics;

    @BeforeEach
    void wire() throws Exception {
        DataSource dataSource = mock(DataSource.class);
        when(dataSource.getConnection()).thenReturn(connection);
        vmNics = new VmNics(new Jdbc(dataSource), vms, vmVolumes, nics, agent, vmSnapshots);
        when(vms.findById(VM_ID)).thenReturn(Optional.of(running));
        when(agent.send(any(), any(), any(), any(), eq(GenericAnswer.class))).thenReturn(GenericAnswer.ok());
    }

    @Test
    void aRunningVmsNicIsUnpluggedUnderTheVmLockAfterTheChecksThenRemovedInTheSameTransaction() throws Exception {
        when(nics.nicsOf(List.of(VM_ID))).thenReturn(Map.of(VM_ID, List.of(nic("nic-0", true), nic("nic-1", false))));

        vmNics.remove(running, "nic-1");

        InOrder order = inOrder(vmVolumes, nics, agent, connection);
        order.verify(vmVolumes).lockVm(VM_ID);
        order.verify(nics).nicsOf(List.of(VM_ID));
        order.verify(agent).send(eq("host-uuid"), eq("kvm1"), argThat(c -> c instanceof UnplugNicCommand u
                && u.nic().mac().equals("02:00:00:00:00:01")), any(), eq(GenericAnswer.class));
        order.verify(nics).remove(VM_ID, "nic-1");
        order.verify(connection).commit();
        order.verify(nics).placementChanged(VM_ID);
    }

    // A concurrent updateDefaultNicForVirtualMachine made the NIC the default after the request's checks:
    // the job refuses it before the guest loses it (it used to unplug it first, then keep it in the database).
    @Test
    void aNicMadeTheDefaultMeanwhileIsNeitherUnpluggedNorRemoved() {
        when(nics.nicsOf(List.of(VM_ID))).thenReturn(Map.of(VM_ID, List.of(nic("nic-0", false), nic("nic-1", true))));

        ApiException refused = assertThrows(ApiException.class, () -> vmNics.remove(running, "nic-1"));

        assertTrue(refused.getMessage().contains("nic is default (parameter nicid)"), refused.getMessage());
        verify(agent, never()).send(any(), any(), any(), any(), any());
        verify(nics, never()).remove(anyLong(), any());
    }

    @Test
    void aPlugRunsUnderTheVmLock() throws Exception {
        GuestNic added = nic("nic-1", false);
        when(nics.allocate(eq(VM_ID), anyLong(), anyLong(), any())).thenReturn(List.of(added));
        when(nics.nicsOf(List.of(VM_ID))).thenReturn(Map.of(VM_ID, List.of(nic("nic-0", true))),
                Map.of(VM_ID, List.of(nic("nic-0", true), added)));

        vmNics.add(running, "net-1", Optional.empty(), Optional.empty());

        InOrder order = inOrder(vmVolumes, agent, connection, nics);
        order.verify(vmVolumes).lockVm(VM_ID);
        order.verify(nics).allocate(eq(VM_ID), anyLong(), anyLong(), any());
        order.verify(connection).commit();
        order.verify(vmVolumes).lockVm(VM_ID);
        order.verify(agent).send(any(), any(), argThat(c -> c instanceof PlugNicCommand), any(),
                eq(GenericAnswer.class));
        order.verify(connection).commit();
        order.verify(nics).placementChanged(VM_ID);
    }

    // A concurrent removeNicFromVirtualMachine took the NIC between its allocation and its plug: the plug
    // would give the guest a NIC the database no longer has.
    @Test
    void aNicRemovedBeforeItsPlugIsNotPlugged() {
        GuestNic added = nic("nic-1", false);
        when(nics.allocate(eq(VM_ID), anyLong(), anyLong(), any())).thenReturn(List.of(added));
        when(nics.nicsOf(List.of(VM_ID))).thenReturn(Map.of(VM_ID, List.of(nic("nic-0", true))));

        vmNics.add(running, "net-1", Optional.empty(), Optional.empty());

        verify(agent, never()).send(any(), any(), argThat(c -> c instanceof PlugNicCommand), any(), any());
    }

    private static GuestNic nic(String uuid, boolean isDefault) {
        String mac = "02:00:00:00:00:0" + uuid.charAt(uuid.length() - 1);
        return new GuestNic(uuid, VM_ID, "net-" + uuid, "network " + uuid, 0, isDefault, mac, "10.0.0.5",
                "255.255.255.0", "10.0.0.1", null, null, null, "vlan://untagged", null, "cloudbr0", "eth0");
    }

    private static VmRepository.VmRow vm(VmState state) {
        return new VmRepository.VmRow(VM_ID, "vm-uuid", "vm1", "vm1", "i-2-7-VM", state, 1, 2, "acc-uuid", "admin", 1,
                "dom-uuid", "ROOT", 1, "zone-uuid", "z1", 3L, "host-uuid", "kvm1", 3L, 1, 500, 512, 4L, "off-uuid",
                "tiny", 5L, "tmpl-uuid", "tmpl", "tmpl", "os-uuid", true, false, "PowerOn", null, Instant.now());
    }
}
