package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.FreshServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Walks every command listApis shows and sends each parameter a value the binder must refuse: a string,
 * list or map value one character over its length, an id that names nothing. Every other required
 * parameter gets a valid value (ids of real rows), so the refusal can only come from the parameter
 * under test. Each call must answer 431 naming that parameter, and no table may change.
 */
class MalformedCallsIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static final Map<Entity, String> ids = new EnumMap<>(Entity.class);

    @BeforeAll
    static void start() throws Exception {
        createRows();
    }

    @Test
    void listApisShowsWhatTheBinderEnforces() throws Exception {
        JsonNode apis = cloud.admin().call("listApis").response("listApis").get("api");
        Map<String, CommandSpec> declared = new TreeMap<>();
        cloud.management().commands().forEach(spec -> declared.put(spec.name(), spec));
        assertEquals(declared.size(), apis.size());
        for (JsonNode api : apis) {
            CommandSpec spec = declared.get(api.get("name").asText());
            assertEquals(spec.async(), api.get("isasync").asBoolean(), spec.name());
            List<String> shown = new ArrayList<>();
            api.get("params").forEach(p -> shown.add(p.get("name").asText() + ":" + p.get("type").asText() + ":"
                    + p.get("required").asBoolean() + ":" + p.path("length").asInt(0)));
            List<String> enforced = spec.params().stream().map(p -> p.name() + ":" + p.type().apiName() + ":"
                    + p.required() + ":" + p.length()).toList();
            assertEquals(enforced, shown, spec.name());
        }
    }

    @Test
    void everyParameterRefusesAValueOverItsLimitAndAnIdOfNothing() throws Exception {
        JsonNode apis = cloud.admin().call("listApis").response("listApis").get("api");
        Map<String, CommandSpec> declared = new TreeMap<>();
        cloud.management().commands().forEach(spec -> declared.put(spec.name(), spec));
        int calls = 0;
        List<String> problems = new ArrayList<>();
        for (JsonNode api : apis) {
            CommandSpec spec = declared.get(api.get("name").asText());
            for (ApiParam param : spec.params()) {
                Map<String, String> call = validRequired(spec, param);
                String expected;
                if (param.type() == ParamType.UUID) {
                    String unknown = UUID.randomUUID().toString();
                    call.put(param.name(), unknown);
                    expected = "Invalid parameter " + param.name() + " value=" + unknown
                            + " due to incorrect long value format, or entity does not exist";
                } else if (param.type() == ParamType.MAP) {
                    call.put(param.name() + "[0].key", "k");
                    call.put(param.name() + "[0].value", "v".repeat(param.length() + 1));
                    expected = "parameter " + param.name() + ": " + (param.length() + 1) + " characters, longer than the "
                            + param.length() + " allowed";
                } else if (param.length() > 0) {
                    call.put(param.name(), "a".repeat(param.length() + 1));
                    expected = "parameter " + param.name() + ": " + (param.length() + 1) + " characters, longer than the "
                            + param.length() + " allowed";
                } else {
                    continue;
                }
                Map<String, Long> before = rowCounts();
                ApiClient.Reply reply = cloud.admin().post(call);
                calls++;
                String text = reply.json().path(spec.responseName()).path("errortext").asText();
                if (reply.status() != 431 || !text.contains(expected)) {
                    problems.add(spec.name() + " " + param.name() + ": " + reply.status() + " " + text);
                }
                if (!before.equals(rowCounts())) {
                    problems.add(spec.name() + " " + param.name() + ": tables changed: " + before + " -> " + rowCounts());
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(calls > 100, "only " + calls + " calls");
    }

    @Test
    void anotherAccountsVolumesAndSnapshotsAreRefusedWith531AndNothingChanges() throws Exception {
        ApiClient bob = ApiClient.login(cloud.baseUrl(), "bob", "pw");
        List<String> problems = new ArrayList<>();
        int calls = 0;
        for (CommandSpec spec : cloud.management().commands()) {
            for (ApiParam param : spec.params()) {
                if (!param.acl() || spec.access() != Access.USER) {
                    continue;
                }
                Map<String, String> call = validRequired(spec, param);
                call.put(param.name(), ids.get(param.entity()));   // staged rows belong to the admin's account
                Map<String, Long> before = rowCounts();
                ApiClient.Reply reply = bob.post(call);
                calls++;
                String text = reply.json().path(spec.responseName()).path("errortext").asText();
                if (reply.status() != 531 || !text.contains("does not have permission to operate on")) {
                    problems.add(spec.name() + " " + param.name() + ": " + reply.status() + " " + text);
                }
                if (!before.equals(rowCounts())) {
                    problems.add(spec.name() + " " + param.name() + ": tables changed");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(calls >= 6, "only " + calls + " calls");
    }

    /** Ids of owned entities a user's command takes without an owner check, each filtered or checked in its body. */
    private static final java.util.Set<String> CHECKED_ELSEWHERE = java.util.Set.of("listVolumes id",
            "listVolumesMetrics id", "listSnapshots id", "listSnapshots volumeid", "listUsers id", "registerUserKeys id",
            "queryAsyncJobResult jobid", "updateUser id", "listTemplates id",
            // listVirtualMachines lists within the caller's scope; a deploy checks the template is its own or public
            "listVirtualMachines id", "listVirtualMachines templateid", "deployVirtualMachine templateid",
            // listVMSnapshot lists within the caller's scope too
            "listVMSnapshot vmsnapshotid", "listVMSnapshot virtualmachineid");

    @Test
    void everyIdOfAnOwnedEntityAUserMayNameIsAccessChecked() {
        List<String> unchecked = new ArrayList<>();
        for (CommandSpec spec : cloud.management().commands()) {
            for (ApiParam param : spec.params()) {
                String where = spec.name() + " " + param.name();
                if (spec.access() == Access.USER && param.entity().ownerColumn() != null && !param.acl()
                        && !CHECKED_ELSEWHERE.contains(where)) {
                    unchecked.add(where);
                }
            }
        }
        assertTrue(unchecked.isEmpty(), "owned ids without acl = true: " + unchecked);
    }

    /** The command with every required parameter but {@code skip} given a valid value. */
    private static Map<String, String> validRequired(CommandSpec spec, ApiParam skip) {
        Map<String, String> call = new LinkedHashMap<>();
        call.put("command", spec.name());
        call.put("response", "json");
        for (ApiParam param : spec.params()) {
            if (param.required() && !param.equals(skip)) {
                call.put(param.name(), validValue(param));
            }
        }
        return call;
    }

    private static String validValue(ApiParam param) {
        if (param.entity() != Entity.NONE) {
            String id = ids.get(param.entity());
            if (id == null) {
                throw new AssertionError("no " + param.entity() + " row staged for required parameter " + param.name());
            }
            return id;
        }
        if (!param.allowed().isEmpty()) {
            return param.allowed().get(0);
        }
        return switch (param.type()) {
            case LONG, INTEGER -> String.valueOf(Math.max(param.min(), Math.min(1, param.max())));
            case BOOLEAN -> "false";
            default -> switch (param.format()) {
                case IPV4 -> "10.0.0.1";
                case IPV6 -> "fd00::1";
                case CIDR_V4 -> "10.0.0.0/24";
                case ANY -> "x";
            };
        };
    }

    /** Rows every required id can name: made through the API where no storage is needed, staged in the DB otherwise. */
    private static void createRows() throws Exception {
        ApiClient admin = cloud.admin();
        String zone = admin.call("createZone", "name", "z", "dns1", "10.0.0.2", "internaldns1", "10.0.0.3",
                "networktype", "Advanced").response("createZone").get("zone").get("id").asText();
        String pod = admin.call("createPod", "name", "p", "zoneid", zone, "gateway", "10.1.0.1", "netmask",
                "255.255.255.0").response("createPod").get("pod").get("id").asText();
        String cluster = admin.call("addCluster", "clustername", "c", "zoneid", zone, "podid", pod, "hypervisor", "KVM",
                "clustertype", "CloudManaged").response("addCluster").get("cluster").get(0).get("id").asText();
        String host = admin.call("addHost", "zoneid", zone, "podid", pod, "clusterid", cluster, "url", "http://h1",
                "hypervisor", "KVM").response("addHost").get("host").get(0).get("id").asText();
        String offering = admin.call("createDiskOffering", "name", "o", "disksize", "1")
                .response("createDiskOffering").get("diskoffering").get("id").asText();
        String serviceOffering = admin.call("createServiceOffering", "name", "so", "customized", "true")
                .response("createServiceOffering").get("serviceoffering").get("id").asText();
        JsonNode account = admin.call("createAccount", "username", "bob", "password", "pw", "email", "b@example.com",
                "firstname", "B", "lastname", "B").response("createAccount").get("account");
        ids.put(Entity.ZONE, zone);
        ids.put(Entity.POD, pod);
        ids.put(Entity.CLUSTER, cluster);
        ids.put(Entity.HOST, host);
        ids.put(Entity.DISK_OFFERING, offering);
        ids.put(Entity.SERVICE_OFFERING, serviceOffering);
        String networkOffering = admin.call("listNetworkOfferings").response("listNetworkOfferings")
                .get("networkoffering").get(0).get("id").asText();
        ids.put(Entity.NETWORK_OFFERING, networkOffering);
        ids.put(Entity.NETWORK, admin.call("createNetwork", "name", "n", "networkofferingid", networkOffering, "zoneid",
                zone, "gateway", "10.9.0.1", "netmask", "255.255.255.0", "startip", "10.9.0.10")
                .response("createNetwork").get("network").get("id").asText());
        // Like every staged row, the account and user named are the admin's: bob may name neither.
        JsonNode adminUser = admin.call("listUsers", "username", "admin").response("listUsers").get("user").get(0);
        ids.put(Entity.ACCOUNT, adminUser.get("accountid").asText());
        ids.put(Entity.DOMAIN, account.get("domainid").asText());
        ids.put(Entity.USER, adminUser.get("id").asText());
        for (Entity staged : List.of(Entity.STORAGE_POOL, Entity.IMAGE_STORE, Entity.VOLUME, Entity.SNAPSHOT,
                Entity.ASYNC_JOB, Entity.SNAPSHOT_POLICY, Entity.EVENT, Entity.ALERT, Entity.TEMPLATE,
                Entity.VIRTUAL_MACHINE, Entity.VM_SNAPSHOT, Entity.GUEST_IPV6_PREFIX)) {
            ids.put(staged, UUID.randomUUID().toString());
        }
        try (Connection c = cloud.db().connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                    + " host_address, path, status, created) SELECT '" + ids.get(Entity.STORAGE_POOL) + "', 'sp', 'RBD',"
                    + " 'ZONE', id, 'RBD', 'mon', 'rbd', 'Up', UTC_TIMESTAMP() FROM data_center WHERE uuid = '" + zone + "'");
            s.execute("INSERT INTO image_store (uuid, name, protocol, url, data_center_id, image_provider_name, created)"
                    + " SELECT '" + ids.get(Entity.IMAGE_STORE) + "', 'is', 'file', 'file:///x', id, 'SharedMountPoint',"
                    + " UTC_TIMESTAMP() FROM data_center WHERE uuid = '" + zone + "'");
            // A Ready template of the admin's, so no import starts.
            s.execute("INSERT INTO vm_template (uuid, name, url, format, account_id, domain_id, state, created)"
                    + " VALUES ('" + ids.get(Entity.TEMPLATE) + "', 't', 'http://t/t.raw', 'RAW', 1, 1, 'Ready',"
                    + " UTC_TIMESTAMP())");
            // A Stopped VM of the admin's (for the VM commands and attachVolume's virtualmachineid).
            s.execute("INSERT INTO vm_instance (uuid, name, instance_name, state, account_id, domain_id,"
                    + " data_center_id, cpus, cpu_speed, memory_mb, service_offering_id, template_id, created)"
                    + " SELECT '" + ids.get(Entity.VIRTUAL_MACHINE) + "', 'vm', 'i-1-staged-VM', 'Stopped', 1, 1, z.id,"
                    + " 1, 1000, 256, o.id, t.id, UTC_TIMESTAMP() FROM data_center z, service_offering o, vm_template t"
                    + " WHERE z.uuid = '" + zone + "' AND o.uuid = '" + serviceOffering + "' AND t.uuid = '"
                    + ids.get(Entity.TEMPLATE) + "'");
            // A Ready VM snapshot of that VM (for the VM snapshot commands' ids).
            s.execute("INSERT INTO vm_snapshots (uuid, name, display_name, vm_id, account_id, domain_id, data_center_id,"
                    + " storage_group, storage_snapshot, type, state, created) SELECT '" + ids.get(Entity.VM_SNAPSHOT)
                    + "', 'vs', 'vs', id, 1, 1, data_center_id, uuid, 'vs', 'Disk', 'Ready', UTC_TIMESTAMP()"
                    + " FROM vm_instance WHERE uuid = '" + ids.get(Entity.VIRTUAL_MACHINE) + "'");
            s.execute("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id, volume_type,"
                    + " size, state, created) SELECT '" + ids.get(Entity.VOLUME) + "', 'v', 1, 1, z.id, p.id, 'DATADISK',"
                    + " 1073741824, 'Ready', UTC_TIMESTAMP() FROM data_center z JOIN storage_pool p"
                    + " ON p.data_center_id = z.id WHERE z.uuid = '" + zone + "'");
            s.execute("INSERT INTO snapshots (uuid, name, volume_id, account_id, domain_id, data_center_id,"
                    + " snapshot_type, size, status, hypervisor_type, created) SELECT '" + ids.get(Entity.SNAPSHOT)
                    + "', 's', id, 1, 1, data_center_id, 'MANUAL', 1073741824, 'CreatedOnPrimary', 'KVM',"
                    + " UTC_TIMESTAMP() FROM volumes WHERE uuid = '" + ids.get(Entity.VOLUME) + "'");
            s.execute("INSERT INTO async_job (uuid, user_id, account_id, cmd, executing_msid, created, last_updated)"
                    + " VALUES ('" + ids.get(Entity.ASYNC_JOB) + "', 1, 1, 'x', 0, UTC_TIMESTAMP(), UTC_TIMESTAMP())");
            s.execute("INSERT INTO snapshot_policy (uuid, volume_id, account_id, schedule, timezone, interval_type,"
                    + " max_snaps, created) SELECT '" + ids.get(Entity.SNAPSHOT_POLICY) + "', id, account_id, '00:00',"
                    + " 'UTC', 'DAILY', 1, UTC_TIMESTAMP() FROM volumes WHERE uuid = '" + ids.get(Entity.VOLUME) + "'");
            s.execute("INSERT INTO event (uuid, type, state, level, description, user_id, account_id, domain_id,"
                    + " created) VALUES ('" + ids.get(Entity.EVENT) + "', 'ZONE.CREATE', 'Completed', 'INFO', 'e', 1, 1,"
                    + " 1, UTC_TIMESTAMP())");
            s.execute("INSERT INTO dc_ip6_guest_prefix (uuid, data_center_id, prefix, created) SELECT '"
                    + ids.get(Entity.GUEST_IPV6_PREFIX) + "', id, 'fd00:ba5e::/56', UTC_TIMESTAMP() FROM data_center"
                    + " WHERE uuid = '" + zone + "'");
            s.execute("INSERT INTO alert (uuid, type, name, subject, created, last_sent) VALUES ('"
                    + ids.get(Entity.ALERT) + "', 7, 'ALERT.COMPUTE.HOST', 'a', UTC_TIMESTAMP(), UTC_TIMESTAMP())");
        }
    }

    /**
     * A checksum of every table's rows, so an UPDATE is seen as well as an INSERT or DELETE. Left out:
     * the tables servers write on their own (heartbeats, session last access).
     */
    private static Map<String, Long> rowCounts() throws Exception {
        Map<String, Long> sums = new TreeMap<>();
        try (Connection c = cloud.db().connect(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                    + cloud.db().schema + "' AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME NOT IN ('mshost', 'user_session', 'cluster_lease')")) {
                while (rs.next()) {
                    tables.add("`" + rs.getString(1) + "`");
                }
            }
            try (ResultSet rs = s.executeQuery("CHECKSUM TABLE " + String.join(", ", tables))) {
                while (rs.next()) {
                    sums.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return sums;
    }
}
