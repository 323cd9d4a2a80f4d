/** The forms of the accounts page: domains, accounts and their users, as CloudStack's commands take them. */

export const ACCOUNT_TYPES = { 0: 'User', 1: 'Root admin', 2: 'Domain admin' }

const domainOption = (d) => ({ value: d.id, label: d.path ?? d.name })

/** Domains in tree order (each after its parent), for pickers and the domains table: ROOT, /a, /a/b, /c… */
export function byPath(domains) {
  return [...domains].sort((a, b) => (a.path ?? '').localeCompare(b.path ?? ''))
}

export const domainFields = (domains) => [
  { name: 'parentdomainid', label: 'Parent domain', kind: 'select', required: true, options: byPath(domains).map(domainOption) },
  { name: 'name', label: 'Name', required: true },
]

export const domainEditFields = () => [{ name: 'name', label: 'Name', required: true }]

/** A new user's own fields, shared by createAccount and createUser; the password is typed twice. */
const userFields = () => [
  { name: 'username', label: 'Username', required: true },
  { name: 'firstname', label: 'First name', required: true },
  { name: 'lastname', label: 'Last name', required: true },
  { name: 'email', label: 'Email', required: true },
  ...passwordFields(),
]

export const passwordFields = () => [
  { name: 'password', label: 'Password', kind: 'password', required: true },
  { name: 'repeat', label: 'Password again', kind: 'password', required: true, sameAs: 'password', send: false },
]

export const accountFields = (domains) => [
  { name: 'domainid', label: 'Domain', kind: 'select', required: true, options: byPath(domains).map(domainOption) },
  { name: 'account', label: 'Account name', help: 'Optional: the username when empty.' },
  { name: 'accounttype', label: 'Type', kind: 'select', required: true,
    options: Object.entries(ACCOUNT_TYPES).map(([value, label]) => ({ value, label })) },
  ...userFields(),
]

export const accountEditFields = () => [{ name: 'newname', label: 'Name', required: true }]

export const userCreateFields = userFields

export const userEditFields = () => [
  { name: 'username', label: 'Username', required: true },
  { name: 'firstname', label: 'First name' },
  { name: 'lastname', label: 'Last name' },
  { name: 'email', label: 'Email' },
]

/** The account states' actions: which of disable, lock and enable apply. */
export function accountActions(state) {
  return {
    enabled: ['disable', 'lock'],
    disabled: ['enable'],
    locked: ['enable', 'disable'],
  }[String(state).toLowerCase()] ?? []
}
