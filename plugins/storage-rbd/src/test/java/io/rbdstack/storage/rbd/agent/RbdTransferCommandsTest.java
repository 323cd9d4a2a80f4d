package io.rbdstack.storage.rbd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.spi.agent.AgentCommand;
import java.lang.reflect.RecordComponent;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which RBD commands are transfers: those that copy a volume's worth of data, declared by each command type. */
class RbdTransferCommandsTest {

    @Test
    void theCommandsThatCopyDataAreTransfersAndNoOthers() throws Exception {
        Set<String> transfers = new TreeSet<>();
        for (Class<? extends AgentCommand> type : new RbdMessageTypes().commands()) {
            if (withDefaults(type).transfer()) {
                transfers.add(type.getSimpleName());
            }
        }

        // With every field at its default: a clone not linked (a flattened copy), a template delete not forced.
        assertEquals(new TreeSet<>(Set.of("BackupRbdSnapshotCommand", "RestoreRbdBackupCommand",
                "ImportRbdTemplateCommand", "FlattenRbdImageCommand", "RollbackRbdSnapshotCommand",
                "RollbackRbdGroupSnapshotCommand", "CloneRbdSnapshotCommand")), transfers);
    }

    @Test
    void aLinkedCloneIsNotATransferButAFlattenedCopyIs() {
        assertFalse(new CloneRbdSnapshotCommand(null, "v", "s", "n", true).transfer());
        assertTrue(new CloneRbdSnapshotCommand(null, "v", "s", "n", false).transfer());
    }

    @Test
    void aTemplateDeleteIsATransferOnlyWhenItFlattensTrashedClones() {
        assertFalse(new DeleteRbdTemplateCommand(null, "t", "base", false).transfer());
        assertTrue(new DeleteRbdTemplateCommand(null, "t", "base", true).transfer());
    }

    private static AgentCommand withDefaults(Class<? extends AgentCommand> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = defaultOf(types[i]);
        }
        return type.getDeclaredConstructor(types).newInstance(values);
    }

    private static Object defaultOf(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == int.class) {
            return 0;
        }
        return null;
    }
}
