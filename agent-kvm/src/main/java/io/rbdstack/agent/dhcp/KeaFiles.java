package io.rbdstack.agent.dhcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where this host's Kea keeps its files, all in the agent's DHCP directory (mode 700): the generated
 * configuration, the memfile lease database, the server DUID (Kea's data directory), its pid and lock
 * files and its log; the control socket where {@code dhcp.control.socket} says.
 */
public record KeaFiles(Path dir, Path controlSocket, Path leaseCommandsHook) {

    /** Kea's lease_cmds hook as Debian installs it: lease6-del frees the address of a reservation that went. */
    public static final Path DEBIAN_LEASE_COMMANDS = Path.of("/usr/lib/x86_64-linux-gnu/kea/hooks/libdhcp_lease_cmds.so");

    public KeaFiles(Path dir, Path controlSocket) {
        this(dir, controlSocket, DEBIAN_LEASE_COMMANDS);
    }

    public Path config() {
        return dir.resolve("kea-dhcp6.conf");
    }

    public Path leases() {
        return dir.resolve("kea-leases6.csv");
    }

    public Path log() {
        return dir.resolve("kea-dhcp6.log");
    }

    /** Kea names its pid file after the configuration file: {@code <config name>.kea-dhcp6.pid}. */
    public Path pidFile() {
        return dir.resolve("kea-dhcp6.kea-dhcp6.pid");
    }

    /** Removes the lease files (Kea stopped: no network is served, its leases mean nothing any more). */
    public void deleteLeases() {
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("kea-leases6.csv")).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing served yet
        } catch (IOException e) {
            throw new DhcpException("cannot delete the lease files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory, created private when missing. */
    public void ensureDir() {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new DhcpException("cannot create the DHCP directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes a file readable by root only, replacing the old one in one step. */
    public static void writePrivate(Path file, byte[] content) {
        try {
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".new",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DhcpException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Kea writes its configuration with the process umask: make it private again. */
    public static void makePrivate(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new DhcpException("cannot make " + file + " private: " + e.getMessage(), e);
        }
    }
}
