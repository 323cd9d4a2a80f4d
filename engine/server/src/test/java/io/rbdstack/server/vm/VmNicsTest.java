package io.rbdstack.server.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The order of a running VM's NIC changes: the checks and each database change in short transactions under
 * the VM's row lock, the host's plug or unplug between them outside any transaction, and the whole job under
 * the VM's NIC lock, so that a concurrent change of the same VM's NICs cannot slip in between.
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
        vmNics = new VmNics(new Jdbc(dataSource), vms, vmVolumes, nics, agent, vmSnapshots, new InProcessLocks());
        when(vms.findById(VM_ID)).thenReturn(Optional.of(running));
        when(agent.send(any(), any(), any(), any(), eq(GenericAnswer.class))).thenReturn(GenericAnswer.ok());
    }

    @Test
    void aRunningVmsNicIsCheckedThenUnpluggedOutsideAnyTransactionThenRemoved() throws Exception {
        when(nics.nicsOf(List.of(VM_ID))).thenReturn(Map.of(VM_ID, List.of(nic("nic-0", true), nic("nic-1", false))));

        vmNics.remove(running, "nic-1");

        InOrder order = inOrder(vmVolumes, nics, agent, connection);
        order.verify(vmVolumes).lockVm(VM_ID);
        order.verify(connection).commit();
        order.verify(nics).nicsOf(List.of(VM_ID));
        order.verify(agent).send(eq("host-uuid"), eq("kvm1"), argThat(c -> c instanceof UnplugNicCommand u
                && u.nic().mac().equals("02:00:00:00:00:01")), any(), eq(GenericAnswer.class));
        order.verify(vmVolumes).lockVm(VM_ID);
        order.verify(nics).remove(VM_ID, "nic-1");
        order.verify(connection).commit();
        order.verify(nics).placementChanged(VM_ID);
    }

    // A concurrent updateDefaultNicForVirtualMachine made the NIC the default after the request's checks:
    // the job refuses it before the guest loses it.
    @Test
    void aNicMadeTheDefaultMeanwhileIsNeitherUnpluggedNorRemoved() {
        when(nics.nicsOf(List.of(VM_ID))).thenReturn(Map.of(VM_ID, List.of(nic("nic-0", false), nic("nic-1", true))));

        ApiException refused = assertThrows(ApiException.class, () -> vmNics.remove(running, "nic-1"));

        assertTrue(refused.getMessage().contains("nic is default (parameter nicid)"), refused.getMessage());
        verify(agent, never()).send(any(), any(), any(), any(), any());
        verify(nics, never()).remove(anyLong(), any());
    }

    @Test
    void aNicIsRecordedThenPluggedOutsideTheTransaction() throws Exception {
        GuestNic added = nic("nic-1", false);
        when(nics.allocate(eq(VM_ID), anyLong(), anyLong(), any())).thenReturn(List.of(added));
        when(nics.nicsOf(List.of(VM_ID))).thenReturn(Map.of(VM_ID, List.of(nic("nic-0", true))));

        vmNics.add(running, "net-1", Optional.empty(), Optional.empty());

        InOrder order = inOrder(vmVolumes, agent, connection, nics);
        order.verify(vmVolumes).lockVm(VM_ID);
        order.verify(nics).allocate(eq(VM_ID), anyLong(), anyLong(), any());
        order.verify(connection).commit();
        order.verify(agent).send(any(), any(), argThat(c -> c instanceof PlugNicCommand), any(),
                eq(GenericAnswer.class));
        order.verify(nics).placementChanged(VM_ID);
        verify(nics, never()).remove(anyLong(), any());
    }

    @Test
    void aFailedPlugRemovesTheRecordedNicAgainAndSaysWhy() {
        GuestNic added = nic("nic-1", false);
        when(nics.allocate(eq(VM_ID), anyLong(), anyLong(), any())).thenReturn(List.of(added));
        when(nics.nicsOf(List.of(VM_ID))).thenReturn(Map.of(VM_ID, List.of(nic("nic-0", true))));
        when(agent.send(any(), any(), argThat(c -> c instanceof PlugNicCommand), any(), eq(GenericAnswer.class)))
                .thenThrow(ApiException.internal("the bridge is gone", null));

        ApiException failed = assertThrows(ApiException.class,
                () -> vmNics.add(running, "net-1", Optional.empty(), Optional.empty()));

        assertTrue(failed.getMessage().contains("Unable to add NIC to VM vm1 in network network nic-1; the bridge is gone"),
                failed.getMessage());
        verify(nics).remove(VM_ID, "nic-1");
        verify(nics).placementChanged(VM_ID);
    }

    // The race the NIC lock closes: a NIC made the default while it is being unplugged.
    @Test
    void anotherNicChangeOfTheSameVmWaitsUntilAnUnplugIsDone() throws Exception {
        AtomicBoolean removed = new AtomicBoolean();
        when(nics.nicsOf(List.of(VM_ID))).thenAnswer(call -> Map.of(VM_ID, removed.get()
                ? List.of(nic("nic-0", true)) : List.of(nic("nic-0", true), nic("nic-1", false))));
        doAnswer(call -> {
            removed.set(true);
            return null;
        }).when(nics).remove(VM_ID, "nic-1");
        CountDownLatch unplugging = new CountDownLatch(1);
        CountDownLatch guestReleased = new CountDownLatch(1);
        when(agent.send(any(), any(), argThat(c -> c instanceof UnplugNicCommand), any(), eq(GenericAnswer.class)))
                .thenAnswer(call -> {
                    unplugging.countDown();
                    assertTrue(guestReleased.await(10, TimeUnit.SECONDS));
                    return GenericAnswer.ok();
                });
        Thread remove = new Thread(() -> vmNics.remove(running, "nic-1"));
        remove.start();
        assertTrue(unplugging.await(10, TimeUnit.SECONDS));
        AtomicReference<Throwable> madeDefault = new AtomicReference<>();
        Thread makeDefault = new Thread(() -> {
            try {
                vmNics.makeDefault(running, "nic-1");
            } catch (Throwable e) {
                madeDefault.set(e);
            }
        });
        makeDefault.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (makeDefault.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        assertEquals(Thread.State.WAITING, makeDefault.getState(), "makeDefault waits for the unplug");
        verify(nics, never()).makeDefault(anyLong(), any());
        guestReleased.countDown();
        remove.join(10_000);
        makeDefault.join(10_000);
        verify(nics).remove(VM_ID, "nic-1");
        verify(nics, never()).makeDefault(anyLong(), any());
        assertTrue(madeDefault.get() instanceof ApiException, "the removed NIC is refused: " + madeDefault.get());
    }

    /** The lock's contract in one JVM (DatabaseVmNicLocksIT tests the database's across connections). */
    private static final class InProcessLocks implements VmNicLocks {
        private final ReentrantLock lock = new ReentrantLock(true);

        @Override
        public <T> T holding(long vmId, Supplier<T> work) {
            lock.lock();
            try {
                return work.get();
            } finally {
                lock.unlock();
            }
        }
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
