import { describe, expect, it } from 'vitest';
import { jsonDepthProblem } from '../../../properties/formats/json-bounds.js';

/** `levels` nested arrays around 1, under `{"a": {"b": ...}}`. */
function nested(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return { a: { b: v } };
}

describe('jsonDepthProblem', () => {
  it('accepts nesting up to the bound and names the path of the first place beyond it', () => {
    // The two objects count as levels: 8 arrays inside them are 10 levels of containers.
    expect(jsonDepthProblem(nested(8), 10)).toBeNull();
    expect(jsonDepthProblem(nested(9), 10)).toBe('a.b.0.0.0.0');
    expect(jsonDepthProblem([{ x: [1, { y: 2 }] }, 3], 4)).toBeNull();
    expect(jsonDepthProblem([{ x: [1, { y: [] }] }, 3], 4)).toBe('0.x.1.y');
    expect(jsonDepthProblem(5, 0)).toBeNull();
    expect(jsonDepthProblem({}, 0)).toBe('(top level)');
  });

  it('walks wide histories without deep recursion', () => {
    const ops = Array.from({ length: 20_000 }, (_, id) => ({ id, input: { key: 'k' } }));
    expect(jsonDepthProblem({ ops })).toBeNull();
    expect(jsonDepthProblem(nested(5000))).toBe('a.b.0.0.0.0');
  });
});
