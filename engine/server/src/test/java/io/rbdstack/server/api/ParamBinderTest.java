package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParamBinderTest {

    private static final String ZONE = "0b7b8c4e-3f5e-4a7b-9c1d-2e3f4a5b6c7d";
    private static final String MINE = "1b7b8c4e-3f5e-4a7b-9c1d-2e3f4a5b6c7d";
    private static final String THEIRS = "2b7b8c4e-3f5e-4a7b-9c1d-2e3f4a5b6c7d";
    private static final long ACCOUNT = 7;
    private static final Caller USER = new Caller(1, "u", "alice", ACCOUNT, "a", "alice", Caller.TYPE_USER, 1, "d", "/");
    private static final Caller ADMIN = new Caller(2, "u2", "admin", 2, "a2", "admin", Caller.TYPE_ADMIN, 1, "d", "/");

    enum Color { Red, Green }

    @Command(name = "makeThing", description = "test", access = Access.USER, response = "thing")
    record MakeThing(@Param(description = "name", length = 10) String name,
                     @Param(description = "zone", entity = Entity.ZONE) Optional<String> zoneId,
                     @Param(description = "volume", entity = Entity.VOLUME, acl = true) Optional<String> volumeId,
                     @Param(description = "count", min = 1, max = 5) Optional<Integer> count,
                     @Param(description = "size", min = 0) Optional<Long> size,
                     @Param(description = "flag") Optional<Boolean> flag,
                     @Param(description = "color") Optional<Color> color,
                     @Param(description = "dns", format = Format.IPV4) Optional<String> dns,
                     @Param(description = "cidr", format = Format.CIDR_V4) Optional<String> cidr,
                     @Param(description = "text", multiline = true, length = 100) Optional<String> text,
                     @Param(description = "tags", length = 20) List<String> tags,
                     @Param(description = "details", length = 8) Map<String, String> details,
                     @Param(description = "volumes", entity = Entity.VOLUME, acl = true, length = 200)
                     List<String> volumeIds,
                     PageParams page) implements SyncCommand<Void> {

        @Override
        public ObjectNode execute(Caller caller, Void deps) {
            throw new UnsupportedOperationException();
        }
    }

    private final Map<String, EntityLookup.Found> rows = Map.of(
            "zone:" + ZONE, new EntityLookup.Found(1, null),
            "volume:" + MINE, new EntityLookup.Found(2, ACCOUNT),
            "volume:" + THEIRS, new EntityLookup.Found(3, 99L, "/sales/emea/"));
    private int defaultPageSize = 500;
    private final ParamBinder binder = new ParamBinder((entity, uuid) ->
            Optional.ofNullable(rows.get(entity.displayName() + ":" + uuid)), () -> defaultPageSize);
    private final CommandType type = CommandType.of(MakeThing.class);

    private MakeThing bind(Caller caller, String... pairs) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.put(pairs[i], pairs[i + 1]);
        }
        return (MakeThing) binder.bind(type, params, caller);
    }

    private ApiException refused(String... pairs) {
        return assertThrows(ApiException.class, () -> bind(USER, pairs));
    }

    @Test
    void bindsEveryTypeOfParameter() {
        MakeThing thing = bind(USER, "name", "box", "zoneid", ZONE, "volumeid", MINE, "count", "5", "size", "0",
                "flag", "TRUE", "color", "green", "dns", "10.0.0.1", "cidr", "10.1.0.0/16", "text", "a\nb",
                "tags", "a, b,,c", "details[0].key", "k", "details[0].value", "v", "details[1].x", "y", "page", "2",
                "pagesize", "10");
        assertEquals("box", thing.name());
        assertEquals(Optional.of(ZONE), thing.zoneId());
        assertEquals(Optional.of(5), thing.count());
        assertEquals(Optional.of(0L), thing.size());
        assertEquals(Optional.of(true), thing.flag());
        assertEquals(Optional.of(Color.Green), thing.color());
        assertEquals(List.of("a", "b", "c"), thing.tags());
        assertEquals(Map.of("k", "v", "x", "y"), thing.details());
        assertEquals(" LIMIT 10 OFFSET 10", thing.page().sql());
    }

    @Test
    void absentOptionalParametersAreEmptyAndAnEmptyValueCountsAsAbsent() {
        MakeThing thing = bind(USER, "name", "box", "zoneid", "", "tags", "");
        assertEquals(Optional.empty(), thing.zoneId());
        assertEquals(List.of(), thing.tags());
        assertEquals(Map.of(), thing.details());
        assertEquals(" LIMIT 500 OFFSET 0", thing.page().sql(), "default.page.size rows");
    }

    @Test
    void parameterNamesAreLowerCasedAsCloudStackDoes() {
        assertEquals("box", bind(USER, "NAME", "box", "ZoneId", ZONE).name());
    }

    @Test
    void aMissingRequiredParameterIsNamed() {
        ApiException e = refused("zoneid", ZONE);
        assertEquals(431, e.errorCode().httpCode());
        assertEquals("Unable to execute API command makething due to missing parameter name", e.getMessage());
    }

    @Test
    void aStringOverItsLengthIsRefusedNamingParameterAndLimit() {
        assertEquals("boxboxboxb", bind(USER, "name", "boxboxboxb").name());
        ApiException e = refused("name", "boxboxboxbo");
        assertEquals(431, e.errorCode().httpCode());
        assertEquals("Invalid value for parameter name: 11 characters, longer than the 10 allowed", e.getMessage());
    }

    @Test
    void lengthCountsCharactersNotUtf16Units() {
        // Ten emoji are ten characters in a utf8mb4 column, though twenty Java chars.
        assertEquals(10, bind(USER, "name", "😀".repeat(10)).name().codePointCount(0, 20));
        refused("name", "😀".repeat(11));
    }

    @Test
    void controlCharactersAreRefusedExceptLineBreaksInMultilineText() {
        assertTrue(refused("name", "a\u0001b").getMessage().contains("control characters"));
        assertTrue(refused("name", "a\nb").getMessage().contains("parameter name"));
        assertTrue(refused("name", "x", "text", "a\u0000b").getMessage().contains("parameter text"));
        assertEquals(Optional.of("a\r\n\tb"), bind(USER, "name", "x", "text", "a\r\n\tb").text());
    }

    @Test
    void numbersOutOfRangeOrMalformedAreRefused() {
        assertEquals("Invalid value '0' for parameter count: must be from 1 to 5", refused("name", "x", "count", "0").getMessage());
        assertEquals("Invalid value '6' for parameter count: must be from 1 to 5", refused("name", "x", "count", "6").getMessage());
        assertEquals("Invalid value '-1' for parameter size: must be at least 0", refused("name", "x", "size", "-1").getMessage());
        assertEquals("Invalid value 'big' for parameter size: not a whole number", refused("name", "x", "size", "big").getMessage());
        assertEquals("Invalid value '99999999999999999999' for parameter size: not a whole number",
                refused("name", "x", "size", "99999999999999999999").getMessage());
        assertEquals("Invalid value '3000000000' for parameter count: must be from 1 to 5",
                refused("name", "x", "count", "3000000000").getMessage());
    }

    @Test
    void aNumberBeyondItsTypeSaysTheTypesBound() {
        assertEquals("Invalid value '3000000000' for parameter page: must be at most 2147483647",
                refused("name", "x", "page", "3000000000").getMessage());
    }

    @Test
    void booleansMustBeTrueOrFalse() {
        assertEquals("Invalid value 'yes' for parameter flag: not true or false",
                refused("name", "x", "flag", "yes").getMessage());
    }

    @Test
    void unknownEnumValuesAreRefusedListingWhatIsAllowed() {
        assertEquals("Invalid value 'Bogus' for parameter color: one of Red, Green",
                refused("name", "x", "color", "Bogus").getMessage());
    }

    @Test
    void formsAreChecked() {
        assertEquals("Invalid value 'not-an-ip' for parameter dns: not an IPv4 address",
                refused("name", "x", "dns", "not-an-ip").getMessage());
        refused("name", "x", "dns", "10.0.0.256");
        assertTrue(refused("name", "x", "cidr", "10.0.0.0/99").getMessage().contains("parameter cidr"));
        refused("name", "x", "cidr", "10.0.0.0");
    }

    @Test
    void anIdThatNamesNoRowIsRefusedWithCloudStacksText() {
        String unknown = "9b7b8c4e-3f5e-4a7b-9c1d-2e3f4a5b6c7d";
        ApiException e = refused("name", "x", "zoneid", unknown);
        assertEquals(431, e.errorCode().httpCode());
        assertEquals(ApiException.CS_SERVER_API, e.csErrorCode());
        assertEquals("Unable to execute API command makething due to invalid value. Invalid parameter zoneid value="
                + unknown + " due to incorrect long value format, or entity does not exist or due to incorrect"
                + " parameter annotation for the field in api cmd class.", e.getMessage());
        assertTrue(refused("name", "x", "zoneid", "not-a-uuid").getMessage().contains("entity does not exist"));
    }

    @Test
    void anIdOfAnotherAccountsEntityIsRefusedToAUserButNotToARootAdmin() {
        assertEquals(Optional.of(MINE), bind(USER, "name", "x", "volumeid", MINE).volumeId());
        ApiException e = refused("name", "x", "volumeid", THEIRS);
        assertEquals(531, e.errorCode().httpCode());
        assertEquals("Account alice does not have permission to operate on volume " + THEIRS, e.getMessage());
        assertEquals(Optional.of(THEIRS), bind(ADMIN, "name", "x", "volumeid", THEIRS).volumeId());
    }

    @Test
    void aDomainAdminMayNameWhatLivesInItsSubtreeOnly() {
        Caller salesAdmin = new Caller(5, "u5", "boss", 5, "a5", "boss", Caller.TYPE_DOMAIN_ADMIN, 4, "d4", "/sales/");
        assertEquals(Optional.of(THEIRS), bind(salesAdmin, "name", "x", "volumeid", THEIRS).volumeId());
        Caller hrAdmin = new Caller(6, "u6", "hr", 6, "a6", "hr", Caller.TYPE_DOMAIN_ADMIN, 5, "d5", "/hr/");
        ApiException e = assertThrows(ApiException.class, () -> bind(hrAdmin, "name", "x", "volumeid", THEIRS));
        assertEquals(531, e.errorCode().httpCode());
    }

    @Command(name = "matchTags", description = "test", access = Access.USER, response = "tag")
    record MatchTags(@Param(description = "tags", length = 8) List<Map<String, String>> tags)
            implements SyncCommand<Void> {

        @Override
        public ObjectNode execute(Caller caller, Void deps) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void mapEntriesCanBeKeptApartWhereAKeyMayComeAlone() {
        CommandType entries = CommandType.of(MatchTags.class);
        assertEquals(ParamType.MAP, entries.spec().params().get(0).type());
        Map<String, String> params = new LinkedHashMap<>(Map.of("tags[1].key", "env", "tags[1].value", "prod",
                "tags[0].key", "env", "tags[2].key", "team"));
        MatchTags bound = (MatchTags) binder.bind(entries, params, USER);
        assertEquals(List.of(Map.of("key", "env"), Map.of("key", "env", "value", "prod"), Map.of("key", "team")),
                bound.tags(), "in index order, the same key twice, a key without a value");
        assertEquals(List.of(), ((MatchTags) binder.bind(entries, Map.of(), USER)).tags());
        assertThrows(ApiException.class, () -> binder.bind(entries, Map.of("tags[0].value", "123456789"), USER),
                "values are checked against the length");
    }

    @Test
    void everyIdOfAListOfIdsIsResolvedAndCheckedAsASingleIdIs() {
        assertEquals(List.of(MINE), bind(USER, "name", "x", "volumeids", MINE).volumeIds());
        String nothing = "3f1c5a0e-0000-4000-8000-000000000000";
        assertTrue(refused("name", "x", "volumeids", MINE + "," + nothing).getMessage()
                .contains("Invalid parameter volumeids value=" + nothing + " due to incorrect long value format, or"
                        + " entity does not exist"));
        assertEquals(531, refused("name", "x", "volumeids", MINE + "," + THEIRS).errorCode().httpCode());
        assertEquals(List.of(MINE, THEIRS), bind(ADMIN, "name", "x", "volumeids", MINE + ", " + THEIRS).volumeIds());
    }

    @Test
    void oneParameterSpelledTwiceWithDifferentValuesIsRefused() {
        Map<String, String> params = new HashMap<>(Map.of("name", "a", "NAME", "b"));
        ApiException e = assertThrows(ApiException.class, () -> binder.bind(type, params, USER));
        assertTrue(e.getMessage().contains("Parameter name is given more than once"), e.getMessage());
        assertEquals("a", ((MakeThing) binder.bind(type, Map.of("name", "a", "NAME", "a"), USER)).name());
    }

    @Test
    void mapEntriesWithAbsurdIndexesAreRefused() {
        ApiException e = refused("name", "x", "details[99999999999].key", "k", "details[99999999999].value", "v");
        assertEquals(431, e.errorCode().httpCode());
        assertTrue(e.getMessage().startsWith("Invalid value for parameter details: entry index"), e.getMessage());
        refused("name", "x", "details[-1].key", "k");
        refused("name", "x", "details[].key", "k");
        refused("name", "x", "details[0x1].key", "k");
    }

    @Test
    void mapValuesOverTheLimitAndTooManyEntriesAreRefused() {
        assertTrue(refused("name", "x", "details[0].key", "k", "details[0].value", "123456789").getMessage()
                .contains("longer than the 8 allowed"));
        String[] many = new String[4 + 2 * (ParamBinder.MAX_MAP_ENTRIES + 1)];
        many[0] = "name";
        many[1] = "x";
        many[2] = "zoneid";
        many[3] = "";
        for (int i = 0; i <= ParamBinder.MAX_MAP_ENTRIES; i++) {
            many[4 + 2 * i] = "details[" + i + "].k" + i;
            many[5 + 2 * i] = "v";
        }
        assertTrue(refused(many).getMessage().contains("more than " + ParamBinder.MAX_MAP_ENTRIES + " entries"));
    }

    @Test
    void manyFieldsUnderOneIndexCountAsEntries() {
        String[] many = new String[2 + 2 * (ParamBinder.MAX_MAP_ENTRIES + 1)];
        many[0] = "name";
        many[1] = "x";
        for (int i = 0; i <= ParamBinder.MAX_MAP_ENTRIES; i++) {
            many[2 + 2 * i] = "details[0].field" + i;
            many[3 + 2 * i] = "v";
        }
        assertTrue(refused(many).getMessage().contains("more than " + ParamBinder.MAX_MAP_ENTRIES + " entries"));
    }

    @Test
    void aKeyWithoutItsValueIsRefused() {
        assertTrue(refused("name", "x", "details[0].key", "k").getMessage().contains("needs exactly a key and a value"));
        assertTrue(refused("name", "x", "details[0].key", "k", "details[0].value", "v", "details[0].other", "o")
                .getMessage().contains("needs exactly a key and a value"));
    }

    @Test
    void listsAreLimitedAsAWhole() {
        assertTrue(refused("name", "x", "tags", "a".repeat(21)).getMessage().contains("parameter tags"));
    }

    @Test
    void pagingIsChecked() {
        assertTrue(refused("name", "x", "page", "0").getMessage().contains("parameter page"));
        assertTrue(refused("name", "x", "pagesize", "501").getMessage().contains("parameter pagesize"));
        assertTrue(refused("name", "x", "pagesize", "0").getMessage().contains("parameter pagesize"));
    }

    @Test
    void aListWithoutPageSizeOrWithMinusOneGetsTheDefaultPageSizeOfTheMoment() {
        defaultPageSize = 20;
        assertEquals(" LIMIT 20 OFFSET 0", bind(USER, "name", "x").page().sql());
        assertEquals(" LIMIT 20 OFFSET 20", bind(USER, "name", "x", "page", "2", "pagesize", "-1").page().sql(),
                "CloudStack's -1 (all) is bounded too");
        assertEquals(" LIMIT 100 OFFSET 0", bind(USER, "name", "x", "pagesize", "100").page().sql(),
                "a size given is kept, even above the default");
    }

    @Test
    void aLongRefusedValueIsNotEchoed() {
        String message = refused("name", "x", "size", "9".repeat(200)).getMessage();
        assertTrue(message.length() < 100, message);
    }
}
