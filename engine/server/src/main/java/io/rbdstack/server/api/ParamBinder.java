package io.rbdstack.server.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a request's parameters into a command record, following CloudStack's dispatcher: names are
 * lower-cased, unknown parameters ignored, an empty value counts as absent; every value is checked
 * against its declaration (type, length, range, allowed values, form) and every id is resolved to a
 * row, with the caller's right to it checked, before the command's body runs. Every refusal is a 431
 * (531 for an id the caller may not use) naming the parameter.
 */
public final class ParamBinder {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern MAP_ENTRY = Pattern.compile("([a-z0-9_]+)\\[([^\\]]*)]\\.(.+)");
    private static final Pattern INDEX = Pattern.compile("\\d{1,4}");
    /** Most entries a map parameter takes; CloudStack has no limit, but no detail map needs more. */
    static final int MAX_MAP_ENTRIES = 100;
    private static final int MAX_ECHOED = 40;

    private final EntityLookup entities;
    private final IntSupplier defaultPageSize;

    /** @param defaultPageSize the page size of a list call that gives none, or -1 (default.page.size) */
    public ParamBinder(EntityLookup entities, IntSupplier defaultPageSize) {
        this.entities = entities;
        this.defaultPageSize = defaultPageSize;
    }

    /** @param params the request's parameters with their names as sent */
    public ApiCommand<?> bind(CommandType type, Map<String, String> params, Caller caller) {
        Call call = new Call(type.spec(), lowerCaseNames(type.spec(), params), caller);
        List<CommandType.Slot> slots = type.slots();
        Object[] values = new Object[slots.size()];
        for (int i = 0; i < values.length; i++) {
            if (slots.get(i) instanceof CommandType.Group group) {
                Object[] inner = new Object[group.params().size()];
                for (int j = 0; j < inner.length; j++) {
                    inner[j] = value(call, group.params().get(j));
                }
                Object bound = CommandType.instantiate(group.constructor(), inner);
                values[i] = bound instanceof PageParams page ? page.bounded(defaultPageSize) : bound;
            } else {
                values[i] = value(call, (CommandType.Single) slots.get(i));
            }
        }
        return type.construct(values);
    }

    private record Call(CommandSpec spec, Map<String, String> params, Caller caller) {
        String command() {
            return spec.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * CloudStack binds by lower-cased name. Two spellings of one name ({@code Name=a&name=b}) with
     * different values are refused rather than one picked silently.
     */
    static Map<String, String> lowerCaseNames(CommandSpec spec, Map<String, String> params) {
        Map<String, String> lower = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            String key = name.toLowerCase(Locale.ROOT);
            String earlier = lower.putIfAbsent(key, value);
            if (earlier != null && !earlier.equals(value)) {
                throw ApiException.invalidParameter("Unable to execute API command " + spec.name().toLowerCase(Locale.ROOT)
                        + " due to invalid value. Parameter " + key + " is given more than once with different values");
            }
        });
        return lower;
    }

    private Object value(Call call, CommandType.Single slot) {
        ApiParam param = slot.param();
        if (slot.kind() == CommandType.Kind.MAP) {
            return map(call, param);
        }
        if (slot.kind() == CommandType.Kind.ENTRIES) {
            return List.copyOf(entries(call, param).values());
        }
        String raw = call.params().get(param.name());
        if (raw == null || raw.isEmpty()) {
            if (param.required()) {
                throw ApiException.invalidParameter("Unable to execute API command " + call.command()
                        + " due to missing parameter " + param.name());
            }
            return slot.kind() == CommandType.Kind.LIST ? List.of() : Optional.empty();
        }
        Object value = switch (slot.kind()) {
            case STRING -> string(call, param, raw);
            case LONG -> number(param, raw);
            case INTEGER -> Math.toIntExact(number(param, raw));
            case BOOLEAN -> bool(param, raw);
            case ENUM -> enumValue(param, slot.valueClass(), raw);
            case LIST -> list(call, param, raw);
            case MAP, ENTRIES -> throw new IllegalStateException("maps are bound above");
        };
        return slot.optional() ? Optional.of(value) : value;
    }

    private String string(Call call, ApiParam param, String raw) {
        checkText(param, raw, param.length());
        if (param.entity() != Entity.NONE) {
            resolve(call, param, raw);
            return raw;
        }
        String problem = param.format().problem(raw);
        if (problem != null) {
            throw invalid(param, raw, problem);
        }
        return raw;
    }

    private void resolve(Call call, ApiParam param, String uuid) {
        Optional<EntityLookup.Found> found = UUID.matcher(uuid).matches()
                ? entities.find(param.entity(), uuid.toLowerCase(Locale.ROOT)) : Optional.empty();
        if (found.isEmpty()) {
            throw ApiException.noSuchEntity(call.command(), param.name(), uuid);
        }
        EntityLookup.Found row = found.get();
        if (param.acl() && !call.caller().mayAccess(row.ownerAccountId(), row.ownerDomainPath())) {
            throw ApiException.permissionDenied("Account " + call.caller().accountName()
                    + " does not have permission to operate on " + param.entity().displayName() + " " + uuid);
        }
    }

