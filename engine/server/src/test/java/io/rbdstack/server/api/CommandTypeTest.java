package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandTypeTest {

    interface Sync extends SyncCommand<Void> {
        @Override
        default ObjectNode execute(Caller caller, Void deps) {
            throw new UnsupportedOperationException();
        }
    }

    @Command(name = "listThings", description = "d", access = Access.ADMIN, response = "thing")
    record ListThings(@Param(description = "id", entity = Entity.ZONE) Optional<String> id,
                      @Param(description = "the name", name = "thingname") String name,
                      @Param(description = "tags") List<String> tags,
                      @Param(description = "d") Map<String, String> details,
                      PageParams page) implements Sync {
    }

    @Test
    void theSpecIsReadFromTheRecord() {
        CommandSpec spec = CommandType.of(ListThings.class).spec();
        assertEquals("listThings", spec.name());
        assertFalse(spec.async());
        assertEquals(List.of("id", "thingname", "tags", "details", "page", "pagesize"),
                spec.params().stream().map(ApiParam::name).toList());
        ApiParam id = spec.params().get(0);
        assertEquals(ParamType.UUID, id.type());
        assertFalse(id.required());
        assertTrue(spec.params().get(1).required());
        assertEquals(ParamType.LIST, spec.params().get(2).type());
        assertFalse(spec.params().get(2).required());
        assertEquals(ParamType.MAP, spec.params().get(3).type());
        assertEquals("page size, at most 500; without it, or with -1, default.page.size (from -1 to 500)", spec.params().get(5).fullDescription());
    }

    @Command(name = "bad", description = "d", access = Access.ADMIN, response = "x")
    record RangeOnString(@Param(description = "d", min = 1) String name) implements Sync {
    }

    @Command(name = "bad", description = "d", access = Access.ADMIN, response = "x")
    record AclWithoutOwner(@Param(description = "d", entity = Entity.ZONE, acl = true) String zoneId) implements Sync {
    }

    @Command(name = "bad", description = "d", access = Access.ADMIN, response = "x")
    record TwiceNamed(@Param(description = "d") String name, @Param(description = "d", name = "name") String other)
            implements Sync {
    }

    @Command(name = "bad", description = "d", access = Access.ADMIN, response = "x")
    record Undeclared(String name) implements Sync {
    }

    @Command(name = "bad", description = "d", access = Access.ADMIN, response = "x")
    record Unsupported(@Param(description = "d") Optional<Double> ratio) implements Sync {
    }

    @Test
    void declarationsTheBinderCannotHonourFailAtRegistration() {
        for (Class<? extends ApiCommand<?>> bad : List.<Class<? extends ApiCommand<?>>>of(RangeOnString.class,
                AclWithoutOwner.class, TwiceNamed.class, Undeclared.class, Unsupported.class)) {
            assertThrows(IllegalArgumentException.class, () -> CommandType.of(bad), bad.getSimpleName());
        }
    }
}
