import { nextTick, reactive, ref } from 'vue'
import { placeError } from './serverError.js'

/**
 * A form's errors and its sending: one error per field, shown by a-form-item (v-bind="status('field', 'help')"), and one for the
 * whole form. fieldOf maps API parameters to fields; ids maps fields to the element that gets the focus.
 */
export function useFormErrors(fieldOf, ids) {
  const errors = reactive({})
  const general = ref('')

  function clear() {
    for (const key of Object.keys(errors)) {
      delete errors[key]
    }
    general.value = ''
  }

  const status = (field, help) => (errors[field] ? { validateStatus: 'error', help: errors[field] } : { help })

  async function focus(field) {
    await nextTick()
    document.getElementById(ids[field])?.focus()
  }

  /** Problems found in the browser ({field: text}); true when there were some. */
  function local(problems) {
    Object.assign(errors, problems)
    const first = Object.keys(problems)[0]
    if (first) {
      focus(first)
    }
    return first !== undefined
  }

  /** The server's error, under the field it names or above the form. */
  function server(e) {
    const { field, text } = placeError(e.errortext ?? e.message, fieldOf)
    if (field) {
      errors[field] = text
      focus(field)
    } else {
      general.value = text
    }
  }

  /** Sends the form: run() calls the server; a refusal goes where server() puts it. run's result, or undefined. */
  const busy = ref(false)
  async function send(run) {
    busy.value = true
    try {
      return await run()
    } catch (e) {
      server(e)
      return undefined
    } finally {
      busy.value = false
    }
  }

  return { errors, general, busy, clear, status, local, server, send }
}
