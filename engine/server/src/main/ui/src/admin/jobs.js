/** How the async jobs page tells a job: running, succeeded or failed, and in a few words what came of it. */

export const JOB_STATUS = { 0: 'Running', 1: 'Succeeded', 2: 'Failed' }

/** The command's own name: rbdstack lists it as such, CloudStack as a class name (…api.command.admin.FooCmd). */
export function commandOf(job) {
  const cmd = job.cmd ?? ''
  const simple = cmd.split('.').pop()
  return simple.endsWith('Cmd') ? simple.slice(0, -3).replace(/^./, (c) => c.toLowerCase()) : simple
}

/** A finished job's result in a line: the error text, or what the result names (a snapshot's name…). */
export function resultOf(job) {
  if (job.jobstatus === 0) {
    return ''
  }
  const result = job.jobresult ?? {}
  if (job.jobstatus !== 1) {
    return result.errortext ?? `Failed with code ${result.errorcode ?? job.jobresultcode ?? 'unknown'}`
  }
  for (const [key, value] of Object.entries(result)) {
    if (value && typeof value === 'object') {
      return `${key} ${value.name ?? value.id ?? ''}`.trim()
    }
  }
  return result.success === undefined ? 'Done' : result.success ? 'Done' : 'Done, without success'
}

/**
 * A running job whose transfer waits for one of its host's transfer workers (rbdstack's transferqueued and
 * transfersahead in listAsyncJobs and queryAsyncJobResult): "queued (N ahead)"; '' for any other job.
 */
export function queuedOf(job) {
  if (job.jobstatus !== 0 || job.transferqueued !== true) {
    return ''
  }
  // Only a count the server sent: Number(null) and Number('') are 0, which would claim nothing is ahead.
  const ahead = job.transfersahead
  return Number.isInteger(ahead) && ahead >= 0 ? `queued (${ahead} ahead)` : 'queued'
}

export const anyRunning = (jobs) => jobs.some((j) => j.jobstatus === 0)
