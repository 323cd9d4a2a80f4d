/**
 * The snapshot policy form's logic. CloudStack's schedule is MM for HOURLY, MM:HH for DAILY, MM:HH:DD for
 * WEEKLY (day 1-7, 1 = Sunday) and MONTHLY (day 1-28). The form checks only the shape, so that a
 * mistyped schedule is caught at once; the ranges are the server's to check, and its error is shown
 * under the schedule field.
 */

export const INTERVALS = ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY']

/** listSnapshotPolicies gives intervaltype as CloudStack's number: 0 HOURLY … 3 MONTHLY. */
export function intervalName(intervaltype) {
  return INTERVALS[Number(intervaltype)] ?? String(intervaltype)
}

export const SCHEDULE_FORMAT = {
  HOURLY: 'MM: the minute of each hour, e.g. 30',
  DAILY: 'MM:HH: minute and hour, e.g. 30:02',
  WEEKLY: 'MM:HH:DD: minute, hour and day of the week (1 = Sunday … 7), e.g. 30:02:1',
  MONTHLY: 'MM:HH:DD: minute, hour and day of the month (1-28), e.g. 30:02:15',
}

const PARTS = { HOURLY: 1, DAILY: 2, WEEKLY: 3, MONTHLY: 3 }

/** What is wrong with the schedule's shape for this interval, or '' when it has the right shape. */
export function scheduleProblem(intervalType, schedule) {
  const text = (schedule ?? '').trim()
  if (text === '') {
    return 'Enter the schedule'
  }
  const parts = text.split(':')
  if (parts.length !== PARTS[intervalType] || parts.some((p) => !/^[0-9]{1,2}$/.test(p))) {
    return `A ${intervalType.toLowerCase()} schedule is ${SCHEDULE_FORMAT[intervalType]}`
  }
  return ''
}

/** The browser's own time zone, the form's default (the server takes Java zone ids, which these are). */
export function browserTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

const DAYS = ['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays']
const two = (n) => String(n).padStart(2, '0')

/** A schedule as people read it: "every hour at :30", "daily at 02:30", "Sundays at 02:30", "day 15 at 02:30". */
export function describeSchedule(intervalType, schedule) {
  if (scheduleProblem(intervalType, schedule)) {
    return schedule
  }
  const [minute, hour, day] = schedule.trim().split(':').map(Number)
  const time = `${two(hour)}:${two(minute)}`
  switch (intervalType) {
    case 'HOURLY': return `every hour at :${two(minute)}`
    case 'DAILY': return `daily at ${time}`
    case 'WEEKLY': return `${DAYS[day - 1] ?? `day ${day}`} at ${time}`
    default: return `day ${day} of each month at ${time}`
  }
}

/** Problems of the form, {field: text}; empty when it can be sent. */
export function policyProblems(form) {
  const problems = {}
  if (!form.volumeId) {
    problems.volumeId = 'Choose a volume'
  }
  const schedule = scheduleProblem(form.intervalType, form.schedule)
  if (schedule) {
    problems.schedule = schedule
  }
  if (!(form.timezone ?? '').trim()) {
    problems.timezone = 'Enter a time zone, e.g. UTC or Europe/Berlin'
  }
  if (!Number.isInteger(form.maxSnaps) || form.maxSnaps < 1) {
    problems.maxSnaps = 'Keep at least 1 snapshot'
  }
  return problems
}

/** createSnapshotPolicy's parameters; tags are key=value rows, sent as CloudStack's tags[n].key/value map. */
export function createSnapshotPolicyParams(form) {
  const params = {
    volumeid: form.volumeId,
    intervaltype: form.intervalType,
    schedule: form.schedule.trim(),
    timezone: form.timezone.trim(),
    maxsnaps: form.maxSnaps,
  }
  ;(form.tags ?? []).filter((t) => (t.key ?? '').trim() !== '').forEach((t, i) => {
    params[`tags[${i}].key`] = t.key.trim()
    params[`tags[${i}].value`] = (t.value ?? '').trim()
  })
  return params
}

/** API parameter → form field, for the server's errors. */
export const POLICY_FIELDS = { volumeid: 'volumeId', intervaltype: 'intervalType', schedule: 'schedule',
  timezone: 'timezone', maxsnaps: 'maxSnaps', tags: 'tags' }
