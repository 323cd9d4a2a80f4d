import { ref } from 'vue'
import { api } from '../api/index.js'

/**
 * A page's loading and its failure: `load()` runs `fetch`, `loading` is true meanwhile, and `error`
 * holds what went wrong for LoadError to show with its retry.
 */
export function useLoad(fetch) {
  const loading = ref(true)
  const error = ref(null)

  async function load() {
    loading.value = true
    error.value = null
    try {
      await fetch()
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  return { loading, error, load }
}

/**
 * A paged list command's rows (events, alerts, jobs): `params()` gives the filters of the moment;
 * `search()` starts again at page 1, `pageChanged` follows the table's pager; `loaded(items)` runs
 * after each load.
 */
export function usePagedList(command, key, params, { pageSize = 20, loaded = () => {} } = {}) {
  const items = ref([])
  const total = ref(0)
  const page = ref(1)
  const { loading, error, load } = useLoad(async () => {
    const reply = await api.list(command, key, { ...params(), page: page.value, pagesize: pageSize })
    items.value = reply.items
    total.value = reply.count
    loaded(reply.items)
  })

  function search() {
    page.value = 1
    return load()
  }

  function pageChanged(pagination) {
    page.value = pagination.current
    return load()
  }

  return { items, total, page, pageSize, loading, error, load, search, pageChanged }
}
