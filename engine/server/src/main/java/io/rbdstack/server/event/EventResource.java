package io.rbdstack.server.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.api.ApiCommand;
import io.rbdstack.server.api.ApiParam;
import io.rbdstack.server.api.CommandSpec;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.Param;
import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What an event is about, as listEvents' {@code resourcetype} (CloudStack's ApiCommandResourceType names)
 * and {@code resourceid} show it.
 */
public record EventResource(String type, String uuid) {

    private static final Map<Entity, String> TYPE_OF_ENTITY = Map.ofEntries(
            Map.entry(Entity.ZONE, "Zone"), Map.entry(Entity.POD, "Pod"), Map.entry(Entity.CLUSTER, "Cluster"),
            Map.entry(Entity.HOST, "Host"), Map.entry(Entity.STORAGE_POOL, "StoragePool"),
            Map.entry(Entity.IMAGE_STORE, "ImageStore"), Map.entry(Entity.DISK_OFFERING, "DiskOffering"),
            Map.entry(Entity.SERVICE_OFFERING, "ServiceOffering"), Map.entry(Entity.TEMPLATE, "Template"),
            Map.entry(Entity.VOLUME, "Volume"), Map.entry(Entity.SNAPSHOT, "Snapshot"),
            Map.entry(Entity.SNAPSHOT_POLICY, "SnapshotPolicy"), Map.entry(Entity.DOMAIN, "Domain"),
            Map.entry(Entity.ACCOUNT, "Account"), Map.entry(Entity.USER, "User"), Map.entry(Entity.ASYNC_JOB, "AsyncJob"),
            Map.entry(Entity.NETWORK, "Network"), Map.entry(Entity.NETWORK_OFFERING, "NetworkOffering"),
            Map.entry(Entity.VIRTUAL_MACHINE, "VirtualMachine"), Map.entry(Entity.VM_SNAPSHOT, "VmSnapshot"));

    /** Response objects of create commands and the resource type they are. */
    private static final Map<String, String> TYPE_OF_RESPONSE = Map.ofEntries(
            Map.entry("zone", "Zone"), Map.entry("pod", "Pod"), Map.entry("cluster", "Cluster"),
            Map.entry("host", "Host"), Map.entry("storagepool", "StoragePool"), Map.entry("imagestore", "ImageStore"),
            Map.entry("diskoffering", "DiskOffering"),
            Map.entry("serviceoffering", "ServiceOffering"), Map.entry("template", "Template"),
            Map.entry("volume", "Volume"), Map.entry("snapshot", "Snapshot"),
            Map.entry("account", "Account"), Map.entry("user", "User"), Map.entry("userkeys", "User"),
            Map.entry("network", "Network"),
            Map.entry("virtualmachine", "VirtualMachine"), Map.entry("vmsnapshot", "VmSnapshot"));

    /**
     * A sync command's resource: the entity its {@code id} parameter names (updates and deletes), else
     * the object its response carries (creates); empty when neither says.
     */
    public static Optional<EventResource> of(CommandSpec spec, ApiCommand<?> bound, JsonNode response) {
        Optional<EventResource> named = idParameter(spec, bound);
        if (named.isPresent()) {
            return named;
        }
        String type = TYPE_OF_RESPONSE.get(spec.responseObject().toLowerCase(Locale.ROOT));
        JsonNode object = response == null ? null : response.get(spec.responseObject().toLowerCase(Locale.ROOT));
        if (object != null && object.isArray() && object.size() == 1) {
            object = object.get(0);
        }
        if (type == null || object == null || !object.hasNonNull("id")) {
            return Optional.empty();
        }
        return Optional.of(new EventResource(type, object.get("id").asText()));
    }

    private static Optional<EventResource> idParameter(CommandSpec spec, ApiCommand<?> bound) {
        Optional<ApiParam> id = spec.params().stream()
                .filter(p -> p.name().equals("id") && p.entity() != Entity.NONE).findFirst();
        if (id.isEmpty() || !TYPE_OF_ENTITY.containsKey(id.get().entity())) {
            return Optional.empty();
        }
        for (RecordComponent component : bound.getClass().getRecordComponents()) {
            Param param = component.getAnnotation(Param.class);
            String name = param == null || param.name().isEmpty() ? component.getName().toLowerCase(Locale.ROOT)
                    : param.name();
            if (name.equals("id")) {
                Object value = read(component, bound);
                if (value instanceof Optional<?> optional) {
                    value = optional.orElse(null);
                }
                return value == null ? Optional.empty()
                        : Optional.of(new EventResource(TYPE_OF_ENTITY.get(id.get().entity()), value.toString()));
            }
        }
        return Optional.empty();
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            java.lang.reflect.Method accessor = component.getAccessor();
            accessor.setAccessible(true); // command records are private to their package
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read " + component.getName() + " of " + record.getClass(), e);
        }
    }

    /** ". Volume Id: <uuid>", the tail CloudStack gives an event's description. */
    String describe() {
        return ". " + type + " Id: " + uuid;
    }
}
