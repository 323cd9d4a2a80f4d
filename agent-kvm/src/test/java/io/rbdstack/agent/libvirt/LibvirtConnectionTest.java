package io.rbdstack.agent.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

class LibvirtConnectionTest {

    private final Deque<Connect> connects = new ArrayDeque<>();
    private final AtomicInteger opens = new AtomicInteger();
    private final LibvirtConnection connection = new LibvirtConnection("test:///x", uri -> {
        opens.incrementAndGet();
        Connect next = connects.poll();
        if (next == null) {
            throw libvirtError();
        }
        return next;
    });

    /** A real exception (a mocked Throwable has no stack trace and breaks reporting). */
    private static LibvirtException libvirtError() {
        try {
            var constructor = LibvirtException.class.getDeclaredConstructor(org.libvirt.Error.class);
            constructor.setAccessible(true);
            return constructor.newInstance(new org.libvirt.Error(new org.libvirt.jna.virError()));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Connect alive() throws LibvirtException {
        Connect connect = mock(Connect.class);
        when(connect.isAlive()).thenReturn(true);
        return connect;
    }

    @Test
    void opensOnceAndReusesTheConnection() throws Exception {
        Connect first = alive();
        connects.add(first);
        assertSame(first, connection.call(c -> c));
        assertSame(first, connection.call(c -> c));
        assertEquals(1, opens.get());
    }

    @Test
    void aFailureOnALiveConnectionIsTheCallersProblem() throws Exception {
        connects.add(alive());
        LibvirtException failure = libvirtError();
        assertSame(failure, assertThrows(LibvirtException.class, () -> connection.call(c -> {
            throw failure;
        })));
        assertEquals(1, opens.get(), "no reconnect for an ordinary error");
    }

    @Test
    void aCallThatFailsOnADeadConnectionReconnectsRunsAgainAndTellsTheListeners() throws Exception {
        Connect dead = mock(Connect.class);
        when(dead.isAlive()).thenReturn(false); // libvirtd went away after the first call
        Connect fresh = alive();
        connects.add(dead);
        connects.add(fresh);
        CountDownLatch reconnected = new CountDownLatch(1);
        connection.addReconnectListener(reconnected::countDown);
        connection.call(c -> c);

        AtomicInteger attempts = new AtomicInteger();
        Connect used = connection.call(c -> {
            if (attempts.incrementAndGet() == 1) {
                throw libvirtError();
            }
            return c;
        });
        assertSame(fresh, used);
        assertEquals(2, attempts.get());
        verify(dead).close();
        assertTrue(reconnected.await(5, TimeUnit.SECONDS));
    }

    @Test
    void checkReportsADownLibvirtdAndReconnectsWhenItIsBack() throws Exception {
        Connect dead = mock(Connect.class);
        when(dead.getLibVersion()).thenThrow(libvirtError());
        when(dead.isAlive()).thenReturn(false);
        connects.add(dead);
        CountDownLatch reconnected = new CountDownLatch(1);
        connection.addReconnectListener(reconnected::countDown);

        assertFalse(connection.check(), "the only connection is dead and no new one opens");
        assertFalse(reconnected.await(50, TimeUnit.MILLISECONDS));
        connects.add(alive());
        assertTrue(connection.check());
        assertTrue(reconnected.await(5, TimeUnit.SECONDS), "back after having been connected: a reconnect");
    }
}
