package io.rbdstack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * createDiskOffering / listDiskOfferings against the real DB, and the createVolume refusals that need
 * no storage (volumes on real Ceph: agent-kvm's RbdVolumesIT).
 */
class DiskOfferingApiIT {

    private static final long GB = 1L << 30;

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static ApiClient user;

    @BeforeAll
    static void start() throws Exception {
        ApiClient.Reply account = cloud.admin().call("createAccount", "username", "alice", "password", "alice-pw",
                "email", "alice@example.com", "firstname", "Alice", "lastname", "A");
        assertEquals(200, account.status(), account.body());
        user = ApiClient.login(cloud.baseUrl(), "alice", "alice-pw");
    }

    @Test
    void fixedAndCustomizedOfferingsWithCloudStacksFields() throws Exception {
        JsonNode fixed = create("name", "small", "displaytext", "Small disk", "disksize", "5", "tags", "ssd, rbd",
                "provisioningtype", "thin");
        assertEquals("small", fixed.get("name").asText());
        assertEquals("Small disk", fixed.get("displaytext").asText());
        assertEquals(5, fixed.get("disksize").asLong());
        assertFalse(fixed.get("iscustomized").asBoolean());
        assertEquals("ssd,rbd", fixed.get("tags").asText());
        assertEquals("thin", fixed.get("provisioningtype").asText());
        assertEquals("shared", fixed.get("storagetype").asText());
        assertTrue(fixed.get("created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}"),
                fixed.toString());
        assertTrue(fixed.get("id").asText().matches("[0-9a-f-]{36}"));

        JsonNode custom = create("name", "custom", "customized", "true");
        assertTrue(custom.get("iscustomized").asBoolean());
        assertEquals(0, custom.get("disksize").asLong());
        assertEquals("custom", custom.get("displaytext").asText(), "displaytext defaults to the name");
        assertFalse(custom.has("tags"));

        JsonNode listed = cloud.admin().call("listDiskOfferings", "id", fixed.get("id").asText())
                .response("listDiskOfferings");
        assertEquals(1, listed.get("count").asInt());
        assertEquals(fixed, listed.get("diskoffering").get(0));
    }

    @Test
    void refusalsNameWhatIsWrong() throws Exception {
        assertRefused("Disksize is required for a non-customized disk offering", "name", "nosize");
        assertRefused("Disksize is not allowed for a customized disk offering", "name", "both", "customized", "true",
                "disksize", "2");
        assertRefused("Please specify a disk size of at least 1 GB (parameter disksize).", "name", "zero",
                "disksize", "0");
        assertRefused("The maximum size for a disk is 2000 GB (storage.max.volume.size; parameter disksize).", "name",
                "huge", "disksize", "2001");
        assertRefused("Invalid value 'fat' for parameter provisioningtype: RBD images are always thin-provisioned, so"
                + " only thin is offered", "name", "fat", "disksize", "1", "provisioningtype", "fat");
        assertRefused("Invalid value 'local' for parameter storagetype: only shared (primary storage pools) is"
                + " supported", "name", "local", "disksize", "1", "storagetype", "local");
        ApiClient.Reply notNumber = cloud.admin().call("createDiskOffering", "name", "x", "disksize", "ten");
        assertEquals(431, notNumber.status());
        assertEquals(0, cloud.admin().call("listDiskOfferings", "name", "fat").response("listDiskOfferings").size());
    }

    @Test
    void usersListOfferingsButOnlyAdminsCreateThem() throws Exception {
        String id = create("name", "for-users", "disksize", "1").get("id").asText();
        JsonNode seen = user.call("listDiskOfferings", "id", id).response("listDiskOfferings");
        assertEquals(1, seen.get("count").asInt());
        ApiClient.Reply denied = user.call("createDiskOffering", "name", "mine", "disksize", "1");
        assertEquals(432, denied.status(), denied.body());
    }

    @Test
    void keywordAndPaging() throws Exception {
        for (int i = 1; i <= 3; i++) {
            create("name", "paged-" + i, "disksize", String.valueOf(i));
        }
        JsonNode page1 = cloud.admin().call("listDiskOfferings", "keyword", "paged-", "page", "1", "pagesize", "2")
                .response("listDiskOfferings");
        assertEquals(3, page1.get("count").asInt());
        assertEquals(2, page1.get("diskoffering").size());
        assertEquals("paged-1", page1.get("diskoffering").get(0).get("name").asText());
        JsonNode page2 = cloud.admin().call("listDiskOfferings", "keyword", "paged-", "page", "2", "pagesize", "2")
                .response("listDiskOfferings");
        assertEquals(1, page2.get("diskoffering").size());
        assertEquals("paged-3", page2.get("diskoffering").get(0).get("name").asText());
        assertEquals(3, page2.get("diskoffering").get(0).get("disksize").asLong());
    }

    @Test
    void createVolumeRefusalsBeforeAnyStorageIsAsked() throws Exception {
        String zone = cloud.admin().call("createZone", "name", "no-storage", "dns1", "8.8.8.8", "internaldns1",
                "10.0.0.2", "networktype", "Advanced").response("createZone").get("zone").get("id").asText();
        String fixed = create("name", "fixed-2", "disksize", "2").get("id").asText();
        String custom = create("name", "custom-any", "customized", "true").get("id").asText();

        assertVolumeRefused(431, "Give a disk offering (parameter diskofferingid) or a size in GB (parameter size)",
                "zoneid", zone);
        assertVolumeRefused(431, "This disk offering does not allow custom size: disk offering fixed-2 has 2 GB"
                + " (parameter size)", "zoneid", zone, "diskofferingid", fixed, "size", "3");
        assertVolumeRefused(431, "This disk offering requires a custom size specified (parameter size, in GB)",
                "zoneid", zone, "diskofferingid", custom);
        assertVolumeRefused(431, "Volume size: 1025GB is out of allowed range. Max: 1024 Min:1 (parameter size)",
                "zoneid", zone, "size", "1025");
        assertVolumeRefused(431, "Volume size: 0GB is out of allowed range. Max: 1024 Min:1 (parameter size)",
                "zoneid", zone, "diskofferingid", custom, "size", "0");
        assertVolumeRefused(431, "Missing parameter zoneid: the zone the volume is created in", "size", "1");
        // A zone without primary storage: nothing can hold the volume, and nothing is saved.
        assertVolumeRefused(533, "No Up primary storage pool in zone no-storage can take a volume of 2 GB (2147483648"
                + " bytes): the zone has none", "zoneid", zone, "diskofferingid", fixed);
        assertEquals(0, cloud.admin().call("listVolumes", "listall", "true", "zoneid", zone)
                .response("listVolumes").size());

        String never = java.util.UUID.randomUUID().toString();
        ApiClient.Reply unknown = cloud.admin().call("resizeVolume", "id", never, "size", "2");
        assertEquals(431, unknown.status());
        assertTrue(unknown.response("resizeVolume").get("errortext").asText().contains("Invalid parameter id value="
                + never + " due to incorrect long value format, or entity does not exist"));
    }

    @Test
    void qosFieldsAreStoredAndShownAsCloudStackNamesThem() throws Exception {
        JsonNode qos = create("name", "qos", "disksize", "1", "miniops", "100", "maxiops", "500", "bytesreadrate",
                "1048576", "byteswriterate", "2097152", "iopsreadrate", "300", "iopswriterate", "400");
        assertEquals(100, qos.get("miniops").asLong());
        assertEquals(500, qos.get("maxiops").asLong());
        assertFalse(qos.get("iscustomizediops").asBoolean());
        assertEquals(1048576, qos.get("diskBytesReadRate").asLong());
        assertEquals(2097152, qos.get("diskBytesWriteRate").asLong());
        assertEquals(300, qos.get("diskIopsReadRate").asLong());
        assertEquals(400, qos.get("diskIopsWriteRate").asLong());
        assertEquals("Active", qos.get("state").asText());
        assertEquals(qos, cloud.admin().call("listDiskOfferings", "id", qos.get("id").asText())
                .response("listDiskOfferings").get("diskoffering").get(0));
        JsonNode perVolume = create("name", "custom-iops", "disksize", "1", "customizediops", "true");
        assertTrue(perVolume.get("iscustomizediops").asBoolean());
        assertFalse(perVolume.has("miniops"));

        assertRefused("Min/max IOPS are chosen per volume for a disk offering with customizediops=true: leave out"
                + " parameters miniops and maxiops", "name", "both-iops", "disksize", "1", "customizediops", "true",
                "miniops", "10");
        assertRefused("The min IOPS must be less than or equal to the max IOPS (parameters miniops 600, maxiops 500)",
                "name", "upside-down", "disksize", "1", "miniops", "600", "maxiops", "500");
        assertEquals(431, cloud.admin().call("createDiskOffering", "name", "zero-rate", "disksize", "1",
                "bytesreadrate", "0").status());
    }

    @Test
    void updateChangesNameTextTagsAndThrottles() throws Exception {
        String id = create("name", "to-update", "disksize", "3", "tags", "a").get("id").asText();
        ApiClient.Reply reply = cloud.admin().call("updateDiskOffering", "id", id, "name", "updated",
                "displaytext", "Updated disk", "tags", "b,c", "iopswriterate", "50");
        assertEquals(200, reply.status(), reply.body());
        JsonNode updated = reply.response("updateDiskOffering").get("diskoffering");
        assertEquals("updated", updated.get("name").asText());
        assertEquals("Updated disk", updated.get("displaytext").asText());
        assertEquals("b,c", updated.get("tags").asText());
        assertEquals(50, updated.get("diskIopsWriteRate").asLong());
        assertEquals(3, updated.get("disksize").asLong(), "the size is not updatable");
        assertEquals(432, user.call("updateDiskOffering", "id", id, "name", "mine").status());
    }

    @Test
    void aDeletedOfferingIsNoLongerOfferedButItsVolumesKeepIt() throws Exception {
        String id = create("name", "retired", "disksize", "1").get("id").asText();
        String zone = cloud.admin().call("createZone", "name", "retire-zone", "dns1", "8.8.8.8", "internaldns1",
                "10.0.0.2", "networktype", "Advanced").response("createZone").get("zone").get("id").asText();
        String volume = java.util.UUID.randomUUID().toString();
        try (java.sql.Connection c = cloud.db().connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                    + " host_address, path, status, created) SELECT UUID(), 'retire-pool', 'RBD', 'ZONE', id, 'RBD',"
                    + " 'mon', 'rbd', 'Maintenance', UTC_TIMESTAMP() FROM data_center WHERE uuid = '" + zone + "'");
            s.execute("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id,"
                    + " disk_offering_id, volume_type, size, state, created) SELECT '" + volume + "', 'kept', 1, 1,"
                    + " p.data_center_id, p.id, o.id, 'DATADISK', 1073741824, 'Ready', UTC_TIMESTAMP()"
                    + " FROM storage_pool p JOIN disk_offering o ON o.uuid = '" + id + "' WHERE p.name = 'retire-pool'");
        }
        assertEquals(432, user.call("deleteDiskOffering", "id", id).status());
        ApiClient.Reply deleted = cloud.admin().call("deleteDiskOffering", "id", id);
        assertEquals(200, deleted.status(), deleted.body());
        assertTrue(deleted.response("deleteDiskOffering").get("success").asBoolean());

        assertEquals(0, cloud.admin().call("listDiskOfferings", "id", id).response("listDiskOfferings").size());
        assertVolumeRefused(431, "Please specify a valid disk offering: no disk offering with id " + id
                + " (parameter diskofferingid)", "zoneid", zone, "diskofferingid", id);
        JsonNode kept = cloud.admin().call("listVolumes", "id", volume).response("listVolumes").get("volume").get(0);
        assertEquals(id, kept.get("diskofferingid").asText());
        assertEquals("retired", kept.get("diskofferingname").asText());
        ApiClient.Reply again = cloud.admin().call("deleteDiskOffering", "id", id);
        assertEquals(431, again.status(), "already deleted");
    }

    @Test
    void theNewSettingsAreListed() throws Exception {
        for (String name : new String[] {"storage.volume.deferred.delete.seconds", "custom.diskoffering.size.min",
                "custom.diskoffering.size.max", "storage.max.volume.size"}) {
            JsonNode listed = cloud.admin().call("listConfigurations", "name", name).response("listConfigurations");
            assertEquals(1, listed.get("count").asInt(), name);
        }
        ApiClient.Reply bad = cloud.admin().call("updateConfiguration", "name", "storage.volume.deferred.delete.seconds",
                "value", "soon");
        assertEquals(431, bad.status(), bad.body());
    }

    private static JsonNode create(String... params) throws Exception {
        ApiClient.Reply reply = cloud.admin().call("createDiskOffering", params);
        assertEquals(200, reply.status(), reply.body());
        return reply.response("createDiskOffering").get("diskoffering");
    }

    private static void assertRefused(String message, String... params) throws Exception {
        ApiClient.Reply reply = cloud.admin().call("createDiskOffering", params);
        assertEquals(431, reply.status(), reply.body());
        assertEquals(message, reply.response("createDiskOffering").get("errortext").asText());
    }

    private static void assertVolumeRefused(int code, String message, String... params) throws Exception {
        ApiClient.Reply reply = cloud.admin().call("createVolume", params);
        assertEquals(code, reply.status(), reply.body());
        assertEquals(message, reply.response("createVolume").get("errortext").asText());
        assertFalse(reply.response("createVolume").has("jobid"));
    }
}
