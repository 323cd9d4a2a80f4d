import { nextTick, reactive, ref } from 'vue'
import { placeError } from './serverError.js'

/**
 * A form's errors: one per field, shown by a-form-item (v-bind="status('field', 'help')"), and one for the
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

  return { errors, general, clear, status, local, server }
}
