/**
 * A CloudStack API client for the browser: everything the UI does goes through /client/api, as any
 * CloudStack client's calls do. Login opens a session (the JSESSIONID cookie, HttpOnly, set by the
 * server) and returns a sessionkey; CloudStack's CSRF model wants that key as a parameter of every
 * later call, so a page of another site, which can make the browser send the cookie but cannot read
 * the key, cannot act for the user.
 *
 * Every call is a POST of a form: parameters (passwords, cephx secrets) then never appear in URLs,
 * where server logs, proxies and the browser's history would keep them.
 */

export const API_PATH = '/client/api'

/** An API error: CloudStack's errorcode (431 parameter error, 401 no session, 530 internal…) and errortext. */
export class ApiError extends Error {
  constructor(command, status, errorcode, errortext) {
    super(errortext || `${command} failed with HTTP ${status}`)
    this.name = 'ApiError'
    this.command = command
    this.status = status
    this.errorcode = errorcode
    this.errortext = errortext || this.message
  }
}

/** The object inside CloudStack's `<command>response` envelope (or `errorresponse`). */
export function envelope(command, body) {
  if (body === null || typeof body !== 'object') {
    return undefined
  }
  const key = `${command.toLowerCase()}response`
  if (key in body) {
    return body[key]
  }
  return body.errorresponse
}

/** Turns a fetch Response of `command` into its envelope's content, or throws an ApiError. */
export async function readReply(command, response) {
  const text = await response.text()
  let body
  try {
    body = text === '' ? null : JSON.parse(text)
  } catch (notJson) {
    throw new ApiError(command, response.status, response.status,
      `${command}: the server answered HTTP ${response.status} with something that is not JSON`)
  }
  const content = envelope(command, body)
  if (!response.ok || (content && content.errorcode !== undefined)) {
    throw new ApiError(command, response.status, content?.errorcode ?? response.status, content?.errortext)
  }
  if (content === undefined) {
    throw new ApiError(command, response.status, 530, `${command}: the answer has no ${command.toLowerCase()}response`)
  }
  return content
}

/** Form fields in insertion order; undefined, null and '' values are left out (CloudStack treats them as absent). */
export function formOf(params) {
  const form = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      form.append(name, String(value))
    }
  }
  return form
}

const JOB_PENDING = 0
const JOB_SUCCEEDED = 1

export class ApiClient {
  /**
   * @param {object} options
   * @param {Function} [options.fetch] the fetch to use (tests give their own)
   * @param {Storage} [options.storage] where the sessionkey survives a page reload (sessionStorage:
   *   per tab, gone when the tab closes; never localStorage, which outlives the session)
   * @param {Function} [options.sleep] waits between job polls (tests give a fake clock)
   */
  constructor({ fetch: fetchFn = globalThis.fetch?.bind(globalThis), storage = null, sleep } = {}) {
    this.fetch = fetchFn
    this.storage = storage
    this.sleep = sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.session = storage ? JSON.parse(storage.getItem('rbdstack.session') || 'null') : null
    this.onSessionEnded = () => {}
  }

  get loggedIn() {
    return this.session !== null
  }

  async post(command, params) {
    const form = formOf({ command, ...params, response: 'json' })
    const response = await this.fetch(API_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: form.toString(),
      credentials: 'same-origin',
      cache: 'no-store',
    })
    return readReply(command, response)
  }

  async login(username, password, domain) {
    // CloudStack's domain is a path such as "/" or "/customer"; empty means ROOT.
    const reply = await this.post('login', { username, password, domain: domain || '/' })
    this.remember({ sessionkey: reply.sessionkey, username: reply.username, account: reply.account,
      type: reply.type })
    return this.session
  }

  remember(session) {
    this.session = session
    if (this.storage) {
      if (session) {
        this.storage.setItem('rbdstack.session', JSON.stringify(session))
      } else {
        this.storage.removeItem('rbdstack.session')
      }
    }
  }

  async logout() {
    try {
      if (this.session) {
        await this.call('logout')
      }
    } finally {
      this.remember(null)
    }
  }

  /** Any command but login: the sessionkey goes with it. A 401 ends the session here too. */
  async call(command, params = {}) {
    if (!this.session) {
      throw new ApiError(command, 401, 401, 'Not logged in')
    }
    try {
      return await this.post(command, { ...params, sessionkey: this.session.sessionkey })
    } catch (e) {
      if (e instanceof ApiError && e.errorcode === 401) {
        this.remember(null)
        this.onSessionEnded(e)
      }
      throw e
    }
  }

  /** A list command's items (`key` names them, e.g. storagepool) and count; absent means none. */
  async list(command, key, params = {}) {
    const reply = await this.call(command, params)
    return { items: reply[key] ?? [], count: reply.count ?? 0 }
  }

  /**
   * Runs an async command and waits for its job: resolves with the jobresult, throws an ApiError with
   * the job's errortext when it fails. onProgress gets {percent, bytesDone, bytesTotal, bytesPerSecond}
   * at each poll.
   */
  async runJob(command, params = {}, { onProgress = () => {}, intervalMs = 1000 } = {}) {
    const started = await this.call(command, params)
    if (!started.jobid) {
      throw new ApiError(command, 200, 530, `${command} started no job`)
    }
    return this.awaitJob(command, started.jobid, { onProgress, intervalMs })
  }

  /**
   * Runs a command whether the server makes it a job or answers at once (CloudStack makes some admin
   * commands async, e.g. deleteDomain): resolves with the jobresult or the reply.
   */
  async act(command, params = {}, options = {}) {
    const reply = await this.call(command, params)
    return reply.jobid ? this.awaitJob(command, reply.jobid, options) : reply
  }

  async awaitJob(command, jobid, { onProgress = () => {}, intervalMs = 1000 } = {}) {
    for (;;) {
      const job = await this.call('queryAsyncJobResult', { jobid })
      onProgress(progressOf(job))
      if (job.jobstatus === JOB_SUCCEEDED) {
        return job.jobresult
      }
      if (job.jobstatus !== JOB_PENDING) {
        const result = job.jobresult ?? {}
        throw new ApiError(command, result.errorcode ?? 530, result.errorcode ?? 530,
          result.errortext ?? `${command} failed`)
      }
      await this.sleep(intervalMs)
    }
  }
}

/** A job's progress: CloudStack's jobprocstatus percentage and rbdstack's byte counts when it has them. */
export function progressOf(job) {
  const bytesTotal = job.bytestotal ?? null
  const bytesDone = job.bytesdone ?? null
  let percent = Number(job.jobprocstatus ?? 0)
  if (bytesTotal && bytesDone !== null) {
    percent = Math.floor((bytesDone * 100) / bytesTotal)
  }
  if (job.jobstatus === JOB_SUCCEEDED) {
    percent = 100
  }
  return { percent: Math.max(0, Math.min(100, percent)), bytesDone, bytesTotal,
    bytesPerSecond: job.bytespersecond ?? null }
}
