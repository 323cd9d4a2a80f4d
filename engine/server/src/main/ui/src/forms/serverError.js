/**
 * Where a server error goes in a form: CloudStack's 431 texts name the parameter at fault ("… (parameter
 * schedule)", "Invalid value for parameter name: …", "parameters miniops 5, maxiops 1"), so the error is
 * shown under the field that parameter is bound to, and above the form when it names none of them.
 */

/** The parameter names an error text mentions, lower-cased, in order. */
export function parametersNamed(errortext) {
  const names = []
  // "parameter schedule", or a list: "parameters miniops 5, maxiops 1" (each name followed by its value).
  for (const match of (errortext ?? '').matchAll(/parameter(s?) ([^):;]*)/gi)) {
    const words = match[1] ? match[2].split(/[ ,]+/) : [match[2].split(/[^A-Za-z0-9_]/)[0]]
    names.push(...words.filter((w) => /^[a-z][a-z0-9_]*$/i.test(w) && w !== 'and').map((w) => w.toLowerCase()))
  }
  return names
}

/**
 * {field, text} for an error: field is the form field of the first parameter the text names that the form
 * has (fieldOf maps API parameter → field), or null for an error shown above the form.
 */
export function placeError(errortext, fieldOf) {
  const text = errortext ?? ''
  const parameter = parametersNamed(text).find((p) => p in fieldOf)
  return { field: parameter ? fieldOf[parameter] : null, text }
}
