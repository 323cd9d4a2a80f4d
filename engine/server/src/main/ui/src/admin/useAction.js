import { ref } from 'vue'
import { message } from 'ant-design-vue'

/**
 * A row action (delete, disable, maintenance…): a success notice when it works; when the server
 * refuses, its text stays in `actionError`, which the page shows above its table until the next action.
 */
export function useAction() {
  const actionError = ref('')

  async function run(action, { done, failed }) {
    actionError.value = ''
    try {
      const result = await action()
      if (done) {
        message.success(done)
      }
      return result
    } catch (e) {
      actionError.value = `${failed}: ${e.errortext ?? e.message}`
      return undefined
    }
  }

  return { actionError, run }
}
