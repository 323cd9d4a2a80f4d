import { message } from 'ant-design-vue'

/** Copies `text` and says so; when the browser refuses (no secure context), says to select it instead. */
export async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text)
    message.success(`${what} copied`)
  } catch (e) {
    message.error(`Could not copy (${e.message}): select the text instead`)
  }
}
