package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiArgsTest {

    private static final CommandSpec SPEC = new CommandSpec("createThing", "", Access.USER, false, "thing",
            List.of(ApiParam.required("name", ParamType.STRING, ""), ApiParam.optional("size", ParamType.LONG, ""),
                    ApiParam.optional("details", ParamType.MAP, ""), ApiParam.optional("id", ParamType.UUID, "")));

    @Test
    void mapParametersInBothCloudStackForms() {
        ApiArgs args = ApiArgs.bind(SPEC, Map.of("name", "n", "details[0].key", "user", "details[0].value", "admin",
                "details[1].monitor", "10.0.0.1"));
        assertEquals(Map.of("user", "admin", "monitor", "10.0.0.1"), args.map("details"));
    }

    @Test
    void missingRequiredParameterNamesIt() {
        ApiException e = assertThrows(ApiException.class, () -> ApiArgs.bind(SPEC, Map.of("size", "1")));
        assertEquals(ApiErrorCode.PARAM_ERROR, e.errorCode());
        assertEquals("Unable to execute API command creatething due to missing parameter name", e.getMessage());
    }

    @Test
    void wrongTypesAre431WithTheParameterName() {
        ApiException e = assertThrows(ApiException.class, () -> ApiArgs.bind(SPEC, Map.of("name", "n", "size", "big")));
        assertEquals("Invalid value 'big' for parameter size: not a whole number", e.getMessage());
        assertEquals(4350, e.csErrorCode());
        assertThrows(ApiException.class, () -> ApiArgs.bind(SPEC, Map.of("name", "n", "id", "123")));
    }

    @Test
    void pagingDefaultsToEverythingAndRejectsNonsense() {
        assertEquals("", ApiArgs.bind(SPEC, Map.of("name", "n")).paging().sql());
        assertEquals(" LIMIT 20 OFFSET 40", ApiArgs.bind(SPEC, Map.of("name", "n", "page", "3", "pagesize", "20")).paging().sql());
        assertThrows(ApiException.class, () -> ApiArgs.bind(SPEC, Map.of("name", "n", "pagesize", "0")).paging());
        assertThrows(ApiException.class, () -> ApiArgs.bind(SPEC, Map.of("name", "n", "page", "0", "pagesize", "5")).paging());
    }
}
