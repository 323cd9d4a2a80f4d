import { describe, expect, it, vi } from 'vitest'

// The app's API client stands for the server; the list answers what the test puts in `pages`.
const pages = []
const asked = []
vi.mock('../src/api/index.js', () => ({
  api: {
    list: async (command, key, params) => {
      asked.push({ command, key, params })
      const next = pages.shift()
      if (next instanceof Error) {
        throw next
      }
      return next
    },
  },
}))

const { useLoad, usePagedList } = await import('../src/admin/useLoad.js')

describe('useLoad', () => {
  it('is loading while it fetches, and keeps the failure for the page to show', async () => {
    let seenLoading
    const page = useLoad(async () => {
      seenLoading = page.loading.value
      throw new Error('Database error')
    })
    await page.load()
    expect(seenLoading).toBe(true)
    expect(page.loading.value).toBe(false)
    expect(page.error.value.message).toBe('Database error')
  })
})

describe('usePagedList', () => {
  it('asks for the filters of the moment and the page, and starts again at page 1 on a new search', async () => {
    const filters = { keyword: 'host' }
    const loaded = []
    const list = usePagedList('listAlerts', 'alert', () => ({ ...filters }), { pageSize: 2, loaded: (items) => loaded.push(items) })
    pages.push({ items: [{ id: 'a3' }, { id: 'a4' }], count: 5 }, { items: [{ id: 'a1' }], count: 1 })
    await list.pageChanged({ current: 2 })
    expect(asked.at(-1)).toEqual({ command: 'listAlerts', key: 'alert', params: { keyword: 'host', page: 2, pagesize: 2 } })
    expect(list.total.value).toBe(5)

    filters.keyword = 'pool'
    await list.search()
    expect(asked.at(-1).params).toEqual({ keyword: 'pool', page: 1, pagesize: 2 })
    expect(list.items.value).toEqual([{ id: 'a1' }])
    expect(loaded).toEqual([[{ id: 'a3' }, { id: 'a4' }], [{ id: 'a1' }]])
  })

  it('keeps the rows it had when a load fails', async () => {
    const list = usePagedList('listAsyncJobs', 'asyncjobs', () => ({}))
    pages.push({ items: [{ jobid: 'j1' }], count: 1 }, new Error('timeout'))
    await list.load()
    await list.load()
    expect(list.error.value.message).toBe('timeout')
    expect(list.items.value).toEqual([{ jobid: 'j1' }])
  })
})
