import { describe, expect, it } from 'vitest'
import { accountActions, accountFields, byPath } from '../src/admin/accounts.js'
import { missingFields, paramsOf } from '../src/admin/forms.js'

describe('byPath', () => {
  it('puts each domain after its parent', () => {
    const sorted = byPath([{ path: 'ROOT/b' }, { path: 'ROOT' }, { path: 'ROOT/a/x' }, { path: 'ROOT/a' }])
    expect(sorted.map((d) => d.path)).toEqual(['ROOT', 'ROOT/a', 'ROOT/a/x', 'ROOT/b'])
  })
})

describe('the new account form', () => {
  const fields = accountFields([{ id: 'd1', path: 'ROOT' }])
  const filled = { domainid: 'd1', accounttype: '0', username: 'ann', firstname: 'Ann', lastname: 'Lee',
    email: 'ann@example.com', password: 'pw-1', repeat: 'pw-1' }

  it('asks for the password twice and sends it once', () => {
    expect(missingFields(fields, { ...filled, repeat: 'pw-2' })).toEqual({ repeat: 'The two entries differ' })
    const params = paramsOf(fields, filled)
    expect(params).toEqual({ domainid: 'd1', accounttype: '0', username: 'ann', firstname: 'Ann', lastname: 'Lee',
      email: 'ann@example.com', password: 'pw-1' })
  })

  it('needs the user\'s names, email and domain', () => {
    expect(Object.keys(missingFields(fields, { accounttype: '0' })))
      .toEqual(['domainid', 'username', 'firstname', 'lastname', 'email', 'password', 'repeat'])
  })
})

describe('accountActions', () => {
  it('offers what the state allows', () => {
    expect(accountActions('enabled')).toEqual(['disable', 'lock'])
    expect(accountActions('disabled')).toEqual(['enable'])
    expect(accountActions('locked')).toEqual(['enable', 'disable'])
  })
})
