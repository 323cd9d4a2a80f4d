package io.rbdstack.spi;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a setting or a storage plugin option holds and which values it allows, declared with it
 * once, so that updateConfiguration's check, the readers' fallback to the default and the admin
 * guide all use the same definition.
 */
public sealed interface ValueType permits ValueType.WholeNumber, ValueType.Decimal, ValueType.Flag, ValueType.Text,
        ValueType.Matching {

    /** Empty when {@code value} is allowed, else why not ("must be a whole number from 1 to 604800"). */
    Optional<String> problem(String value);

    /** What is allowed, as the admin guide shows it: "1 to 604800", "true or false". */
    String allowed();

    /** The configuration table's {@code type} column (listConfigurations shows it lower-cased). */
    String typeName();

    default boolean accepts(String value) {
        return problem(value).isEmpty();
    }

    static WholeNumber wholeNumber(long min, long max) {
        return new WholeNumber(min, max);
    }

    static Decimal decimal(String min, String max) {
        return new Decimal(new BigDecimal(min), new BigDecimal(max));
    }

    static Flag flag() {
        return new Flag();
    }

    static Text text() {
        return new Text();
    }

    /** Text of the form {@code regex}; {@code allowed} says it in words ("a Linux interface name, …"). */
    static Matching matching(String regex, String allowed) {
        return new Matching(Pattern.compile(regex), allowed);
    }

    /** A whole number from {@code min} to {@code max}, both included. */
    record WholeNumber(long min, long max) implements ValueType {

        // Up to 19 digits: anything longer cannot be a long, and the range check needs one.
        private static final Pattern FORM = Pattern.compile("-?\\d{1,19}");

        public WholeNumber {
            if (min > max) {
                throw new IllegalArgumentException("min " + min + " > max " + max);
            }
        }

        @Override
        public Optional<String> problem(String value) {
            if (value != null && FORM.matcher(value).matches()) {
                try {
                    long number = Long.parseLong(value);
                    if (number >= min && number <= max) {
                        return Optional.empty();
                    }
                } catch (NumberFormatException tooLong) {
                    // falls through to the same answer as any other out-of-range value
                }
            }
            return Optional.of("must be a whole number from " + allowed());
        }

        @Override
        public String allowed() {
            return min + " to " + max;
        }

        @Override
        public String typeName() {
            return "INTEGER";
        }
    }

    /** A decimal number such as {@code 1.5} from {@code min} to {@code max}, both included. */
    record Decimal(BigDecimal min, BigDecimal max) implements ValueType {

        private static final Pattern FORM = Pattern.compile("-?\\d{1,30}(\\.\\d{1,30})?");

        public Decimal {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.compareTo(max) > 0) {
                throw new IllegalArgumentException("min " + min + " > max " + max);
            }
        }

        @Override
        public Optional<String> problem(String value) {
            if (value != null && FORM.matcher(value).matches()) {
                BigDecimal number = new BigDecimal(value);
                if (number.compareTo(min) >= 0 && number.compareTo(max) <= 0) {
                    return Optional.empty();
                }
            }
            return Optional.of("must be a number from " + allowed());
        }

        @Override
        public String allowed() {
            return min.toPlainString() + " to " + max.toPlainString();
        }

        @Override
        public String typeName() {
            return "DECIMAL";
        }
    }

    /** {@code true} or {@code false}, as CloudStack writes booleans. */
    record Flag() implements ValueType {

        @Override
        public Optional<String> problem(String value) {
            return "true".equals(value) || "false".equals(value) ? Optional.empty()
                    : Optional.of("must be true or false");
        }

        @Override
        public String allowed() {
            return "true or false";
        }

        @Override
        public String typeName() {
            return "BOOLEAN";
        }
    }

    /** Any text. */
    record Text() implements ValueType {

        @Override
        public Optional<String> problem(String value) {
            return value == null ? Optional.of("must be given") : Optional.empty();
        }

        @Override
        public String allowed() {
            return "any text";
        }

        @Override
        public String typeName() {
            return "STRING";
        }
    }

    /** Text of a given form, such as a network interface name. */
    record Matching(Pattern form, String allowed) implements ValueType {

        public Matching {
            Objects.requireNonNull(form, "form");
            Objects.requireNonNull(allowed, "allowed");
        }

        @Override
        public Optional<String> problem(String value) {
            return value != null && form.matcher(value).matches() ? Optional.empty()
                    : Optional.of("must be " + allowed);
        }

        @Override
        public String typeName() {
            return "STRING";
        }
    }
}
