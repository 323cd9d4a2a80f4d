import { ref } from 'vue'
import { message } from 'ant-design-vue'

/**
 * A list page's state: the items fetchItems() returns, loading and load errors, and its row actions,
 * whose refusals (the server's text: "still holds 1 volume(s)…") stay above the list until closed.
 */
export function useAdminList(fetchItems) {
  const items = ref([])
  const loading = ref(true)
  const error = ref(null)
  const actionError = ref('')

  async function load() {
    loading.value = true
    error.value = null
    try {
      items.value = await fetchItems()
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }

  /** Runs an action, says `done` when it worked or shows the server's refusal, then lists again. */
  async function act(run, done) {
    actionError.value = ''
    try {
      await run()
      message.success(done)
    } catch (e) {
      actionError.value = e.errortext ?? e.message
    }
    await load()
  }

  return { items, loading, error, actionError, load, act }
}
