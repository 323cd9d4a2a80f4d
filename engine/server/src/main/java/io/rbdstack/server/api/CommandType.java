package io.rbdstack.server.api;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command record read once at registration: its {@link CommandSpec} and how each record component
 * is made from the request. A declaration the binder could not honour (an unsupported type, a name
 * used twice, a range on a string) fails here, at start-up, not on the first call.
 */
public final class CommandType {

    /** How one record component gets its value. */
    sealed interface Slot permits Single, Group {
    }

    /** One parameter; {@code optional}: the component is an {@code Optional}. */
    record Single(ApiParam param, Kind kind, Class<?> valueClass, boolean optional) implements Slot {
    }

    /** A {@link ParamGroup} record made from its own parameters. */
    record Group(Constructor<?> constructor, List<Single> params) implements Slot {
    }

    enum Kind { STRING, LONG, INTEGER, BOOLEAN, ENUM, LIST, MAP, ENTRIES }

    private final Class<? extends ApiCommand<?>> type;
    private final Constructor<?> constructor;
    private final CommandSpec spec;
    private final List<Slot> slots;

    private CommandType(Class<? extends ApiCommand<?>> type, Constructor<?> constructor, CommandSpec spec,
                        List<Slot> slots) {
        this.type = type;
        this.constructor = constructor;
        this.spec = spec;
        this.slots = slots;
    }

