package io.rbdstack.server.snapshot.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolicyScheduleTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static PolicySchedule schedule(IntervalType interval, String text, ZoneId zone) {
        return PolicySchedule.parse(interval, text, zone);
    }

    /** The next {@code n} slots after {@code from}. */
    private static List<Instant> slots(PolicySchedule schedule, Instant from, int n) {
        List<Instant> slots = new ArrayList<>();
        Instant t = from;
        for (int i = 0; i < n; i++) {
            t = schedule.nextAfter(t);
            slots.add(t);
        }
        return slots;
    }

    private static List<Instant> instants(String... texts) {
        return java.util.Arrays.stream(texts).map(Instant::parse).toList();
    }

    @Test
    void hourlyFiresAtItsMinuteOfEveryHourAndNeverAtTheInstantItStartsFrom() {
        PolicySchedule hourly = schedule(IntervalType.HOURLY, "15", ZoneOffset.UTC);
        assertEquals(Instant.parse("2024-05-01T10:15:00Z"), hourly.nextAfter(Instant.parse("2024-05-01T10:14:59Z")));
        assertEquals(Instant.parse("2024-05-01T11:15:00Z"), hourly.nextAfter(Instant.parse("2024-05-01T10:15:00Z")));
        assertEquals(Instant.parse("2024-05-02T00:15:00Z"), hourly.nextAfter(Instant.parse("2024-05-01T23:40:00Z")));
    }

    @Test
    void hourlyInAZoneWithAHalfHourOffsetFollowsTheLocalMinute() {
        PolicySchedule hourly = schedule(IntervalType.HOURLY, "00", ZoneId.of("Asia/Kolkata"));
        // 10:00 in Kolkata (+05:30) is 04:30 UTC.
        assertEquals(Instant.parse("2024-05-01T04:30:00Z"), hourly.nextAfter(Instant.parse("2024-05-01T04:00:00Z")));
    }

    @Test
    void hourlyFiresOncePerElapsedHourWhenTheClockGoesBack() {
        // New York, 3 November 2024: 01:59:59 EDT is followed by 01:00:00 EST.
        PolicySchedule hourly = schedule(IntervalType.HOURLY, "30", NEW_YORK);
        assertEquals(instants("2024-11-03T04:30:00Z", "2024-11-03T05:30:00Z", "2024-11-03T06:30:00Z",
                        "2024-11-03T07:30:00Z"),
                slots(hourly, Instant.parse("2024-11-03T04:00:00Z"), 4), "00:30 EDT, 01:30 EDT, 01:30 EST, 02:30 EST");
    }

    @Test
    void hourlyFiresOncePerElapsedHourWhenTheClockGoesForward() {
        // New York, 10 March 2024: 01:59:59 EST is followed by 03:00:00 EDT; 02:30 does not exist.
        PolicySchedule hourly = schedule(IntervalType.HOURLY, "30", NEW_YORK);
        assertEquals(instants("2024-03-10T06:30:00Z", "2024-03-10T07:30:00Z", "2024-03-10T08:30:00Z"),
                slots(hourly, Instant.parse("2024-03-10T06:00:00Z"), 3), "01:30 EST, 03:30 EDT, 04:30 EDT");
    }

    @Test
    void dailyFiresOnceOnTheDayTheClockGoesBackAtTheFirstOfTheRepeatedTimes() {
        PolicySchedule daily = schedule(IntervalType.DAILY, "30:01", NEW_YORK);
        assertEquals(instants("2024-11-02T05:30:00Z", "2024-11-03T05:30:00Z", "2024-11-04T06:30:00Z"),
                slots(daily, Instant.parse("2024-11-02T00:00:00Z"), 3), "01:30 EDT, 01:30 EDT (not EST too), 01:30 EST");
    }

    @Test
    void dailyAtASkippedTimeFiresAnHourLaterThatDayOnly() {
        // Berlin, 31 March 2024: 02:00 CET jumps to 03:00 CEST.
        PolicySchedule daily = schedule(IntervalType.DAILY, "30:02", BERLIN);
        assertEquals(instants("2024-03-30T01:30:00Z", "2024-03-31T01:30:00Z", "2024-04-01T00:30:00Z"),
                slots(daily, Instant.parse("2024-03-30T00:00:00Z"), 3), "02:30 CET, 03:30 CEST, 02:30 CEST");
    }

    @Test
    void dailyKeepsItsLocalTimeAcrossTheChangeSoItsUtcTimeMoves() {
        PolicySchedule daily = schedule(IntervalType.DAILY, "0:9", BERLIN);
        assertEquals(instants("2024-10-26T07:00:00Z", "2024-10-27T08:00:00Z"),
                slots(daily, Instant.parse("2024-10-26T00:00:00Z"), 2));
    }

    @ParameterizedTest(name = "D={0} is {1}")
    @CsvSource({"1, 2024-05-05T08:00:00Z", "2, 2024-05-06T08:00:00Z", "7, 2024-05-04T08:00:00Z"})
    void weeklyCountsDaysAsCalendarDoesFromSunday(int day, String expected) {
        // Friday 3 May 2024, 12:00 UTC.
        PolicySchedule weekly = schedule(IntervalType.WEEKLY, "00:08:" + day, ZoneOffset.UTC);
        assertEquals(Instant.parse(expected), weekly.nextAfter(Instant.parse("2024-05-03T12:00:00Z")));
    }

    @Test
    void weeklyOnItsOwnDayAfterItsTimeWaitsAWeek() {
        PolicySchedule weekly = schedule(IntervalType.WEEKLY, "00:08:6", ZoneOffset.UTC);
        assertEquals(instants("2024-05-10T08:00:00Z", "2024-05-17T08:00:00Z"),
                slots(weekly, Instant.parse("2024-05-03T08:00:00Z"), 2), "Fridays");
    }

    @Test
    void monthlyCopesWithEveryMonthLengthAndTheYearsEnd() {
        PolicySchedule monthly = schedule(IntervalType.MONTHLY, "45:23:28", ZoneOffset.UTC);
        assertEquals(instants("2024-01-28T23:45:00Z", "2024-02-28T23:45:00Z", "2024-03-28T23:45:00Z",
                        "2024-04-28T23:45:00Z"),
                slots(monthly, Instant.parse("2024-01-01T00:00:00Z"), 4), "31, 29 (leap year), 31 and 30 day months");
        assertEquals(Instant.parse("2025-01-28T23:45:00Z"), monthly.nextAfter(Instant.parse("2024-12-31T12:00:00Z")));
        PolicySchedule first = schedule(IntervalType.MONTHLY, "00:00:1", ZoneOffset.UTC);
        assertEquals(Instant.parse("2023-03-01T00:00:00Z"), first.nextAfter(Instant.parse("2023-02-28T23:59:59Z")),
                "from the last day of a 28-day February");
        assertEquals(Instant.parse("2024-05-01T00:00:00Z"), first.nextAfter(Instant.parse("2024-04-30T10:00:00Z")),
                "from the last day of a 30-day month");
    }

    @Test
    void monthlyInATimeZoneAheadOfUtcUsesTheLocalDay() {
        PolicySchedule monthly = schedule(IntervalType.MONTHLY, "00:00:1", ZoneId.of("Asia/Tokyo"));
        // 1 June 00:00 in Tokyo is 31 May 15:00 UTC.
        assertEquals(Instant.parse("2024-05-31T15:00:00Z"), monthly.nextAfter(Instant.parse("2024-05-20T00:00:00Z")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "HOURLY|60|the minute must be 0 to 59",
            "HOURLY|30:02|a HOURLY schedule is MM",
            "HOURLY|-1|'-1' is not a number",
            "HOURLY||'' is not a number",
            "DAILY|30|a DAILY schedule is MM:HH",
            "DAILY|00:24|the hour must be 0 to 23",
            "DAILY|aa:01|'aa' is not a number",
            "WEEKLY|00:01:0|the day of the week (1 Sunday … 7 Saturday) must be 1 to 7",
            "WEEKLY|00:01:8|must be 1 to 7",
            "WEEKLY|00:01|a WEEKLY schedule is MM:HH:D",
            "MONTHLY|00:01:29|the day of the month must be 1 to 28",
            "MONTHLY|00:01:0|the day of the month must be 1 to 28",
            "MONTHLY|00:01:1:2|a MONTHLY schedule is MM:HH:D",
            "MONTHLY|000:01:1|'000' is not a number"})
    void malformedSchedulesAreRefusedSayingWhy(IntervalType interval, String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PolicySchedule.parse(interval, text == null ? "" : text, ZoneOffset.UTC));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void testSlotsAreTheSameOnEveryServerAndAlwaysAhead() {
        PolicySlots every = PolicySlots.every(Duration.ofSeconds(20));
        PolicySchedule any = schedule(IntervalType.HOURLY, "00", ZoneOffset.UTC);
        assertEquals(Instant.parse("2024-05-01T10:00:20Z"), every.nextAfter(any, Instant.parse("2024-05-01T10:00:00Z")));
        assertEquals(Instant.parse("2024-05-01T10:00:20Z"), every.nextAfter(any, Instant.parse("2024-05-01T10:00:19.9Z")));
        assertEquals(Instant.parse("2024-05-01T10:00:40Z"), every.nextAfter(any, Instant.parse("2024-05-01T10:00:20Z")));
        assertEquals(Instant.parse("2024-05-01T10:00:00Z"), PolicySlots.asScheduled().nextAfter(any,
                Instant.parse("2024-05-01T09:00:00Z")));
    }

    @Test
    void timeZonesAreJavasIdsIncludingTheOldThreeLetterOnes() {
        assertEquals(ZoneId.of("Europe/Berlin"), PolicyTimeZone.parse("Europe/Berlin"));
        assertEquals(ZoneId.of("America/Los_Angeles"), PolicyTimeZone.parse("PST"));
        assertEquals(ZoneId.of("Etc/GMT+12"), PolicyTimeZone.parse("Etc/GMT+12"));
        assertEquals(ZoneId.of("UTC"), PolicyTimeZone.parse("UTC"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyTimeZone.parse("Mars/Base"));
        assertTrue(e.getMessage().contains("unknown time zone 'Mars/Base'"), e.getMessage());
    }
}
