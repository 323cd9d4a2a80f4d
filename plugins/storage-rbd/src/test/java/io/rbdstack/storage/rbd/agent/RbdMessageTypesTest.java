package io.rbdstack.storage.rbd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessageTypes;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The RBD messages keep the wire names agents and docs/agent-protocol.md know them by. */
class RbdMessageTypesTest {

    private final RbdMessageTypes types = new RbdMessageTypes();

    @Test
    void everyCommandKeepsItsWireName() {
        Map<String, String> names = new TreeMap<>();
        types.commands().forEach(type -> names.put(type.getSimpleName(), AgentMessageTypes.wireName(type).orElseThrow()));

        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("TestRbdPoolCommand", "rbd.testPool"),
                Map.entry("DefineRbdPoolCommand", "rbd.definePool"),
                Map.entry("RemoveRbdPoolCommand", "rbd.removePool"),
                Map.entry("RbdPoolCapacityCommand", "rbd.poolCapacity"),
                Map.entry("CreateRbdImageCommand", "rbd.createImage"),
                Map.entry("ResizeRbdImageCommand", "rbd.resizeImage"),
                Map.entry("DeleteRbdImageCommand", "rbd.deleteImage"),
                Map.entry("DescribeRbdImageCommand", "rbd.describeImage"),
                Map.entry("PurgeRbdImageCommand", "rbd.purgeImage"),
                Map.entry("CreateRbdSnapshotCommand", "rbd.createSnapshot"),
                Map.entry("DeleteRbdSnapshotCommand", "rbd.deleteSnapshot"),
                Map.entry("RollbackRbdSnapshotCommand", "rbd.rollbackSnapshot"),
                Map.entry("CloneRbdSnapshotCommand", "rbd.cloneSnapshot"),
                Map.entry("BackupRbdSnapshotCommand", "rbd.backupSnapshot"),
                Map.entry("RestoreRbdBackupCommand", "rbd.restoreBackup"),
                Map.entry("ImportRbdTemplateCommand", "rbd.importTemplate"),
                Map.entry("CloneRbdTemplateCommand", "rbd.cloneTemplate"),
                Map.entry("FlattenRbdImageCommand", "rbd.flattenImage"),
                Map.entry("CreateRbdGroupSnapshotCommand", "rbd.groupSnapshotCreate"),
                Map.entry("RollbackRbdGroupSnapshotCommand", "rbd.groupSnapshotRollback"),
                Map.entry("DeleteRbdGroupSnapshotCommand", "rbd.groupSnapshotDelete"),
                Map.entry("DeleteRbdGroupCommand", "rbd.groupDelete"),
                Map.entry("ListRbdGroupSnapshotsCommand", "rbd.groupSnapshotList"),
                Map.entry("DeleteRbdTemplateCommand", "rbd.deleteTemplate"))), names);
    }

    /**
     * A command resent to another host after its host was lost must end as one run would (see each
     * command's retrySafe); these may not: their first step refuses what a lost host's part-run left
     * (an image of that name, maybe half written), or they belong to one host.
     */
    @Test
    void everyCommandButTheseIsSafeToResendToAnotherHost() throws Exception {
        Map<String, Boolean> safety = new TreeMap<>();
        for (Class<? extends AgentCommand> type : types.commands()) {
            safety.put(type.getSimpleName(), instance(type).retrySafe());
        }

        Set<String> unsafe = new TreeSet<>(Set.of("RestoreRbdBackupCommand",
                "ImportRbdTemplateCommand", "DefineRbdPoolCommand", "RemoveRbdPoolCommand"));
        safety.forEach((name, safe) -> assertEquals(!unsafe.contains(name), safe, name));
    }

    /** A command with every component null, zero or false: retrySafe is declared per type, not per value. */
    private static AgentCommand instance(Class<? extends AgentCommand> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] parameterTypes = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            parameterTypes[i] = components[i].getType();
            if (parameterTypes[i] == boolean.class) {
                values[i] = false;
            } else if (parameterTypes[i] == long.class) {
                values[i] = 0L;
            } else if (parameterTypes[i] == int.class) {
                values[i] = 0;
            }
        }
        return type.getDeclaredConstructor(parameterTypes).newInstance(values);
    }

    @Test
    void everyAnswerKeepsItsWireName() {
        Map<String, String> names = new TreeMap<>();
        types.answers().forEach(type -> names.put(type.getSimpleName(), AgentMessageTypes.wireName(type).orElseThrow()));

        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("RbdGroupSnapshotAnswer", "rbd.groupSnapshot"),
                Map.entry("RbdGroupSnapshotsAnswer", "rbd.groupSnapshots"),
                Map.entry("RbdGroupRollbackAnswer", "rbd.groupRollback"),
                Map.entry("RbdTemplateDeleteAnswer", "rbd.templateDelete"),
                Map.entry("TestRbdPoolAnswer", "rbd.testPool"),
                Map.entry("RbdPoolCapacityAnswer", "rbd.poolCapacity"),
                Map.entry("RbdImageAnswer", "rbd.image"),
                Map.entry("RbdImageDeleteAnswer", "rbd.imageDelete"),
                Map.entry("RbdImageStateAnswer", "rbd.imageState"),
                Map.entry("PurgeRbdImageAnswer", "rbd.purgeImage"),
                Map.entry("RbdSnapshotAnswer", "rbd.snapshot"),
                Map.entry("RbdBackupAnswer", "rbd.backup"),
                Map.entry("RbdTemplateAnswer", "rbd.template"))), names);
    }

    @Test
    void thePluginJarDeclaresThemAsAService() {
        assertTrue(ServiceLoader.load(AgentMessageTypes.class).stream()
                .anyMatch(provider -> provider.type() == RbdMessageTypes.class));
    }
}