    public static CommandType of(Class<? extends ApiCommand<?>> type) {
        Command command = type.getAnnotation(Command.class);
        if (command == null || !type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record annotated @Command");
        }
        List<Slot> slots = new ArrayList<>();
        List<ApiParam> params = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            Slot slot = slot(type, component);
            slots.add(slot);
            if (slot instanceof Single single) {
                params.add(single.param());
            } else {
                ((Group) slot).params().forEach(p -> params.add(p.param()));
            }
        }
        Set<String> names = new HashSet<>();
        for (ApiParam param : params) {
            if (!names.add(param.name())) {
                throw new IllegalArgumentException(type.getName() + " declares parameter " + param.name() + " twice");
            }
        }
        boolean async = AsyncCommand.class.isAssignableFrom(type);
        CommandSpec spec = new CommandSpec(command.name(), command.description(), command.access(), async,
                command.response(), params, command.event());
        return new CommandType(type, canonicalConstructor(type), spec, List.copyOf(slots));
    }

    public CommandSpec spec() {
        return spec;
    }

    public Class<? extends ApiCommand<?>> type() {
        return type;
    }

    List<Slot> slots() {
        return slots;
    }

    ApiCommand<?> construct(Object[] values) {
        return (ApiCommand<?>) instantiate(constructor, values);
    }

    static Object instantiate(Constructor<?> constructor, Object[] values) {
        try {
            return constructor.newInstance(values);
        } catch (java.lang.reflect.InvocationTargetException e) {
            // A record's own check (PageParams refusing pagesize=0) speaks for itself.
            if (e.getCause() instanceof RuntimeException own) {
                throw own;
            }
            throw new IllegalStateException("Cannot construct " + constructor.getDeclaringClass().getName(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot construct " + constructor.getDeclaringClass().getName(), e);
        }
    }

    private static Slot slot(Class<?> owner, RecordComponent component) {
        Class<?> raw = component.getType();
        if (raw.isRecord() && raw.isAnnotationPresent(ParamGroup.class)) {
            List<Single> params = new ArrayList<>();
            for (RecordComponent inner : raw.getRecordComponents()) {
                params.add(single(raw, inner));
            }
            return new Group(canonicalConstructor(raw), List.copyOf(params));
        }
        return single(owner, component);
    }

    private static Single single(Class<?> owner, RecordComponent component) {
        Param param = component.getAnnotation(Param.class);
        String where = owner.getName() + "." + component.getName();
        if (param == null) {
            throw new IllegalArgumentException(where + " has no @Param");
        }
        Type generic = component.getGenericType();
        boolean optional = component.getType() == Optional.class;
        Class<?> valueClass = optional ? typeArgument(generic, 0, where) : component.getType();
        Kind kind = kind(valueClass, generic, where);
        boolean required = !optional && kind != Kind.LIST && kind != Kind.MAP && kind != Kind.ENTRIES;
        ParamType type = switch (kind) {
            case STRING, ENUM -> param.entity() != Entity.NONE ? ParamType.UUID : ParamType.STRING;
            case LONG -> ParamType.LONG;
            case INTEGER -> ParamType.INTEGER;
            case BOOLEAN -> ParamType.BOOLEAN;
            case LIST -> ParamType.LIST;
            case MAP, ENTRIES -> ParamType.MAP;
        };
        boolean textual = kind == Kind.STRING || kind == Kind.LIST || kind == Kind.MAP || kind == Kind.ENTRIES;
        boolean numeric = kind == Kind.LONG || kind == Kind.INTEGER;
        if (!numeric && (param.min() != Long.MIN_VALUE || param.max() != Long.MAX_VALUE)) {
            throw new IllegalArgumentException(where + ": min/max apply to numbers only");
        }
        if (kind != Kind.STRING && param.format() != Format.ANY) {
            throw new IllegalArgumentException(where + ": format applies to strings only");
        }
        if (kind != Kind.STRING && kind != Kind.LIST && param.entity() != Entity.NONE) {
            throw new IllegalArgumentException(where + ": entity applies to strings and lists (of ids) only");
        }
        if (param.acl() && !param.entity().owned()) {
            throw new IllegalArgumentException(where + ": acl needs an entity that accounts or domains own");
        }
        long min = param.min();
        long max = param.max();
        if (kind == Kind.INTEGER) {
            min = Math.max(min, Integer.MIN_VALUE);
            max = Math.min(max, Integer.MAX_VALUE);
        }
        List<String> allowed = kind == Kind.ENUM
                ? Arrays.stream(valueClass.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList() : List.of();
        String name = param.name().isEmpty() ? component.getName().toLowerCase(Locale.ROOT) : param.name();
        ApiParam apiParam = new ApiParam(name, type, required, textual ? param.length() : 0, min, max, allowed,
                param.entity(), param.acl(), param.format(), param.column(), param.multiline(), param.description());
        return new Single(apiParam, kind, valueClass, optional);
    }

    private static Kind kind(Class<?> valueClass, Type generic, String where) {
        if (valueClass == String.class) {
            return Kind.STRING;
        } else if (valueClass == Long.class) {
            return Kind.LONG;
        } else if (valueClass == Integer.class) {
            return Kind.INTEGER;
        } else if (valueClass == Boolean.class) {
            return Kind.BOOLEAN;
        } else if (valueClass.isEnum()) {
            return Kind.ENUM;
        } else if (valueClass == List.class && isEntries(generic)) {
            return Kind.ENTRIES;
        } else if (valueClass == List.class && typeArgument(generic, 0, where) == String.class) {
            return Kind.LIST;
        } else if (valueClass == Map.class && typeArgument(generic, 1, where) == String.class) {
            return Kind.MAP;
        }
        throw new IllegalArgumentException(where + ": unsupported parameter type " + generic.getTypeName());
    }

    /** {@code List<Map<String, String>>}: map entries kept apart, in index order. */
    private static boolean isEntries(Type generic) {
        return generic instanceof ParameterizedType list
                && list.getActualTypeArguments()[0] instanceof ParameterizedType entry
                && entry.getRawType() == Map.class && entry.getActualTypeArguments()[0] == String.class
                && entry.getActualTypeArguments()[1] == String.class;
    }

    private static Class<?> typeArgument(Type generic, int index, String where) {
        if (generic instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[index] instanceof Class<?> argument) {
            return argument;
        }
        throw new IllegalArgumentException(where + ": unsupported parameter type " + generic.getTypeName());
    }

    private static Constructor<?> canonicalConstructor(Class<?> record) {
        Class<?>[] types = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            Constructor<?> constructor = record.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(record.getName() + " has no canonical constructor", e);
        }
    }
}
