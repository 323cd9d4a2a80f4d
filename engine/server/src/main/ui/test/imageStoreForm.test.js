import { describe, expect, it } from 'vitest'
import { addImageStoreParams, bucketProblem, endpointProblem, fieldOfImageStoreError, fileUrlProblem,
  imageStoreProblems, nfsUrlProblem } from '../src/storage/imageStoreForm.js'

const s3 = (extra = {}) => ({ provider: 'S3', zoneId: 'z1', name: '', endpoint: '127.0.0.1:7480', useHttps: false,
  bucket: 'backups', accessKey: ' AK1 ', secretKey: ' s3cr/t+key= ', ...extra })

describe('nfsUrlProblem', () => {
  it('takes CloudStack\'s nfs://server/export/path, and the port options libnfs knows', () => {
    expect(nfsUrlProblem('nfs://10.0.0.5/export/backups')).toBe('')
    expect(nfsUrlProblem('nfs://nfs.example.com/export/')).toBe('')
    expect(nfsUrlProblem('nfs://127.0.0.1/export?nfsport=2049&mountport=20048')).toBe('')
    expect(nfsUrlProblem('nfs://[fd00::5]/export')).toBe('')
  })

  it('refuses what the server would: another scheme, no server, no path, a port or user, odd segments', () => {
    expect(nfsUrlProblem('file:///mnt/x')).toContain('nfs://<server>/<export path>')
    expect(nfsUrlProblem('10.0.0.5:/export')).toContain('nfs://<server>/<export path>')
    expect(nfsUrlProblem('nfs:///export')).toContain('Name the NFS server')
    expect(nfsUrlProblem('nfs://10.0.0.5')).toContain('export path')
    expect(nfsUrlProblem('nfs://10.0.0.5/')).toContain('export path')
    expect(nfsUrlProblem('nfs://10.0.0.5:2049/export')).toContain('?nfsport=N')
    expect(nfsUrlProblem('nfs://root@10.0.0.5/export')).toContain('No user or port')
    expect(nfsUrlProblem('nfs://h/export/../etc')).toContain('..')
    expect(nfsUrlProblem('nfs://h/a//b')).toContain('empty')
    expect(nfsUrlProblem('nfs://h/export?port=1')).toContain('Unknown option port')
    expect(nfsUrlProblem('nfs://h/export?nfsport=70000')).toContain('nfsport must be a port')
  })
})

describe('fileUrlProblem', () => {
  it('wants file:/// and a directory without . or ..', () => {
    expect(fileUrlProblem('file:///mnt/backups')).toBe('')
    expect(fileUrlProblem('file:///')).toContain('file:///')
    expect(fileUrlProblem('/mnt/backups')).toContain('file:///')
    expect(fileUrlProblem('file:///mnt/../etc')).toContain('..')
  })
})

describe('bucketProblem', () => {
  it('applies S3\'s bucket name rules', () => {
    for (const good of ['abc', 'backups-2026', 'my.bucket', 'a'.repeat(63)]) {
      expect(bucketProblem(good)).toBe('')
    }
    expect(bucketProblem('')).toBe('Enter the bucket')
    for (const bad of ['ab', 'a'.repeat(64), 'Backups', 'under_score', '-start', 'end-', 'has space']) {
      expect(bucketProblem(bad)).toContain('3 to 63 lower-case letters')
    }
  })
})

describe('endpointProblem', () => {
  it('wants host[:port] with a port from 1 to 65535', () => {
    for (const good of ['rgw.example.com', '127.0.0.1:7480', '[fd00::1]:443', 's3']) {
      expect(endpointProblem(good)).toBe('')
    }
    expect(endpointProblem('')).toContain('Enter the endpoint')
    expect(endpointProblem('https://rgw.example.com')).toContain('Use HTTPS')
    expect(endpointProblem('rgw.example.com/bucket')).toContain('host[:port]')
    expect(endpointProblem('rgw:0')).toContain('1 to 65535')
    expect(endpointProblem('rgw:99999')).toContain('1 to 65535')
  })
})

describe('imageStoreProblems', () => {
  it('asks for the provider first, and nothing else until it is chosen', () => {
    expect(imageStoreProblems({ provider: undefined, zoneId: undefined })).toEqual({
      provider: 'Choose where the backups go' })
  })

  it('checks the fields of the chosen provider only', () => {
    expect(imageStoreProblems({ provider: 'NFS', zoneId: 'z1', url: 'nfs://h/export' })).toEqual({})
    expect(Object.keys(imageStoreProblems({ provider: 'NFS', zoneId: '', url: 'file:///x' })).sort())
      .toEqual(['url', 'zoneId'])
    expect(imageStoreProblems({ provider: 'SharedMountPoint', zoneId: 'z1', url: 'file:///mnt/b' })).toEqual({})
    expect(imageStoreProblems(s3({ url: 'not looked at' }))).toEqual({})
    expect(Object.keys(imageStoreProblems(s3({ endpoint: 'http://h', bucket: 'B', accessKey: ' ', secretKey: '' })))
      .sort()).toEqual(['accessKey', 'bucket', 'endpoint', 'secretKey'])
  })
})

describe('addImageStoreParams', () => {
  it('sends the URL for NFS, trimmed, and leaves an empty name out', () => {
    expect(addImageStoreParams({ provider: 'NFS', zoneId: 'z1', name: ' ', url: ' nfs://h/export ' })).toEqual({
      provider: 'NFS', zoneid: 'z1', url: 'nfs://h/export' })
  })

  it('sends S3 as CloudStack\'s details, the secret as typed but for the whitespace around it, and no url', () => {
    const params = addImageStoreParams(s3({ name: ' rgw ', useHttps: true, url: 'nfs://left/over' }))
    expect(params).toEqual({
      provider: 'S3', zoneid: 'z1', name: 'rgw',
      'details[0].key': 'accesskey', 'details[0].value': 'AK1',
      'details[1].key': 'secretkey', 'details[1].value': 's3cr/t+key=',
      'details[2].key': 'endpoint', 'details[2].value': '127.0.0.1:7480',
      'details[3].key': 'bucket', 'details[3].value': 'backups',
      'details[4].key': 'usehttps', 'details[4].value': 'true',
    })
  })
})

describe('fieldOfImageStoreError', () => {
  it('places the server\'s errors under the field whose parameter or detail they name', () => {
    expect(fieldOfImageStoreError('Invalid value for parameter url: not an NFS URL')).toBe('url')
    expect(fieldOfImageStoreError('Host kvm1 cannot use image store nfs://h/x: no such export (parameter url)'))
      .toBe('url')
    expect(fieldOfImageStoreError('Invalid value for parameter details[].bucket: the bucket name B is not…'))
      .toBe('bucket')
    expect(fieldOfImageStoreError('Invalid value for parameter details[].endpoint: …')).toBe('endpoint')
    expect(fieldOfImageStoreError('Missing details for provider S3: secretkey (parameter details[].secretkey)'))
      .toBe('secretKey')
    expect(fieldOfImageStoreError('An image store named x already exists in the zone (parameter name)')).toBe('name')
  })

  it('leaves errors about no one field above the form', () => {
    expect(fieldOfImageStoreError('Host kvm1 cannot use image store s3://h/b?usehttps=false: Access Denied'
      + ' (parameter details)')).toBeNull()
    expect(fieldOfImageStoreError('No host is Up in zone z1 to test the image store on')).toBeNull()
  })
})
