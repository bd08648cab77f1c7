import { describe, expect, it } from 'vitest'
import { LABEL_PREFIX, LABELS, labelsFor, runFilter } from '../../src/docker/labels.js'

describe('labels', () => {
  it('runFilter selects one run by its label, in the engine filters JSON shape', () => {
    const filter = JSON.parse(runFilter('12345-1')) as unknown
    expect(filter).toEqual({ label: ['io.octopus-server-action.run=12345-1'] })
  })

  it('runFilter survives run ids with JSON-special characters', () => {
    expect(JSON.parse(runFilter('a"b\\c'))).toEqual({ label: [`${LABELS.run}=a"b\\c`] })
  })

  it('every label shares the prefix', () => {
    for (const label of Object.values(LABELS)) expect(label.startsWith(`${LABEL_PREFIX}.`)).toBe(true)
    expect(new Set(Object.values(LABELS)).size).toBe(Object.values(LABELS).length)
  })

  it('labelsFor marks the resource as managed and names run, role and instance', () => {
    expect(labelsFor('run-1', 'sql', 'octo')).toEqual({
      'io.octopus-server-action.managed': 'true',
      'io.octopus-server-action.run': 'run-1',
      'io.octopus-server-action.role': 'sql',
      'io.octopus-server-action.instance': 'octo',
    })
    expect(labelsFor('run-1', 'octopus', 'octo', { [LABELS.sqlContainer]: 'octo-sql' })[LABELS.sqlContainer]).toBe('octo-sql')
  })
})
