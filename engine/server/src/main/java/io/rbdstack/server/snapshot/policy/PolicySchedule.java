package io.rbdstack.server.snapshot.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * When a snapshot policy takes its snapshots, in CloudStack's schedule form and the policy's time zone:
 * {@code MM} (HOURLY, at minute MM of every hour), {@code MM:HH} (DAILY), {@code MM:HH:D} (WEEKLY, D the
 * day of the week counted as java.util.Calendar and CloudStack do: 1 Sunday … 7 Saturday; MONTHLY, D the
 * day of the month, 1 to 28 as CloudStack allows, so that every month has it).
 *
 * <p>Across daylight-saving changes: an hourly schedule fires once per elapsed hour (twice at "01:MM"
 * on the night the clock goes back, never at a skipped "02:MM" but an hour after the previous one);
 * a daily, weekly or monthly one fires once on its day, at the first of two repeated local times, and an
 * hour later than written when its local time is skipped (02:30 becomes 03:30).
 */
public record PolicySchedule(IntervalType interval, int minute, int hour, int day, ZoneId zone) {

    public PolicySchedule {
        check(minute, 0, 59, "the minute");
        if (interval != IntervalType.HOURLY) {
            check(hour, 0, 23, "the hour");
        }
        if (interval == IntervalType.WEEKLY) {
            check(day, 1, 7, "the day of the week (1 Sunday … 7 Saturday)");
        } else if (interval == IntervalType.MONTHLY) {
            check(day, 1, 28, "the day of the month");
        }
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with {@code schedule}
     */
    public static PolicySchedule parse(IntervalType interval, String schedule, ZoneId zone) {
        String[] parts = schedule.trim().split(":", -1);
        int expected = switch (interval) {
            case HOURLY -> 1;
            case DAILY -> 2;
            case WEEKLY, MONTHLY -> 3;
        };
        if (parts.length != expected) {
            throw new IllegalArgumentException("a " + interval + " schedule is " + form(interval));
        }
        int minute = number(parts[0], interval);
        int hour = expected > 1 ? number(parts[1], interval) : 0;
        int day = expected > 2 ? number(parts[2], interval) : 0;
        return new PolicySchedule(interval, minute, hour, day, zone);
    }

    /** The first time after {@code after} (strictly) at which the schedule takes a snapshot. */
    public Instant nextAfter(Instant after) {
        ZonedDateTime local = after.atZone(zone);
        return switch (interval) {
            case HOURLY -> nextHourly(after, local);
            case DAILY -> firstAfter(after, local.toLocalDate(), 1);
            case WEEKLY -> firstAfter(after, local.toLocalDate().with(TemporalAdjusters.nextOrSame(dayOfWeek())), 7);
            case MONTHLY -> nextMonthly(after, local.toLocalDate());
        };
    }

    /** Hour by elapsed hour from the start of the local hour, so a repeated hour counts twice and a skipped one not. */
    private Instant nextHourly(Instant after, ZonedDateTime local) {
        ZonedDateTime hourStart = local.truncatedTo(ChronoUnit.HOURS);
        for (int hours = 0; ; hours++) {
            Instant candidate = hourStart.plusHours(hours).withMinute(minute).toInstant();
            if (candidate.isAfter(after)) {
                return candidate;
            }
        }
    }

    /** The schedule's local time on {@code date}, or on the dates {@code stepDays} later, whichever is first after. */
    private Instant firstAfter(Instant after, LocalDate date, int stepDays) {
        Instant candidate = at(date);
        return candidate.isAfter(after) ? candidate : at(date.plusDays(stepDays));
    }

    private Instant nextMonthly(Instant after, LocalDate today) {
        Instant candidate = at(today.withDayOfMonth(day));
        return candidate.isAfter(after) ? candidate : at(today.withDayOfMonth(1).plusMonths(1).withDayOfMonth(day));
    }

    /** The local time on {@code date}: a skipped time moves on by the gap, a repeated one is its first occurrence. */
    private Instant at(LocalDate date) {
        return ZonedDateTime.of(date, LocalTime.of(hour, minute), zone).toInstant();
    }

    private DayOfWeek dayOfWeek() {
        // Calendar's 1 = Sunday; DayOfWeek's 7 = Sunday.
        return DayOfWeek.SUNDAY.plus(day - 1L);
    }

    private static int number(String text, IntervalType interval) {
        if (!text.matches("\\d{1,2}")) {
            throw new IllegalArgumentException("'" + text + "' is not a number; a " + interval + " schedule is "
                    + form(interval));
        }
        return Integer.parseInt(text);
    }

    private static void check(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be " + min + " to " + max + ", not " + value);
        }
    }

    private static String form(IntervalType interval) {
        return switch (interval) {
            case HOURLY -> "MM (the minute of each hour, 0 to 59)";
            case DAILY -> "MM:HH (minute and hour)";
            case WEEKLY -> "MM:HH:D (minute, hour, day of the week 1 Sunday … 7 Saturday)";
            case MONTHLY -> "MM:HH:D (minute, hour, day of the month 1 to 28)";
        };
    }
}
