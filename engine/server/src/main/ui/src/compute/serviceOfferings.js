/**
 * The service offering form's logic: what createServiceOffering and updateServiceOffering take, what the
 * browser can tell is wrong before asking, and an offering's size in a line.
 */

/** CloudStack's smallest memory for an offering, in MiB (the server refuses less, naming the parameter). */
export const MIN_MEMORY_MIB = 32

const whole = (value, least = 1) => Number.isInteger(value) && value >= least
const absent = (value) => value === null || value === undefined || value === ''
const tagList = (tags) => (tags ?? []).map((t) => t.trim()).filter((t) => t !== '').join(',')

/** Problems of the form, {field: text}; empty when it can be sent. */
export function serviceOfferingProblems(form, editing) {
  const problems = {}
  if (!(form.name ?? '').trim()) {
    problems.name = 'Name the offering'
  }
  if (editing) {
    return problems
  }
  if (!form.customized) {
    if (!whole(form.cpuNumber)) problems.cpuNumber = 'Enter the number of CPUs (at least 1), or let users choose'
    if (!whole(form.cpuSpeed)) problems.cpuSpeed = 'Enter the CPU speed in MHz (at least 1)'
    if (!whole(form.memory, MIN_MEMORY_MIB)) problems.memory = `Enter the memory in MiB (at least ${MIN_MEMORY_MIB})`
  } else {
    for (const [min, max, what] of [['minCpuNumber', 'maxCpuNumber', 'CPUs'], ['minMemory', 'maxMemory', 'memory']]) {
      if (!absent(form[min]) && !absent(form[max]) && form[min] > form[max]) {
        problems[max] = `The most ${what} is at least the least`
      }
    }
  }
  if (!absent(form.rootDiskSize) && !whole(form.rootDiskSize)) {
    problems.rootDiskSize = 'Enter a whole number of GB, at least 1, or leave it empty for the template\'s size'
  }
  return problems
}

/**
 * The parameters of createServiceOffering, or editing, of updateServiceOffering (name, description and
 * tags only: VMs deployed with an offering keep what it gave them). update calls the storage tags
 * storagetags, create tags: CloudStack's names.
 */
export function serviceOfferingParams(form, editing) {
  const params = { name: form.name.trim(), displaytext: (form.displayText ?? '').trim() || undefined }
  if (editing) {
    return { id: form.id, ...params, storagetags: tagList(form.tags), hosttags: tagList(form.hostTags) }
  }
  params.customized = Boolean(form.customized)
  if (form.customized) {
    // A custom offering: the user gives CPUs and memory at deploy time, within these bounds.
    Object.assign(params, { cpuspeed: form.cpuSpeed ?? undefined, mincpunumber: form.minCpuNumber ?? undefined,
      maxcpunumber: form.maxCpuNumber ?? undefined, minmemory: form.minMemory ?? undefined,
      maxmemory: form.maxMemory ?? undefined })
  } else {
    Object.assign(params, { cpunumber: form.cpuNumber, cpuspeed: form.cpuSpeed, memory: form.memory })
  }
  params.rootdisksize = form.rootDiskSize ?? undefined
  params.tags = tagList(form.tags)
  params.hosttags = tagList(form.hostTags)
  return params
}

/** An offering's values in the form, for editing. */
export function serviceOfferingForm(offering) {
  const split = (tags) => (tags ? tags.split(',') : [])
  return { id: offering.id, name: offering.name, displayText: offering.displaytext ?? '',
    tags: split(offering.storagetags), hostTags: split(offering.hosttags) }
}

/** API parameter → form field, for the server's errors. */
export const SERVICE_OFFERING_FIELDS = { name: 'name', displaytext: 'displayText', customized: 'customized',
  cpunumber: 'cpuNumber', cpuspeed: 'cpuSpeed', memory: 'memory', mincpunumber: 'minCpuNumber',
  maxcpunumber: 'maxCpuNumber', minmemory: 'minMemory', maxmemory: 'maxMemory', rootdisksize: 'rootDiskSize',
  tags: 'tags', storagetags: 'tags', hosttags: 'hostTags' }

/** What an offering gives a VM, in a line: "2 CPUs × 1000 MHz · 2048 MiB", or the custom ranges. */
export function offeringSize(o) {
  if (o.iscustomized && (absent(o.cpunumber) || absent(o.memory))) {
    const d = o.serviceofferingdetails ?? {}
    const range = (min, max, unit) => (absent(min) && absent(max) ? 'any' : `${min ?? 1}–${max ?? '∞'}${unit}`)
    return `custom: ${range(d.mincpunumber, d.maxcpunumber, '')} CPUs`
      + `${absent(o.cpuspeed) ? '' : ` × ${o.cpuspeed} MHz`} · ${range(d.minmemory, d.maxmemory, ' MiB')} memory`
  }
  return `${o.cpunumber} CPU${o.cpunumber === 1 ? '' : 's'} × ${o.cpuspeed} MHz · ${o.memory} MiB`
}
