package io.rbdstack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The service offering commands against the real DB, with CloudStack's fields and rules. */
class ServiceOfferingApiIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static ApiClient user;

    @BeforeAll
    static void start() throws Exception {
        ApiClient.Reply account = cloud.admin().call("createAccount", "username", "sam", "password", "sam-pw",
                "email", "sam@example.com", "firstname", "Sam", "lastname", "S");
        assertEquals(200, account.status(), account.body());
        user = ApiClient.login(cloud.baseUrl(), "sam", "sam-pw");
    }

    @Test
    void aFixedOfferingHasCloudStacksFieldsAndIsListedAsCreated() throws Exception {
        JsonNode fixed = create("name", "small", "displaytext", "Small VM", "cpunumber", "2", "cpuspeed", "1000",
                "memory", "512", "rootdisksize", "8", "tags", "ssd, rbd", "hosttags", "kvm", "offerha", "true",
                "limitcpuuse", "true", "bytesreadrate", "1048576", "iopswriterate", "400");
        assertEquals("small", fixed.get("name").asText());
        assertEquals("Small VM", fixed.get("displaytext").asText());
        assertEquals(2, fixed.get("cpunumber").asInt());
        assertEquals(1000, fixed.get("cpuspeed").asInt());
        assertEquals(512, fixed.get("memory").asInt());
        assertEquals(8, fixed.get("rootdisksize").asLong());
        assertFalse(fixed.get("iscustomized").asBoolean());
        assertEquals("ssd,rbd", fixed.get("storagetags").asText());
        assertEquals("kvm", fixed.get("hosttags").asText());
        assertTrue(fixed.get("offerha").asBoolean());
        assertTrue(fixed.get("limitcpuuse").asBoolean());
        assertFalse(fixed.get("isvolatile").asBoolean());
        assertFalse(fixed.get("issystem").asBoolean());
        assertEquals("shared", fixed.get("storagetype").asText());
        assertEquals("thin", fixed.get("provisioningtype").asText());
        assertEquals(1048576, fixed.get("diskBytesReadRate").asLong());
        assertEquals(400, fixed.get("diskIopsWriteRate").asLong());
        assertEquals("Active", fixed.get("state").asText());
        assertFalse(fixed.has("serviceofferingdetails"));
        assertTrue(fixed.get("created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}"),
                fixed.toString());

        JsonNode listed = cloud.admin().call("listServiceOfferings", "id", fixed.get("id").asText())
                .response("listServiceOfferings");
        assertEquals(1, listed.get("count").asInt());
        assertEquals(fixed, listed.get("serviceoffering").get(0));
        assertEquals(0, cloud.admin().call("listServiceOfferings", "issystem", "true")
                .response("listServiceOfferings").size(), "there are no system offerings");
    }

    @Test
    void aCustomOfferingLeavesTheSizeToTheUserWithinItsBounds() throws Exception {
        JsonNode custom = create("name", "custom", "cpuspeed", "1500", "mincpunumber", "1", "maxcpunumber", "4",
                "minmemory", "256", "maxmemory", "4096");
        assertTrue(custom.get("iscustomized").asBoolean());
        assertFalse(custom.has("cpunumber"));
        assertFalse(custom.has("memory"));
        assertFalse(custom.has("rootdisksize"), "the template's size");
        assertEquals("custom", custom.get("displaytext").asText(), "displaytext defaults to the name");
        JsonNode details = custom.get("serviceofferingdetails");
        assertEquals("1", details.get("mincpunumber").asText());
        assertEquals("4", details.get("maxcpunumber").asText());
        assertEquals("256", details.get("minmemory").asText());
        assertEquals("4096", details.get("maxmemory").asText());

        JsonNode unbounded = create("name", "any-size", "customized", "true");
        assertTrue(unbounded.get("iscustomized").asBoolean());
        assertFalse(unbounded.has("serviceofferingdetails"));
    }

    @Test
    void refusalsNameTheParameterAndSaveNothing() throws Exception {
        assertRefused("Parameters cpunumber, cpuspeed and memory are required for an offering with customized=false",
                "name", "half", "customized", "false", "cpunumber", "1", "cpuspeed", "1000");
        assertRefused("A customized offering leaves out at least one of parameters cpunumber, cpuspeed and memory:"
                + " the user gives it at deploy time", "name", "all", "customized", "true", "cpunumber", "1",
                "cpuspeed", "1000", "memory", "512");
        assertRefused("Parameters mincpunumber and maxcpunumber bound what the user chooses: leave out cpunumber to"
                + " let the user choose it", "name", "fixed-and-bounded", "cpunumber", "2", "maxcpunumber", "4");
        assertRefused("Parameter minmemory (2048) must be at most maxmemory (1024)", "name", "upside-down",
                "cpunumber", "1", "cpuspeed", "1000", "minmemory", "2048", "maxmemory", "1024");
        assertRefused("Please specify a disk size of at least 1 GB (parameter rootdisksize).", "name", "no-root",
                "cpunumber", "1", "cpuspeed", "1000", "memory", "512", "rootdisksize", "0");
        assertRefused("Invalid value 'true' for parameter issystem: rbdstack runs no system VMs", "name", "router",
                "issystem", "true", "cpunumber", "1", "cpuspeed", "1000", "memory", "512");
        assertRefused("Invalid value 'local' for parameter storagetype: only shared (primary storage pools) is"
                + " supported", "name", "local", "storagetype", "local", "cpunumber", "1", "cpuspeed", "1000",
                "memory", "512");
        ApiClient.Reply tooLittle = cloud.admin().call("createServiceOffering", "name", "tiny", "cpunumber", "1",
                "cpuspeed", "1000", "memory", "16");
        assertEquals(431, tooLittle.status(), tooLittle.body());
        assertTrue(tooLittle.response("createServiceOffering").get("errortext").asText().contains("memory"),
                tooLittle.body());
        for (String name : new String[] {"half", "all", "fixed-and-bounded", "upside-down", "no-root", "router",
                "local", "tiny"}) {
            assertEquals(0, cloud.admin().call("listServiceOfferings", "name", name)
                    .response("listServiceOfferings").size(), name);
        }
    }

    @Test
    void usersListOfferingsButOnlyAdminsChangeThem() throws Exception {
        String id = create("name", "for-users", "cpunumber", "1", "cpuspeed", "500", "memory", "128")
                .get("id").asText();
        assertEquals(1, user.call("listServiceOfferings", "id", id).response("listServiceOfferings")
                .get("count").asInt());
        assertEquals(432, user.call("createServiceOffering", "name", "mine", "customized", "true").status());
        assertEquals(432, user.call("updateServiceOffering", "id", id, "name", "mine").status());
        assertEquals(432, user.call("deleteServiceOffering", "id", id).status());
    }

    @Test
    void updateChangesNameTextAndTagsButNotTheSize() throws Exception {
        String id = create("name", "to-update", "cpunumber", "1", "cpuspeed", "500", "memory", "256", "tags", "a")
                .get("id").asText();
        ApiClient.Reply reply = cloud.admin().call("updateServiceOffering", "id", id, "name", "updated",
                "displaytext", "Updated VM", "storagetags", "b,c,b", "hosttags", "gpu");
        assertEquals(200, reply.status(), reply.body());
        JsonNode updated = reply.response("updateServiceOffering").get("serviceoffering");
        assertEquals("updated", updated.get("name").asText());
        assertEquals("Updated VM", updated.get("displaytext").asText());
        assertEquals("b,c", updated.get("storagetags").asText());
        assertEquals("gpu", updated.get("hosttags").asText());
        assertEquals(256, updated.get("memory").asInt());
        assertEquals(431, cloud.admin().call("updateServiceOffering", "id", id, "name", " ").status());
    }

    @Test
    void aDeletedOfferingIsNoLongerOfferedAndItsEventsAreRecorded() throws Exception {
        String id = create("name", "retired", "cpunumber", "1", "cpuspeed", "500", "memory", "128")
                .get("id").asText();
        ApiClient.Reply deleted = cloud.admin().call("deleteServiceOffering", "id", id);
        assertEquals(200, deleted.status(), deleted.body());
        assertTrue(deleted.response("deleteServiceOffering").get("success").asBoolean());
        assertEquals(0, cloud.admin().call("listServiceOfferings", "id", id).response("listServiceOfferings").size());
        assertEquals(431, cloud.admin().call("deleteServiceOffering", "id", id).status(), "already deleted");
        assertEquals(431, cloud.admin().call("updateServiceOffering", "id", id, "name", "back").status());

        for (String type : new String[] {"SERVICE.OFFERING.CREATE", "SERVICE.OFFERING.DELETE"}) {
            JsonNode events = cloud.admin().call("listEvents", "type", type, "resourceid", id, "level", "INFO")
                    .response("listEvents");
            assertEquals(1, events.get("count").asInt(), type + ": " + events);
            assertEquals("ServiceOffering", events.get("event").get(0).get("resourcetype").asText());
        }
        JsonNode refused = cloud.admin().call("listEvents", "type", "SERVICE.OFFERING.DELETE", "resourceid", id,
                "level", "ERROR").response("listEvents");
        assertEquals(1, refused.get("count").asInt(), "the second delete failed and says why: " + refused);
        assertTrue(refused.get("event").get(0).get("description").asText().contains("Unable to find service offering"),
                refused.toString());
    }

    private static JsonNode create(String... params) throws Exception {
        ApiClient.Reply reply = cloud.admin().call("createServiceOffering", params);
        assertEquals(200, reply.status(), reply.body());
        return reply.response("createServiceOffering").get("serviceoffering");
    }

    private static void assertRefused(String message, String... params) throws Exception {
        ApiClient.Reply reply = cloud.admin().call("createServiceOffering", params);
        assertEquals(431, reply.status(), reply.body());
        assertEquals(message, reply.response("createServiceOffering").get("errortext").asText());
    }
}
