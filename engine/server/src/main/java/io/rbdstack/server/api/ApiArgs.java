package io.rbdstack.server.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of one call, checked against the command's declared {@link ApiParam}s: a missing
 * required parameter or a value of the wrong type is a 431 naming the parameter. Unknown
 * parameters are ignored, as CloudStack does.
 */
public final class ApiArgs {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern MAP_ENTRY = Pattern.compile("([a-z0-9_]+)\\[(\\d+)]\\.(.+)");

    private final CommandSpec spec;
    private final Map<String, String> values;

    private ApiArgs(CommandSpec spec, Map<String, String> values) {
        this.spec = spec;
        this.values = values;
    }

    /** @param lowerCaseParams request parameters, names already lower-cased */
    public static ApiArgs bind(CommandSpec spec, Map<String, String> lowerCaseParams) {
        ApiArgs args = new ApiArgs(spec, lowerCaseParams);
        for (ApiParam param : spec.params()) {
            boolean present = param.type() == ParamType.MAP ? !args.map(param.name()).isEmpty()
                    : args.raw(param.name()).isPresent();
            if (param.required() && !present) {
                throw ApiException.invalidParameter("Unable to execute API command " + spec.name().toLowerCase(Locale.ROOT)
                        + " due to missing parameter " + param.name());
            }
            if (present) {
                args.checkType(param);
            }
        }
        return args;
    }

    public Optional<String> string(String name) {
        declared(name);
        return raw(name);
    }

    public String requireString(String name) {
        return string(name).orElseThrow(() -> ApiException.invalidParameter("Missing parameter " + name));
    }

    public Optional<String> uuid(String name) {
        return string(name);
    }

    public Optional<Long> longValue(String name) {
        return string(name).map(Long::parseLong);
    }

    public Optional<Integer> intValue(String name) {
        return string(name).map(Integer::parseInt);
    }

    public Optional<Boolean> bool(String name) {
        return string(name).map(v -> v.equalsIgnoreCase("true"));
    }

    public boolean flag(String name) {
        return bool(name).orElse(false);
    }

    /** Comma-separated list values. */
    public List<String> list(String name) {
        return string(name).map(v -> List.of(v.split("\\s*,\\s*"))).orElse(List.of());
    }

    /**
     * A map parameter, CloudStack style: {@code details[0].key=k&details[0].value=v} gives k→v, and
     * {@code details[0].k=v} gives k→v too.
     */
    public Map<String, String> map(String name) {
        Map<Integer, Map<String, String>> entries = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            Matcher m = MAP_ENTRY.matcher(e.getKey());
            if (m.matches() && m.group(1).equals(name)) {
                entries.computeIfAbsent(Integer.parseInt(m.group(2)), i -> new LinkedHashMap<>()).put(m.group(3), e.getValue());
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map<String, String> entry : entries.values()) {
            if (entry.containsKey("key") && entry.containsKey("value") && entry.size() == 2) {
                result.put(entry.get("key"), entry.get("value"));
            } else {
                result.putAll(entry);
            }
        }
        return result;
    }

    public Paging paging() {
        return Paging.of(intValueRaw("page"), intValueRaw("pagesize"));
    }

    public Optional<String> keyword() {
        return raw("keyword");
    }

    private Optional<Integer> intValueRaw(String name) {
        Optional<String> raw = raw(name);
        try {
            return raw.map(Integer::parseInt);
        } catch (NumberFormatException e) {
            throw ApiException.invalidParameter("Invalid value '" + raw.get() + "' for parameter " + name + ": not an integer");
        }
    }

    private Optional<String> raw(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private void declared(String name) {
        if (spec.params().stream().noneMatch(p -> p.name().equals(name))) {
            throw new IllegalStateException("Command " + spec.name() + " reads undeclared parameter " + name);
        }
    }

    private void checkType(ApiParam param) {
        String value = values.get(param.name());
        String problem = switch (param.type()) {
            case UUID -> UUID.matcher(value).matches() ? null : "not a UUID";
            case LONG -> parses(() -> Long.parseLong(value)) ? null : "not a whole number";
            case INTEGER -> parses(() -> Integer.parseInt(value)) ? null : "not an integer";
            case BOOLEAN -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null : "not true or false";
            default -> null;
        };
        if (problem != null) {
            throw ApiException.invalidParameter("Invalid value '" + value + "' for parameter " + param.name() + ": " + problem);
        }
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
