/** The volume forms' logic: resize, and the disk offering form. */

const GIB = 1024 ** 3

/**
 * What is wrong with a resize to newGiB of a volume of currentBytes, or ''. A smaller size needs the
 * shrink box ticked (CloudStack's shrinkok); the server then still refuses it for RBD, and says why.
 */
export function resizeProblem(newGiB, currentBytes, shrinkOk) {
  if (!Number.isInteger(newGiB) || newGiB < 1) {
    return 'Enter the new size: a whole number of GiB, at least 1'
  }
  const newBytes = newGiB * GIB
  if (newBytes === Number(currentBytes)) {
    return 'That is the size it has'
  }
  if (newBytes < Number(currentBytes) && !shrinkOk) {
    return 'This is smaller than the volume: tick "Allow shrinking" to ask for it'
  }
  return ''
}

/** Problems of the disk offering form, {field: text}; empty when it can be sent. */
export function offeringProblems(form, editing) {
  const problems = {}
  if (!(form.name ?? '').trim()) {
    problems.name = 'Name the offering'
  }
  if (editing) {
    return problems
  }
  if (!form.customized && !(Number.isInteger(form.diskSize) && form.diskSize >= 1)) {
    problems.diskSize = 'Enter a size of at least 1 GiB, or let users choose it'
  }
  if (!form.customizedIops && form.minIops != null && form.maxIops != null && form.minIops > form.maxIops) {
    problems.maxIops = 'The max IOPS is at least the min IOPS'
  }
  return problems
}

const THROTTLES = { bytesReadRate: 'bytesreadrate', bytesWriteRate: 'byteswriterate',
  iopsReadRate: 'iopsreadrate', iopsWriteRate: 'iopswriterate' }

/** The parameters of createDiskOffering (or, editing, of updateDiskOffering, which takes fewer). */
export function offeringParams(form, editing) {
  const params = { name: form.name.trim(), displaytext: (form.displayText ?? '').trim() || undefined,
    tags: (form.tags ?? []).map((t) => t.trim()).filter((t) => t !== '').join(',') }
  for (const [field, parameter] of Object.entries(THROTTLES)) {
    params[parameter] = form[field] ?? undefined
  }
  if (editing) {
    params.id = form.id
    return params
  }
  params.customized = Boolean(form.customized)
  params.disksize = form.customized ? undefined : form.diskSize
  params.customizediops = Boolean(form.customizedIops)
  if (!form.customizedIops) {
    params.miniops = form.minIops ?? undefined
    params.maxiops = form.maxIops ?? undefined
  }
  return params
}

/** A disk offering's values in the form, for editing. */
export function offeringForm(offering) {
  return { id: offering.id, name: offering.name, displayText: offering.displaytext ?? '',
    diskSize: offering.disksize || null, customized: Boolean(offering.iscustomized),
    customizedIops: Boolean(offering.iscustomizediops), minIops: offering.miniops ?? null,
    maxIops: offering.maxiops ?? null, tags: offering.tags ? offering.tags.split(',') : [],
    bytesReadRate: offering.diskBytesReadRate ?? null, bytesWriteRate: offering.diskBytesWriteRate ?? null,
    iopsReadRate: offering.diskIopsReadRate ?? null, iopsWriteRate: offering.diskIopsWriteRate ?? null }
}

export const OFFERING_FIELDS = { name: 'name', displaytext: 'displayText', disksize: 'diskSize',
  customized: 'customized', tags: 'tags', customizediops: 'customizedIops', miniops: 'minIops', maxiops: 'maxIops',
  bytesreadrate: 'bytesReadRate', byteswriterate: 'bytesWriteRate', iopsreadrate: 'iopsReadRate',
  iopswriterate: 'iopsWriteRate' }

/**
 * The backup chain of a volume's snapshots (listSnapshots' parent, parentname, datastorename): for each
 * snapshot id, what its backup is. A backup with a parent is incremental to that snapshot's backup;
 * restoring it needs the whole chain down to the full one, so depth counts the backups below it.
 */
export function backupChain(snapshots) {
  const byId = new Map(snapshots.map((s) => [s.id, s]))
  const chain = {}
  for (const s of snapshots) {
    if (!s.datastoreid) {
      chain[s.id] = { kind: 'none' }
      continue
    }
    let depth = 0
    let below = s
    const seen = new Set([s.id])
    while (below?.parent && !seen.has(below.parent)) {
      depth += 1
      seen.add(below.parent)
      below = byId.get(below.parent)
    }
    chain[s.id] = s.parent
      ? { kind: 'incremental', parentId: s.parent, parentName: s.parentname ?? s.parent, depth, store: s.datastorename }
      : { kind: 'full', depth: 0, store: s.datastorename }
  }
  return chain
}
