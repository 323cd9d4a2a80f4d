package io.rbdstack.agent.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.libvirt.LibvirtXml;
import io.rbdstack.agent.libvirt.RbdPoolDefinition;
import io.rbdstack.spi.agent.vm.VmDisk;
import io.rbdstack.spi.agent.vm.VmNic;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainXmlTest {

    private static final String KEY = "AQBzN0RjAAAAABAAsz3wh1xq2RQ5W4cC1jXG+g==";
    private static final RbdPoolDefinition POOL = new RbdPoolDefinition("p-uuid", "p-uuid",
            List.of(new CephMonitor("10.0.0.1", 6789), new CephMonitor("fd00::2", 3300)), "rbd", "rbdstack",
            "5e1b6c0e-0000-3000-8000-00000000000a");
    private static final DomainOwner OWNER = new DomainOwner("host-uuid-1", "2f0c5a3e-1111-4222-8333-444455556666");

    private static DomainXml.Spec spec(List<ResolvedDisk> disks, List<VmNic> nics) {
        return new DomainXml.Spec("qemu", "i-2-7-VM", OWNER.vmUuid(), OWNER, 1, 1500, 192, disks, nics,
                Path.of("/var/log/rbdstack/console/i-2-7-VM.console.log"));
    }

    private static ResolvedDisk disk(int deviceId, String volumeUuid) {
        return new ResolvedDisk(new VmDisk(deviceId, volumeUuid, "p-uuid", volumeUuid, deviceId == 0 ? "ROOT" : "DATADISK"),
                POOL);
    }

    @Test
    void aVmWithARootDiskAndANicIsExactlyThisDomain() {
        String xml = DomainXml.domain(spec(List.of(disk(0, "0b7f8a52-5b8e-4f5e-9d3c-6a2e1f0c9b11")),
                List.of(new VmNic(0, "02:00:12:34:56:78", "cloudbr0", null, null, "10.1.1.5", null))));
        assertEquals("""
                <domain type='qemu'>
                  <name>i-2-7-VM</name>
                  <uuid>2f0c5a3e-1111-4222-8333-444455556666</uuid>
                  <metadata><rbdstack:vm xmlns:rbdstack='https://rbdstack.io/xmlns/libvirt/vm/1' host='host-uuid-1' vm='2f0c5a3e-1111-4222-8333-444455556666'/></metadata>
                  <memory unit='MiB'>192</memory>
                  <vcpu>1</vcpu>
                  <cputune><shares>1500</shares></cputune>
                  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
                  <features><acpi/><apic/></features>
                  <clock offset='utc'/>
                  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
                  <devices>
                    <disk type='network' device='disk'>
                      <driver name='qemu' type='raw' cache='none' discard='unmap'/>
                      <auth username='rbdstack'><secret type='ceph' uuid='5e1b6c0e-0000-3000-8000-00000000000a'/></auth>
                      <source protocol='rbd' name='rbd/0b7f8a52-5b8e-4f5e-9d3c-6a2e1f0c9b11'><host name='10.0.0.1' port='6789'/><host name='fd00::2' port='3300'/></source>
                      <target dev='vda' bus='virtio'/>
                      <serial>0b7f8a525b8e4f5e9d3c</serial>
                    </disk>
                    <interface type='bridge'><mac address='02:00:12:34:56:78'/><source bridge='cloudbr0'/><model type='virtio'/></interface>
                    <serial type='pty'><log file='/var/log/rbdstack/console/i-2-7-VM.console.log' append='off'/><target port='0'/></serial>
                    <console type='pty'><target type='serial' port='0'/></console>
                    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
                    <video><model type='none'/></video>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """, xml);
        assertFalse(xml.contains(KEY), "no key anywhere");
        assertFalse(xml.contains("<cpu>") || xml.contains("<cpu "), "QEMU's default CPU model: host-model and passthrough crash QEMU here");
        assertFalse(xml.contains("<graphics"), "nothing costly under emulation");
        LibvirtXml.parse(xml); // well-formed
    }

    @Test
    void disksAndNicsGoInDeviceOrderWithTargetsFromTheirDeviceIds() {
        String xml = DomainXml.domain(spec(List.of(disk(4, "v4"), disk(0, "v0"), disk(1, "v1")),
                List.of(new VmNic(1, "02:00:00:00:00:02", "br1", 100, "eth0", null, null),
                        new VmNic(0, "02:00:00:00:00:01", "br0", null, null, null, null))));
        assertTrue(xml.indexOf("rbd/v0") < xml.indexOf("rbd/v1") && xml.indexOf("rbd/v1") < xml.indexOf("rbd/v4"), xml);
        assertTrue(xml.contains("name='rbd/v4'><host name='10.0.0.1' port='6789'/><host name='fd00::2' port='3300'/>"
                + "</source>\n      <target dev='vde' bus='virtio'/>"), xml);
        assertTrue(xml.indexOf("02:00:00:00:00:01") < xml.indexOf("02:00:00:00:00:02"), xml);
    }

    @Test
    void aHotPluggedDiskIsTheSameDiskElement() {
        assertEquals("""
                <disk type='network' device='disk'>
                  <driver name='qemu' type='raw' cache='none' discard='unmap'/>
                  <auth username='rbdstack'><secret type='ceph' uuid='5e1b6c0e-0000-3000-8000-00000000000a'/></auth>
                  <source protocol='rbd' name='rbd/vol-1'><host name='10.0.0.1' port='6789'/><host name='fd00::2' port='3300'/></source>
                  <target dev='vdb' bus='virtio'/>
                  <serial>vol1</serial>
                </disk>
                """, DomainXml.disk(disk(1, "vol-1")));
    }

    @Test
    void valuesAreEscaped() {
        String xml = DomainXml.domain(new DomainXml.Spec("qemu", "i-1", "u", new DomainOwner("h'<&", "u"), 1, 1000, 128,
                List.of(), List.of(new VmNic(0, "02:00:00:00:00:01", "br'0", null, null, null, null)),
                Path.of("/tmp/a'b.log")));
        assertTrue(xml.contains("host='h&apos;&lt;&amp;'") && xml.contains("bridge='br&apos;0'")
                && xml.contains("file='/tmp/a&apos;b.log'"), xml);
        assertEquals(new DomainOwner("h'<&", "u"), DomainOwner.of(xml).orElseThrow(), "read back as written");
    }

    @Test
    void cpuSharesWeighCpusTimesSpeedWithinCgroupLimits() {
        assertEquals(4000, DomainXml.shares(2, 2000));
        assertEquals(2, DomainXml.shares(1, 0));
        assertEquals(262_144, DomainXml.shares(128, 4000));
    }

    @Test
    void targetsFollowCloudStackDeviceIds() {
        assertEquals("vda", DiskTargets.of(0));
        assertEquals("vdb", DiskTargets.of(1));
        assertEquals("vdc", DiskTargets.of(2));
        assertEquals("vde", DiskTargets.of(4));
        assertThrows(IllegalArgumentException.class, () -> DiskTargets.of(26));
        assertThrows(IllegalArgumentException.class, () -> DiskTargets.of(-1));
    }

    @Test
    void theOwnerIsReadFromLibvirtsXmlAndAbsentFromOthers() {
        // libvirt gives the metadata back with double quotes and its own indentation.
        String fromLibvirt = "<domain type=\"qemu\" id=\"3\"><name>i-1</name><metadata>\n"
                + "    <rbdstack:vm xmlns:rbdstack=\"https://rbdstack.io/xmlns/libvirt/vm/1\" host=\"h1\" vm=\"v1\"/>\n"
                + "  </metadata></domain>";
        assertEquals(new DomainOwner("h1", "v1"), DomainOwner.of(fromLibvirt).orElseThrow());
        assertTrue(DomainOwner.of("<domain type='qemu'><name>x</name></domain>").isEmpty());
        assertTrue(DomainOwner.of("<domain><metadata><other:vm xmlns:other='urn:x' host='h1'/></metadata></domain>")
                .isEmpty());
    }

    @Test
    void aDiskIsFoundByItsTarget() {
        String xml = "<domain><devices><disk><target dev='vda' bus='virtio'/></disk>"
                + "<disk><target dev='vdb' bus='virtio'/></disk></devices></domain>";
        assertTrue(DiskHotplug.hasTarget(xml, "vdb"));
        assertFalse(DiskHotplug.hasTarget(xml, "vdc"));
    }
}
