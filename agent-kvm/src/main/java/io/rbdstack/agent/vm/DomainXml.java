package io.rbdstack.agent.vm;

import static io.rbdstack.agent.libvirt.LibvirtXml.escape;

import io.rbdstack.agent.libvirt.RbdPoolDefinition;
import io.rbdstack.spi.agent.vm.VmNic;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The libvirt XML of a VM's transient domain and of its RBD disks; pure, no libvirt calls.
 *
 * <p>Choices: no {@code <cpu>} element (host-model and host-passthrough crash QEMU on the hosts we
 * know, so QEMU's default model); ACPI and APIC (graceful power-off and PCI hot-plug need ACPI); the
 * i440fx machine, whose root bus hot-plugs; RBD disks authenticated by the pool's libvirt ceph
 * secret, so no key is in the XML or QEMU's argv; a serial console logged to a file by virtlogd; a
 * guest-agent channel; nothing costly under emulation (no graphics, video or balloon); CPU shares of
 * cpus × speed, as CloudStack weighs VMs against each other on a host.
 */
public final class DomainXml {

    /** Everything a domain is made of. */
    public record Spec(String domainType, String name, String vmUuid, DomainOwner owner, int cpus, int speedMhz,
                       int memoryMiB, List<ResolvedDisk> disks, List<VmNic> nics, Path consoleLog) {

        public Spec {
            Objects.requireNonNull(domainType, "domainType");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(vmUuid, "vmUuid");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(consoleLog, "consoleLog");
            disks = List.copyOf(disks);
            nics = List.copyOf(nics);
        }
    }

    private DomainXml() {
    }

    public static String domain(Spec spec) {
        StringBuilder xml = new StringBuilder()
                .append("<domain type='").append(escape(spec.domainType())).append("'>\n")
                .append("  <name>").append(escape(spec.name())).append("</name>\n")
                .append("  <uuid>").append(escape(spec.vmUuid())).append("</uuid>\n")
                .append("  <metadata>").append(spec.owner().toXml()).append("</metadata>\n")
                .append("  <memory unit='MiB'>").append(spec.memoryMiB()).append("</memory>\n")
                .append("  <vcpu>").append(spec.cpus()).append("</vcpu>\n")
                .append("  <cputune><shares>").append(shares(spec.cpus(), spec.speedMhz())).append("</shares></cputune>\n")
                .append("  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>\n")
                .append("  <features><acpi/><apic/></features>\n")
                .append("  <clock offset='utc'/>\n")
                .append("  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot>"
                        + "<on_crash>destroy</on_crash>\n")
                .append("  <devices>\n");
        spec.disks().stream().sorted(Comparator.comparingInt(d -> d.disk().deviceId()))
                .forEach(disk -> xml.append(indent(disk(disk))));
        spec.nics().stream().sorted(Comparator.comparingInt(VmNic::deviceId))
                .forEach(nic -> xml.append(indent(nic(nic))));
        String log = escape(spec.consoleLog().toString());
        return xml.append("    <serial type='pty'><log file='").append(log).append("' append='off'/>")
                .append("<target port='0'/></serial>\n")
                .append("    <console type='pty'><target type='serial' port='0'/></console>\n")
                .append("    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>\n")
                .append("    <video><model type='none'/></video>\n")
                .append("    <memballoon model='none'/>\n")
                .append("  </devices>\n")
                .append("</domain>\n")
                .toString();
    }

    /** An RBD disk, also as hot-plugged; the serial is the volume's uuid (virtio allows 20 characters). */
    public static String disk(ResolvedDisk disk) {
        RbdPoolDefinition pool = disk.pool();
        StringBuilder xml = new StringBuilder("<disk type='network' device='disk'>\n")
                .append("  <driver name='qemu' type='raw' cache='none' discard='unmap'/>\n")
                .append("  <auth username='").append(escape(pool.user())).append("'><secret type='ceph' uuid='")
                .append(escape(pool.secretUuid())).append("'/></auth>\n")
                .append("  <source protocol='rbd' name='").append(escape(pool.cephPool() + "/" + disk.disk().path()))
                .append("'>");
        for (CephMonitor monitor : pool.monitors()) {
            xml.append("<host name='").append(escape(monitor.host())).append("' port='").append(monitor.port())
                    .append("'/>");
        }
        return xml.append("</source>\n")
                .append("  <target dev='").append(disk.target()).append("' bus='virtio'/>\n")
                .append("  <serial>").append(escape(serial(disk.disk().volumeUuid()))).append("</serial>\n")
                .append("</disk>\n")
                .toString();
    }

    static String nic(VmNic nic) {
        return "<interface type='bridge'><mac address='" + escape(nic.mac()) + "'/><source bridge='"
                + escape(nic.bridge()) + "'/><model type='virtio'/></interface>\n";
    }

    /** cpus × MHz within what cgroups take (2 to 262144). */
    static long shares(int cpus, int speedMhz) {
        return Math.max(2, Math.min(262_144L, (long) cpus * speedMhz));
    }

    static String serial(String volumeUuid) {
        String bare = volumeUuid.replace("-", "");
        return bare.length() > 20 ? bare.substring(0, 20) : bare;
    }

    private static String indent(String element) {
        return element.lines().map(line -> "    " + line + "\n").reduce("", String::concat);
    }
}
