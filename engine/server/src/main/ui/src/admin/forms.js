/**
 * The logic of the admin forms, kept apart from the components so that Vitest checks it: which field
 * a server error is about, what the browser can tell is missing before asking, and which parameters
 * a form sends.
 */

/**
 * The API parameter an error text names, lower-cased, or null. rbdstack's parameter errors say
 * "… parameter <name> …" (CloudStack's wording too); "details[0].user" counts as "details[].user".
 */
export function parameterOfError(errortext) {
  const named = /parameter ([A-Za-z0-9_]+(?:\[[0-9]*\](?:\.[A-Za-z0-9_]+)?)?)/.exec(errortext ?? '')
  return named ? named[1].replace(/\[[0-9]*\]/, '[]').toLowerCase() : null
}

/**
 * Where a failed call's text goes: `{ field, text }` with the form field whose API parameter the
 * error names (a field's `param`, else its `name`, compared without case), or field null when it
 * names none of the form's (the form then shows it above its fields).
 */
export function placeError(error, fields) {
  const text = error?.errortext ?? error?.message ?? String(error)
  const parameter = parameterOfError(text)
  const field = parameter === null ? undefined
    : fields.find((f) => (f.param ?? f.name).toLowerCase() === parameter)
  return { field: field?.name ?? null, text }
}

const blank = (value) => value === undefined || value === null || String(value).trim() === ''

/** Field name → "Enter <label>" for every required field left empty, and for a repeat that differs. */
export function missingFields(fields, values) {
  const problems = {}
  for (const f of fields) {
    if (f.required && blank(values[f.name])) {
      problems[f.name] = `${f.kind === 'select' ? 'Choose' : 'Enter'} ${f.label.toLowerCase()}`
    } else if (f.sameAs && values[f.name] !== values[f.sameAs]) {
      problems[f.name] = 'The two entries differ'
    }
  }
  return problems
}

/**
 * The parameters a form sends: each field under its `param` (else its name), trimmed, leaving out
 * empty ones and fields that are only there to be checked (`send: false`, e.g. a password's repeat).
 * An edit form sends only what changed from `initial`, plus `fixed` (the id).
 */
export function paramsOf(fields, values, { initial = null, fixed = {} } = {}) {
  const params = { ...fixed }
  for (const f of fields) {
    if (f.send === false) {
      continue
    }
    const raw = values[f.name]
    const value = typeof raw === 'string' && f.kind !== 'password' ? raw.trim() : raw
    if (blank(value) || (initial && initial[f.name] === value)) {
      continue
    }
    params[f.param ?? f.name] = value
  }
  return params
}
