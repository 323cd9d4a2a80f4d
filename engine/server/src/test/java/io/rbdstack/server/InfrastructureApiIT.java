package io.rbdstack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Zones, pods, clusters, settings, paging and the response formats, against the real DB. */
class InfrastructureApiIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();

    @Test
    void zonePodClusterChain() throws Exception {
        JsonNode zone = createZone("chain-zone");
        assertEquals("chain-zone", zone.get("name").asText());
        assertEquals("Advanced", zone.get("networktype").asText());
        String zoneId = zone.get("id").asText();

        JsonNode pod = cloud.admin().call("createPod", "name", "pod1", "zoneid", zoneId, "gateway", "10.1.0.1",
                "netmask", "255.255.255.0", "startip", "10.1.0.10", "endip", "10.1.0.20").response("createPod").get("pod");
        assertEquals(zoneId, pod.get("zoneid").asText());
        assertEquals("255.255.255.0", pod.get("netmask").asText());

        JsonNode clusters = cloud.admin().call("addCluster", "clustername", "c1", "clustertype", "CloudManaged",
                "hypervisor", "KVM", "zoneid", zoneId, "podid", pod.get("id").asText()).response("addCluster");
        assertEquals(1, clusters.get("count").asInt());
        JsonNode cluster = clusters.get("cluster").get(0);
        assertEquals("KVM", cluster.get("hypervisortype").asText());

        JsonNode listed = cloud.admin().call("listClusters", "zoneid", zoneId).response("listClusters");
        assertEquals(1, listed.get("count").asInt());
        assertEquals(cluster.get("id").asText(), listed.get("cluster").get(0).get("id").asText());
    }

    @Test
    void nonKvmClusterIsRefusedNamingTheParameter() throws Exception {
        String zoneId = createZone("xen-zone").get("id").asText();
        String podId = cloud.admin().call("createPod", "name", "p", "zoneid", zoneId, "gateway", "10.2.0.1",
                "netmask", "255.255.0.0").response("createPod").get("pod").get("id").asText();
        ApiClient.Reply reply = cloud.admin().call("addCluster", "clustername", "x", "clustertype", "CloudManaged",
                "hypervisor", "XenServer", "zoneid", zoneId, "podid", podId);
        assertEquals(431, reply.status());
        JsonNode error = reply.response("addCluster");
        assertEquals(4350, error.get("cserrorcode").asInt());
        assertTrue(error.get("errortext").asText().contains("hypervisor"), error.toString());
    }

    @Test
    void missingRequiredParameterIs431NamingIt() throws Exception {
        ApiClient.Reply reply = cloud.admin().call("createZone", "name", "nodns", "networktype", "Advanced",
                "internaldns1", "1.1.1.1");
        assertEquals(431, reply.status());
        assertEquals("Unable to execute API command createzone due to missing parameter dns1",
                reply.response("createZone").get("errortext").asText());
    }

    @Test
    void badUuidIs431() throws Exception {
        ApiClient.Reply reply = cloud.admin().call("listZones", "id", "not-a-uuid");
        assertEquals(431, reply.status());
        assertTrue(reply.response("listZones").get("errortext").asText().contains("parameter id"));
    }

    @Test
    void pagingReturnsTheTotalCountAndOnePage() throws Exception {
        for (int i = 0; i < 5; i++) {
            createZone("page-zone-" + i);
        }
        JsonNode page1 = cloud.admin().call("listZones", "keyword", "page-zone", "page", "1", "pagesize", "2")
                .response("listZones");
        JsonNode page3 = cloud.admin().call("listZones", "keyword", "page-zone", "page", "3", "pagesize", "2")
                .response("listZones");
        assertEquals(5, page1.get("count").asInt());
        assertEquals(2, page1.get("zone").size());
        assertEquals(1, page3.get("zone").size());
        assertEquals("page-zone-4", page3.get("zone").get(0).get("name").asText());
        JsonNode none = cloud.admin().call("listZones", "keyword", "no-zone-has-this").response("listZones");
        assertEquals(0, none.size(), "CloudStack answers an empty list with an empty object");
    }

    @Test
    void xmlIsTheDefaultFormat() throws Exception {
        createZone("xml-zone");
        ApiClient.Reply reply = cloud.admin().call("listZones", "name", "xml-zone", "response", "xml");
        assertEquals("text/xml; charset=UTF-8", reply.contentType());
        assertTrue(reply.body().contains("<listzonesresponse"), reply.body());
        assertTrue(reply.body().contains("<count>1</count>"), reply.body());
        assertTrue(reply.body().contains("<name>xml-zone</name>"), reply.body());
    }

    @Test
    void settingsAreListedAndUpdatedWithTypeChecks() throws Exception {
        JsonNode listed = cloud.admin().call("listConfigurations", "name", "kvm.snapshot.enabled")
                .response("listConfigurations");
        assertEquals("true", listed.get("configuration").get(0).get("value").asText());
        JsonNode updated = cloud.admin().call("updateConfiguration", "name", "kvm.snapshot.enabled", "value", "false")
                .response("updateConfiguration").get("configuration");
        assertEquals("false", updated.get("value").asText());
        JsonNode capability = cloud.admin().call("listCapabilities").response("listCapabilities").get("capability");
        assertEquals(false, capability.get("kvmsnapshotenabled").asBoolean());
        assertEquals(431, cloud.admin().call("updateConfiguration", "name", "kvm.snapshot.enabled", "value", "maybe").status());
        assertEquals(431, cloud.admin().call("updateConfiguration", "name", "no.such.setting", "value", "1").status());
        cloud.admin().call("updateConfiguration", "name", "kvm.snapshot.enabled", "value", "true");
    }

    @Test
    void listApisDescribesParameters() throws Exception {
        JsonNode apis = cloud.admin().call("listApis", "name", "createZone").response("listApis").get("api");
        assertEquals(1, apis.size());
        Set<String> required = new HashSet<>();
        apis.get(0).get("params").forEach(p -> {
            if (p.get("required").asBoolean()) {
                required.add(p.get("name").asText());
            }
        });
        assertEquals(Set.of("name", "dns1", "internaldns1", "networktype"), required);
    }

    private JsonNode createZone(String name) throws Exception {
        ApiClient.Reply reply = cloud.admin().call("createZone", "name", name, "dns1", "8.8.8.8", "internaldns1",
                "10.0.0.2", "networktype", "Advanced");
        assertEquals(200, reply.status(), reply.body());
        return reply.response("createZone").get("zone");
    }
}