    private static long number(ApiParam param, String raw) {
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid(param, raw, param.type() == ParamType.INTEGER ? "not an integer" : "not a whole number");
        }
        if (value < param.min() || value > param.max()) {
            throw invalid(param, raw, "must be " + param.boundBroken(value));
        }
        return value;
    }

    private static Boolean bool(ApiParam param, String raw) {
        if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) {
            return Boolean.valueOf(raw);
        }
        throw invalid(param, raw, "not true or false");
    }

    private static Object enumValue(ApiParam param, Class<?> type, String raw) {
        for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equalsIgnoreCase(raw.trim())) {
                return constant;
            }
        }
        throw invalid(param, raw, "one of " + String.join(", ", param.allowed()));
    }

    /** {@link CommaList}'s items; for a list of ids, each resolved as a single id is. */
    private List<String> list(Call call, ApiParam param, String raw) {
        checkText(param, raw, param.length());
        List<String> items = CommaList.parse(raw);
        if (param.entity() != Entity.NONE) {
            items.forEach(id -> resolve(call, param, id));
        }
        return items;
    }

    /**
     * CloudStack's map form: {@code details[0].key=k&details[0].value=v} gives k→v, and
     * {@code details[0].k=v} gives k→v too. Indexes are small whole numbers; entries are kept in index order.
     */
    private static Map<String, String> map(Call call, ApiParam param) {
        Map<Integer, Map<String, String>> entries = new TreeMap<>();
        int fields = 0;
        for (Map.Entry<String, String> e : call.params().entrySet()) {
            Matcher m = MAP_ENTRY.matcher(e.getKey());
            if (!m.matches() || !m.group(1).equals(param.name())) {
                continue;
            }
            if (!INDEX.matcher(m.group(2)).matches()) {
                throw invalid(param, null, "entry index '" + echo(m.group(2)) + "' is not a whole number from 0 to 9999");
            }
            if (++fields > MAX_MAP_ENTRIES * 2) {
                throw invalid(param, null, "more than " + MAX_MAP_ENTRIES + " entries");
            }
            checkText(param, e.getValue(), param.length());
            entries.computeIfAbsent(Integer.parseInt(m.group(2)), i -> new LinkedHashMap<>()).put(m.group(3), e.getValue());
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map<String, String> entry : entries.values()) {
            if (entry.containsKey("key") || entry.containsKey("value")) {
                if (!entry.containsKey("key") || !entry.containsKey("value") || entry.size() != 2) {
                    throw invalid(param, null, "an entry with a key needs exactly a key and a value");
                }
                result.put(entry.get("key"), entry.get("value"));
            } else {
                result.putAll(entry);
            }
        }
        if (result.size() > MAX_MAP_ENTRIES) {
            throw invalid(param, null, "more than " + MAX_MAP_ENTRIES + " entries");
        }
        for (String key : result.keySet()) {
            if (key.isEmpty() || key.codePointCount(0, key.length()) > Param.DEFAULT_LENGTH || hasControl(key, false)) {
                throw invalid(param, null, "a key is empty, longer than " + Param.DEFAULT_LENGTH
                        + " characters or has control characters");
            }
        }
        return result;
    }

    private static void checkText(ApiParam param, String value, int length) {
        int characters = value.codePointCount(0, value.length());
        if (characters > length) {
            throw invalid(param, null, characters + " characters, longer than the " + length + " allowed");
        }
        if (hasControl(value, param.multiline())) {
            throw invalid(param, null, "control characters are not allowed"
                    + (param.multiline() ? " (but tabs and line breaks)" : ""));
        }
    }

    private static boolean hasControl(String value, boolean multiline) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = multiline && (c == '\t' || c == '\n' || c == '\r');
            if ((c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0) && !allowed) {
                return true;
            }
        }
        return false;
    }

    /** 431 naming the parameter; the value is echoed only when short and printable. */
    private static ApiException invalid(ApiParam param, String value, String problem) {
        String shown = value == null || value.length() > MAX_ECHOED || hasControl(value, false) ? "" : " '" + value + "'";
        return ApiException.invalidParameter("Invalid value" + shown + " for parameter " + param.name() + ": " + problem);
    }

    private static String echo(String text) {
        return text.length() > MAX_ECHOED || hasControl(text, false) ? "…" : text;
    }

    /**
     * The entries of a map parameter kept apart, by index ({@code tags[0].key=k&tags[0].value=v} → {key: k,
     * value: v}), for parameters whose entries mean more than a key and a value (a key alone names a tag to
     * delete whatever its value). Values are checked as a map's are.
     */
    private static Map<Integer, Map<String, String>> entries(Call call, ApiParam param) {
        Map<Integer, Map<String, String>> entries = new TreeMap<>();
        for (Map.Entry<String, String> e : call.params().entrySet()) {
            Matcher m = MAP_ENTRY.matcher(e.getKey());
            if (!m.matches() || !m.group(1).equals(param.name())) {
                continue;
            }
            if (!INDEX.matcher(m.group(2)).matches()) {
                throw invalid(param, null, "entry index '" + echo(m.group(2)) + "' is not a whole number from 0 to 9999");
            }
            checkText(param, e.getValue(), param.length());
            entries.computeIfAbsent(Integer.parseInt(m.group(2)), i -> new LinkedHashMap<>()).put(m.group(3), e.getValue());
            if (entries.size() > MAX_MAP_ENTRIES) {
                throw invalid(param, null, "more than " + MAX_MAP_ENTRIES + " entries");
            }
        }
        return entries;
    }
}
