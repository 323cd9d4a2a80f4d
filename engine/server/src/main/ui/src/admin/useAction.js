import { ref } from 'vue'
import { message } from 'ant-design-vue'

/**
 * `changed` is called after each form saved. A row action (delete, disable, maintenance…): a success notice when it works; when the server
 * refuses, its text stays in `actionError`, which the page shows above its table until the next action.
 */
export function useAction(changed = () => {}) {
  const actionError = ref('')

  /** A form's call (FormModal's submit): awaited, announced, then `changed()`; a refusal goes back to the form. */
  async function saved(call, done) {
    const reply = await call
    message.success(done)
    changed()
    return reply
  }

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

  return { actionError, run, saved }
}
