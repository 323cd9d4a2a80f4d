package io.rbdstack.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.spi.Secret;
import io.rbdstack.spi.agent.Request;
import io.rbdstack.spi.agent.store.DeleteBackupCommand;
import io.rbdstack.spi.agent.store.TestImageStoreCommand;
import io.rbdstack.spi.storage.StoreCredentials;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An S3 store's keys reach the agent inside the command, and only there: never in its toString. */
class StoreCredentialsOnTheWireTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String URL = "s3://127.0.0.1:7480/backups?usehttps=false&region=us-east-1";

    private final MessageCodec codec = MessageCodec.load(getClass().getClassLoader());

    @Test
    void theSecretKeyTravelsInTheCommandAndSurvivesTheRoundTrip() throws Exception {
        Request request = new Request(3, 30000, new TestImageStoreCommand(URL,
                new StoreCredentials("AKIAEXAMPLE", Secret.of(SECRET))));
        String line = new String(codec.encode(request), StandardCharsets.UTF_8);
        assertTrue(line.contains(SECRET), "the agent needs the key: " + line.replace(SECRET, "<secret>"));
        Request decoded = (Request) codec.decode(codec.encode(request));
        assertEquals(request, decoded);
        TestImageStoreCommand command = (TestImageStoreCommand) decoded.command();
        assertEquals(SECRET, command.credentials().secretKey().reveal());
    }

    @Test
    void aCommandsToStringMasksTheSecretKey() {
        DeleteBackupCommand delete = new DeleteBackupCommand(URL, "snapshots/1/2/x.rbddiff",
                new StoreCredentials("AKIAEXAMPLE", Secret.of(SECRET)));
        assertFalse(delete.toString().contains(SECRET), delete.toString());
        assertTrue(delete.toString().contains("AKIAEXAMPLE"), delete.toString());
    }

    @Test
    void aStoreWithoutKeysSendsNone() throws Exception {
        Request request = new Request(4, 30000, new TestImageStoreCommand("file:///backups"));
        TestImageStoreCommand decoded = (TestImageStoreCommand) ((Request) codec.decode(codec.encode(request))).command();
        assertNull(decoded.credentials());
    }
}
