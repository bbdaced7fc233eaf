import { describe, expect, it } from 'vitest';
import { optList, optObject, optStr, readAs, readInPlace, z } from '../../src/sources/schema.js';

const NODE = z.compile(
  z.object({
    spec: optObject({ taints: optList({ key: optStr, effect: optStr }) }),
    status: optObject({ conditions: optList({ type: optStr, status: optStr }) }),
  }),
);

describe('readInPlace', () => {
  it('returns the object itself when it passes, its other fields kept', () => {
    const node = {
      spec: { taints: [{ key: 'dedicated', effect: 'NoSchedule', timeAdded: null }], podCIDR: '10.0.0.0/24' },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
    };
    const read = readInPlace(NODE, node);
    expect(read).toBe(node);
    expect(read.spec?.taints?.[0]).toBe(node.spec.taints[0]);
    // A parse builds a copy of the fields it names, and only of those.
    expect(readAs(NODE, node)).toEqual({
      spec: { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
  });

  it.each([
    [{ spec: { taints: 'NoSchedule' } }, '.spec.taints: expected a list, got a string'],
    [{ spec: { taints: [{ key: 1 }] } }, '.spec.taints[0].key: expected a string, got an integer'],
    [{ status: { conditions: [{ type: 'Ready', status: true }] } }, '.status.conditions[0].status: expected a string, got a boolean'],
    [[], '.: expected an object, got a list'],
  ])('fails %j as readAs does: %s', (value, message) => {
    expect(() => readAs(NODE, value)).toThrow(expect.objectContaining({ name: 'InputError', message }));
    expect(() => readInPlace(NODE, value)).toThrow(expect.objectContaining({ name: 'InputError', message }));
    expect(() => readInPlace(NODE, value, 'nodes.json')).toThrow(expect.objectContaining({ message: `nodes.json ${message}` }));
  });

  it('reads absent and null fields as they are', () => {
    const node = { spec: null, status: { conditions: null } };
    expect(readInPlace(NODE, node)).toBe(node);
    expect(readInPlace(NODE, {})).toEqual({});
  });
});
