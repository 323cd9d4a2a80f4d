import { describe, expect, it } from 'vitest'
import { ApiClient, ApiError, progressOf } from '../src/api/client.js'

/** A fake server: answers each POST from `replies` in turn and records what was sent. */
function fakeServer(replies) {
  const sent = []
  const fetch = async (url, init) => {
    const form = new URLSearchParams(init.body)
    sent.push({ url, method: init.method, form: Object.fromEntries(form) })
    const next = replies.shift()
    if (!next) {
      throw new Error(`unexpected call ${form.get('command')}`)
    }
    const [status, body] = typeof next === 'function' ? next(form) : next
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })
  }
  return { fetch, sent }
}

function memoryStorage() {
  const items = new Map()
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v), removeItem: (k) => items.delete(k) }
}

const loginReply = [200, { loginresponse: { sessionkey: 'key-123', username: 'admin', account: 'admin', type: '1' } }]

describe('ApiClient', () => {
  it('logs in with a POSTed form and sends the sessionkey with every later call', async () => {
    const server = fakeServer([loginReply,
      [200, { listzonesresponse: { count: 1, zone: [{ id: 'z1' }] } }],
      [200, { liststoragepoolsresponse: {} }]])
    const api = new ApiClient({ fetch: server.fetch })
    await api.login('admin', 'p@ss&word=1', '/')
    const zones = await api.list('listZones', 'zone')
    const pools = await api.list('listStoragePools', 'storagepool', { zoneid: 'z1' })

    expect(server.sent[0]).toMatchObject({ url: '/client/api', method: 'POST',
      form: { command: 'login', username: 'admin', password: 'p@ss&word=1', domain: '/', response: 'json' } })
    expect(server.sent[0].form.sessionkey).toBeUndefined()
    expect(server.sent.slice(1).map((s) => s.form.sessionkey)).toEqual(['key-123', 'key-123'])
    expect(server.sent[2].form).toMatchObject({ command: 'listStoragePools', zoneid: 'z1', response: 'json' })
    expect(zones).toEqual({ items: [{ id: 'z1' }], count: 1 })
    expect(pools).toEqual({ items: [], count: 0 })
  })

  it('keeps the session in the given storage across a reload and forgets it at logout', async () => {
    const storage = memoryStorage()
    const server = fakeServer([loginReply, [200, { logoutresponse: { description: 'success' } }]])
    await new ApiClient({ fetch: server.fetch, storage }).login('admin', 'pw')
    const reloaded = new ApiClient({ fetch: server.fetch, storage })
    expect(reloaded.loggedIn).toBe(true)
    await reloaded.logout()
    expect(server.sent[1].form).toMatchObject({ command: 'logout', sessionkey: 'key-123' })
    expect(reloaded.loggedIn).toBe(false)
    expect(new ApiClient({ fetch: server.fetch, storage }).loggedIn).toBe(false)
  })

  it('turns an error envelope into an ApiError with the errorcode and errortext', async () => {
    const text = 'Invalid value for parameter details[].secret: not a cephx key'
    const server = fakeServer([loginReply,
      [431, { createstoragepoolresponse: { uuidList: [], errorcode: 431, cserrorcode: 4350, errortext: text } }]])
    const api = new ApiClient({ fetch: server.fetch })
    await api.login('admin', 'pw')
    const error = await api.call('createStoragePool', { name: 'p' }).catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ command: 'createStoragePool', status: 431, errorcode: 431, errortext: text })
  })

  it('reads the errorresponse envelope of a request the server could not read', async () => {
    const server = fakeServer([[430, { errorresponse: { errorcode: 430, errortext: 'Unable to decode parameter x' } }]])
    const error = await new ApiClient({ fetch: server.fetch }).login('a', 'b').catch((e) => e)
    expect(error).toMatchObject({ errorcode: 430, errortext: 'Unable to decode parameter x' })
  })

  it('reports an answer that is not JSON as an error naming the HTTP status', async () => {
    const server = fakeServer([[502, '<html>Bad gateway</html>']])
    const error = await new ApiClient({ fetch: server.fetch }).login('a', 'b').catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(502)
    expect(error.errortext).toMatch(/HTTP 502/)
  })

  it('ends the session and tells the app when the server answers 401', async () => {
    const server = fakeServer([loginReply,
      [401, { listzonesresponse: { errorcode: 401, errortext: 'unable to verify user credentials' } }]])
    const api = new ApiClient({ fetch: server.fetch })
    let ended = null
    api.onSessionEnded = (e) => { ended = e }
    await api.login('admin', 'pw')
    await expect(api.call('listZones')).rejects.toMatchObject({ errorcode: 401 })
    expect(api.loggedIn).toBe(false)
    expect(ended).toBeInstanceOf(ApiError)
  })

  it('refuses a call before login without sending anything', async () => {
    const server = fakeServer([])
    await expect(new ApiClient({ fetch: server.fetch }).call('listZones')).rejects.toMatchObject({ errorcode: 401 })
    expect(server.sent).toEqual([])
  })

  it('polls queryAsyncJobResult until the job ends and reports each progress step', async () => {
    const job = (extra) => [200, { queryasyncjobresultresponse: { jobid: 'j1', ...extra } }]
    const server = fakeServer([loginReply,
      [200, { backupsnapshotresponse: { jobid: 'j1' } }],
      job({ jobstatus: 0, jobprocstatus: 0 }),
      job({ jobstatus: 0, jobprocstatus: 40, bytesdone: 400, bytestotal: 1000, bytespersecond: 200 }),
      job({ jobstatus: 1, jobprocstatus: 100, bytesdone: 1000, bytestotal: 1000,
        jobresult: { snapshot: { id: 's1' } } })])
    const slept = []
    const api = new ApiClient({ fetch: server.fetch, sleep: async (ms) => { slept.push(ms) } })
    await api.login('admin', 'pw')
    const progress = []
    const result = await api.runJob('backupSnapshot', { id: 's1' }, { onProgress: (p) => progress.push(p), intervalMs: 500 })

    expect(result).toEqual({ snapshot: { id: 's1' } })
    expect(progress.map((p) => p.percent)).toEqual([0, 40, 100])
    expect(progress[1]).toEqual({ percent: 40, bytesDone: 400, bytesTotal: 1000, bytesPerSecond: 200 })
    expect(slept).toEqual([500, 500])
    expect(server.sent.slice(2).every((s) => s.form.command === 'queryAsyncJobResult' && s.form.jobid === 'j1'
      && s.form.sessionkey === 'key-123')).toBe(true)
  })

  it('throws the failed job\'s errortext', async () => {
    const server = fakeServer([loginReply,
      [200, { backupsnapshotresponse: { jobid: 'j2' } }],
      [200, { queryasyncjobresultresponse: { jobid: 'j2', jobstatus: 2, jobresultcode: 530,
        jobresult: { errorcode: 533, errortext: 'no image store has room' } } }]])
    const api = new ApiClient({ fetch: server.fetch, sleep: async () => {} })
    await api.login('admin', 'pw')
    await expect(api.runJob('backupSnapshot', { id: 's1' })).rejects.toMatchObject({
      command: 'backupSnapshot', errorcode: 533, errortext: 'no image store has room' })
  })

  it('act follows the job of a command the server made async, and returns a sync reply as it is', async () => {
    const server = fakeServer([loginReply,
      [200, { deletedomainresponse: { jobid: 'j3' } }],
      [200, { queryasyncjobresultresponse: { jobid: 'j3', jobstatus: 1, jobresult: { success: true } } }],
      [200, { deletepodresponse: { success: true } }]])
    const api = new ApiClient({ fetch: server.fetch, sleep: async () => {} })
    await api.login('admin', 'pw')
    expect(await api.act('deleteDomain', { id: 'd1' })).toEqual({ success: true })
    expect(await api.act('deletePod', { id: 'p1' })).toEqual({ success: true })
    expect(server.sent.map((s) => s.form.command)).toEqual(['login', 'deleteDomain', 'queryAsyncJobResult', 'deletePod'])
  })
})

describe('progressOf', () => {
  it('prefers the byte counts over jobprocstatus and caps at 100', () => {
    expect(progressOf({ jobstatus: 0, jobprocstatus: 10, bytesdone: 3, bytestotal: 4 }).percent).toBe(75)
    expect(progressOf({ jobstatus: 0, jobprocstatus: 250 }).percent).toBe(100)
    expect(progressOf({ jobstatus: 0, jobprocstatus: 7 })).toEqual({ percent: 7, bytesDone: null, bytesTotal: null,
      bytesPerSecond: null })
  })
})
