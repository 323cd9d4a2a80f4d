/**
 * Templates as the templates page shows them: how far an import is (registerTemplate answers at once and
 * imports in a job: listTemplates' status goes "Processing" → "<n>% Downloaded" → "Download Complete", or
 * holds the error), and the register form's logic.
 */

export const ALL_ZONES = '-1'
export const FORMATS = ['QCOW2', 'RAW']

/**
 * The status texts of an import still running: CloudStack's, and rbdstack's "Registered; waiting to import" (the row
 * registerTemplate writes before its job starts) and "Importing into pool p".
 */
const DOWNLOADED = /^(\d{1,3})% Downloaded/
const RUNNING = /^(|Processing|Installing Template|Download Complete|Registered; waiting to import|Importing into pool .*)$/

/**
 * Where a template's import is: { kind: 'ready' | 'importing' | 'failed', percent (importing only, null when
 * not known yet), text }. Ready templates may still say that a pool did not get them.
 */
export function importState(template) {
  const status = template.status ?? ''
  if (template.isready) {
    return { kind: 'ready', percent: null, text: status || 'Ready' }
  }
  const downloaded = DOWNLOADED.exec(status)
  if (downloaded) {
    return { kind: 'importing', percent: Math.min(100, Number(downloaded[1])), text: status }
  }
  if (RUNNING.test(status)) {
    return { kind: 'importing', percent: null, text: status || 'Waiting to start' }
  }
  // The Failed tag says it already: the reason alone follows.
  return { kind: 'failed', percent: null, text: status.replace(/^Failed: /, '') }
}

/** Whether the list should look again soon: some import has not ended. */
export const anyImporting = (templates) => templates.some((t) => importState(t).kind === 'importing')

const URL_FORM = /^(https?:\/\/[^\s/]+\/\S*|file:\/\/\/\S+)$/i

/** Problems of the register form, {field: text}; empty when it can be sent. */
export function registerProblems(form) {
  const problems = {}
  if (!(form.name ?? '').trim()) {
    problems.name = 'Name the template'
  }
  if (!URL_FORM.test((form.url ?? '').trim())) {
    problems.url = 'Enter an http:// or https:// URL, or file:///path for a file on the hosts'
  }
  if (!form.zoneId) {
    problems.zoneId = 'Choose a zone, or all zones'
  }
  if (!FORMATS.includes(form.format)) {
    problems.format = 'Choose the format: QCOW2 or RAW'
  }
  return problems
}

/** registerTemplate's parameters (the hypervisor is always KVM). */
export function registerParams(form) {
  const trimmed = (value) => (value ?? '').trim() || undefined
  return { name: form.name.trim(), displaytext: trimmed(form.displayText), url: form.url.trim(), zoneid: form.zoneId,
    format: form.format, hypervisor: 'KVM', checksum: trimmed(form.checksum), ostypeid: trimmed(form.osTypeId) }
}

/** API parameter → register form field, for the server's errors. */
export const REGISTER_FIELDS = { name: 'name', displaytext: 'displayText', url: 'url', zoneid: 'zoneId',
  zoneids: 'zoneId', format: 'format', checksum: 'checksum', ostypeid: 'osTypeId' }

/** The zone column: a template of every zone says so. */
export const zoneOf = (template) => (template.crossZones || !template.zoneid ? 'All zones' : template.zonename)
