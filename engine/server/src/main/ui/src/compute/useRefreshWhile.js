import { onBeforeUnmount, ref, watch } from 'vue'

/**
 * Loads again every `ms` while `busy(items)` holds (an import or a VM start still running), and only then,
 * as the jobs page does: an idle page costs the server nothing. `refreshing` is true while a load is due.
 */
export function useRefreshWhile(items, busy, load, ms = 2000) {
  const refreshing = ref(false)
  let timer = null
  let left = false

  watch(items, (now) => {
    clearTimeout(timer)
    refreshing.value = !left && busy(now)
    timer = refreshing.value ? setTimeout(load, ms) : null
  })

  onBeforeUnmount(() => {
    left = true
    clearTimeout(timer)
  })

  return { refreshing, ms }
}
