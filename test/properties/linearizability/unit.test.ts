import { describe, expect, it } from 'vitest';
import type { KvOp, KvResult } from '../../../protocol/kv-types.js';
import type { History, HistoryOp } from '../../../simulator/history.js';
import { detectFormat, parseHistory } from '../../../properties/formats/index.js';
import {
  checkHistory,
  checkNativeHistory,
  formatExplanation,
  MalformedHistoryError,
} from '../../../properties/linearizability/index.js';
import {
  etcdCasRegisterModel,
  getModel,
  kvModel,
  modelNames,
} from '../../../properties/models/index.js';
import type { Operation } from '../../../properties/models/types.js';

function native(ops: HistoryOp[]): History {
  return { schema: 'replisim/history@1', ops };
}

function kvOp(
  id: number,
  input: KvOp,
  call: number,
  ret: number | undefined,
  output?: KvResult,
): HistoryOp {
  if (ret === undefined) return { id, client: `c${id}`, input, call, status: 'info' };
  return output === undefined
    ? { id, client: `c${id}`, input, call, status: 'ok', return: ret, output: { ok: true } }
    : { id, client: `c${id}`, input, call, status: 'ok', return: ret, output };
}

function malformed(fn: () => unknown): MalformedHistoryError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MalformedHistoryError) return error;
    throw error;
  }
  throw new Error('expected a MalformedHistoryError');
}

describe('models', () => {
  it('registers kv, etcd-cas-register and knossos-cas-register', () => {
    expect(modelNames()).toEqual(['kv', 'etcd-cas-register', 'knossos-cas-register',
      'multi-register']);
    expect(getModel('kv')).toBe(kvModel);
    expect(getModel('nope')).toBeUndefined();
  });

  it('kv: absent keys read "", a failed CAS is a constraint, an unknown CAS may apply', () => {
    const s0 = kvModel.init();
    expect(kvModel.step(s0, { type: 'get', key: 'k' }, { ok: true, value: '' }).ok).toBe(true);
    const s1 = kvModel.step(s0, { type: 'append', key: 'k', value: 'ab' }, { ok: true }).state;
    const s2 = kvModel.step(s1, { type: 'append', key: 'k', value: 'c' }, { ok: true }).state;
    const s3 = kvModel.step(s0, { type: 'put', key: 'k', value: 'abc' }, { ok: true }).state;
    expect(kvModel.hash(s2)).toBe(kvModel.hash(s3));
    expect(kvModel.equal?.(s2, s3)).toBe(true);
    const cas = { type: 'cas', key: 'k', expected: 'abc', value: 'z' } as const;
    expect(kvModel.step(s2, cas, { ok: false }).ok).toBe(false);
    expect(kvModel.step(s1, cas, { ok: false }).ok).toBe(true);
    expect(kvModel.describeState?.(kvModel.step(s2, cas, undefined).state)).toBe('{"k": "z"}');
    expect(kvModel.step(s1, cas, undefined).state).toBe(s1);
  });

  it('etcd-cas-register: nil is distinct from every value', () => {
    const m = etcdCasRegisterModel;
    expect(m.step(null, { type: 'read' }, { ok: true, value: null }).ok).toBe(true);
    expect(m.step(0, { type: 'read' }, { ok: true, value: null }).ok).toBe(false);
    expect(m.step(null, { type: 'cas', expected: 0, value: 1 }, { ok: false }).ok).toBe(true);
    expect(m.step(0, { type: 'cas', expected: 0, value: 1 }, undefined).state).toBe(1);
    const knossos = getModel('knossos-cas-register');
    expect(knossos?.step(3, { type: 'read' }, { ok: true, value: null }).ok).toBe(true);
  });
});

describe('checkNativeHistory', () => {
  it('explains a simple non-linearizable history (e)', () => {
    const history = native([
      kvOp(0, { type: 'put', key: 'x', value: '1' }, 0, 10),
      kvOp(1, { type: 'get', key: 'x' }, 20, 30, { ok: true, value: '' }),
      kvOp(2, { type: 'put', key: 'y', value: '2' }, 0, 5),
    ]);
    const result = checkNativeHistory(history);
    expect(result.verdict).toBe('illegal');
    expect(result.partitions).toBe(2);
    const [p] = result.explanation?.partitions ?? [];
    expect(p).toMatchObject({
      label: 'key "x"',
      ops: 2,
      linearized: [0],
      blocked: { id: 1, client: 'c1', call: 20, return: 30, description: 'get("x") → ""' },
      state: '{"x": "1"}',
    });
    const text = formatExplanation(result.explanation!);
    expect(text).toContain('key "x"');
    expect(text).toContain('op 1');
    expect(text).toContain('[20, 30]');
  });

  it('drops failed ops, lets indefinite ops take effect late or never', () => {
    const ops = [
      kvOp(0, { type: 'put', key: 'x', value: 'a' }, 0, 10),
      { ...kvOp(1, { type: 'put', key: 'x', value: 'b' }, 0, 10), status: 'fail' as const },
      kvOp(2, { type: 'append', key: 'x', value: 'c' }, 5, undefined),
      kvOp(3, { type: 'get', key: 'x' }, 20, 30, { ok: true, value: 'a' }),
      kvOp(4, { type: 'get', key: 'x' }, 40, 50, { ok: true, value: 'ac' }),
    ];
    expect(checkNativeHistory(native(ops)).verdict).toBe('ok');
    // Once the indefinite append is seen, it cannot be undone.
    const back = kvOp(5, { type: 'get', key: 'x' }, 60, 70, { ok: true, value: 'a' });
    expect(checkNativeHistory(native([...ops, back])).verdict).toBe('illegal');
    // The failed put really is gone.
    const b = kvOp(6, { type: 'get', key: 'x' }, 60, 70, { ok: true, value: 'b' });
    expect(checkNativeHistory(native([...ops, b])).verdict).toBe('illegal');
  });

  it('treats touching intervals (return = call) as concurrent', () => {
    const ops = [
      kvOp(0, { type: 'put', key: 'x', value: 'a' }, 0, 10),
      kvOp(1, { type: 'get', key: 'x' }, 10, 20, { ok: true, value: '' }),
    ];
    expect(checkNativeHistory(native(ops)).verdict).toBe('ok');
  });

  it('an empty history is linearizable', () => {
    expect(checkNativeHistory(native([]))).toMatchObject({ verdict: 'ok', partitions: 0, ops: 0 });
  });
});

describe('budgets (c)', () => {
  // 40 concurrent indefinite appends and a read of a value no order can produce: the search has
  // to consider every ordered subset of the appends before the read.
  const ops: Operation<KvOp, KvResult>[] = [];
  for (let i = 0; i < 40; i++) {
    ops.push({
      id: i,
      client: `c${i}`,
      input: { type: 'append', key: 'k', value: `<${i}>` },
      output: undefined,
      call: i,
      return: Infinity,
    });
  }
  const get = (id: number, client: string, value: string, call: number, ret: number): void => {
    ops.push({
      id,
      client,
      input: { type: 'get', key: 'k' },
      output: { ok: true, value },
      call,
      return: ret,
    });
  };
  get(40, 'r', 'nope', 100, 101);
  get(41, 'r2', '<3><1>', 50, 60);

  it('returns unknown (timeout) within the deadline', () => {
    const timeoutMs = 500;
    const started = performance.now();
    const result = checkHistory(ops, kvModel, { timeoutMs });
    const elapsed = performance.now() - started;
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toBe('timeout');
    expect(elapsed).toBeLessThan(timeoutMs + 1000);
  });

  it('returns unknown (memory) when the memo tables outgrow the cap', () => {
    const result = checkHistory(ops, kvModel, { timeoutMs: 20_000, maxCacheBytes: 4 << 20 });
    expect(result).toMatchObject({ verdict: 'unknown', reason: 'memory' });
  });

  it('an illegal partition wins over an unknown one', () => {
    const bad: Operation<KvOp, KvResult>[] = [
      {
        id: 100,
        client: 'z',
        input: { type: 'put', key: 'z', value: '1' },
        output: { ok: true },
        call: 0,
        return: 1,
      },
      {
        id: 101,
        client: 'z',
        input: { type: 'get', key: 'z' },
        output: { ok: true, value: '2' },
        call: 2,
        return: 3,
      },
    ];
    const result = checkHistory([...ops, ...bad], kvModel, { timeoutMs: 2000 });
    expect(result.verdict).toBe('illegal');
    expect(result.explanation?.partitions[0]?.label).toBe('key "z"');
  });
});

describe('malformed histories (d)', () => {
  it('native: return before call, duplicate id, bad JSON, bad schema', () => {
    const early = malformed(() =>
      checkNativeHistory(native([kvOp(3, { type: 'put', key: 'x', value: '1' }, 10, 5)])),
    );
    expect(early.op).toBe(3);
    expect(early.reason).toMatch(/before call/);
    const dup = malformed(() =>
      checkNativeHistory(
        native([
          kvOp(1, { type: 'get', key: 'x' }, 0, 1, { ok: true, value: '' }),
          kvOp(1, { type: 'get', key: 'x' }, 2, 3, { ok: true, value: '' }),
        ]),
      ),
    );
    expect(dup.reason).toMatch(/duplicate op id 1/);
    const json = malformed(() => parseHistory('{"schema": "replisim/history@1",\n "ops": [}\n'));
    expect(json.line).toBe(2);
    const other = '{"schema": "other", "ops": []}';
    expect(malformed(() => parseHistory(other)).reason).toMatch(/schema/);
    const noValue = malformed(() =>
      parseHistory(
        JSON.stringify(
          native([
            {
              id: 0,
              client: 'a',
              input: { type: 'get', key: 'x' },
              call: 0,
              status: 'ok',
              return: 1,
              output: { ok: true },
            },
          ]),
        ),
      ),
    );
    expect(noValue.op).toBe(0);
  });

  it('checkHistory rejects ops whose return precedes their call', () => {
    const op = {
      id: 7,
      client: 'a',
      input: { type: 'read' },
      output: { ok: true, value: null },
      call: 5,
      return: 4,
      line: 12,
    };
    const error = malformed(() => checkHistory([op], etcdCasRegisterModel));
    expect(error).toMatchObject({ op: 7, line: 12 });
  });

  it('Jepsen log: bad lines and unmatched completions carry their line number', () => {
    const bad =
      'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\tbanana\n';
    expect(malformed(() => parseHistory(bad)).line).toBe(2);
    const orphan =
      'INFO  jepsen.util - 0\t:invoke\t:read\tnil\n\nINFO  jepsen.util - 1\t:ok\t:write\t3\n';
    expect(malformed(() => parseHistory(orphan)).line).toBe(3);
    const stray = 'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nhello\n';
    expect(malformed(() => parseHistory(stray)).line).toBe(2);
  });

  const edn =
    'EDN: unclosed maps, unknown types and mismatched completions carry their line number';
  it(edn, () => {
    const texts = [
      '{:process 0, :type :invoke, :f :read, :value nil}\n{:process 0, :type :ok\n',
      '{:process 0, :type :invoke, :f :read}\n{:process 0, :type :done, :f :read}\n',
      '[{:process 0, :type :invoke, :f :read}\n {:process 0, :type :ok, :f :write, :value 1}]',
      '{:process 0, :type :invoke, :f :get, :key "a", :value nil}\n' +
        '{:process 1, :type :invoke, :f :read}\n',
    ];
    for (const text of texts) expect(malformed(() => parseHistory(text)).line).toBe(2);
  });

  it('an unrecognised text is malformed at line 1; an empty text is an empty history', () => {
    expect(malformed(() => parseHistory('hello world\n')).line).toBe(1);
    expect(parseHistory('')).toMatchObject({ format: 'empty', ops: [] });
    expect(parseHistory('  \n\n', 'native')).toMatchObject({ format: 'empty', ops: [] });
  });
});

describe('formats', () => {
  it('detects every format by content', () => {
    expect(detectFormat('{"schema": "replisim/history@1", "ops": []}')).toBe('native');
    expect(detectFormat('INFO  jepsen.util - 0\t:invoke\t:read\tnil\n')).toBe('jepsen-etcd');
    const kv = '{:process 0, :type :invoke, :f :get, :key "1", :value nil}\n';
    expect(detectFormat(kv)).toBe('porcupine-kv');
    expect(detectFormat('[{:type :invoke, :f :write, :value 3, :process 0}]')).toBe('edn');
    expect(detectFormat('')).toBe('empty');
  });

  const ednRegister =
    'reads Jepsen/Knossos EDN register histories: :fail dropped, :info indefinite, nemesis ignored';
  it(ednRegister, () => {
    const text = [
      '[{:type :invoke, :f :write, :value 3, :process 0, :time 10}',
      ' {:type :info, :f :start, :value nil, :process :nemesis, :time 11}',
      ' {:type :invoke, :f :cas, :value [3 4], :process 1, :time 12}',
      ' {:type :ok, :f :write, :value 3, :process 0, :time 13}',
      ' {:type :fail, :f :cas, :value [3 4], :process 1, :time 14}',
      ' {:type :invoke, :f :write, :value 5, :process 2, :time 15}',
      ' {:type :info, :f :write, :value 5, :process 2, :time 16}',
      ' {:type :invoke, :f :read, :value nil, :process 0, :time 17}',
      ' {:type :ok, :f :read, :value 5, :process 0, :time 18}]',
    ].join('\n');
    const parsed = parseHistory(text);
    expect(parsed).toMatchObject({ format: 'edn', kind: 'register', invocations: 4 });
    expect(parsed.ops.map((op) => [op.id, op.line, op.return])).toEqual([
      [0, 1, 3],
      [2, 6, Infinity],
      [3, 8, 8],
    ]);
    expect(checkHistory(parsed.ops, etcdCasRegisterModel).verdict).toBe('ok');
    const stale = text.replace(':value 5, :process 0, :time 18', ':value 4, :process 0, :time 18');
    expect(checkHistory(parseHistory(stale).ops, etcdCasRegisterModel).verdict).toBe('illegal');
  });

  const etcdLog =
    'reads Jepsen etcd logs with Porcupine rules (failed CAS kept, timed-out read dropped)';
  it(etcdLog, () => {
    const log = [
      'INFO  jepsen.util - 0\t:invoke\t:write\t1',
      'INFO  jepsen.util - 0\t:ok\t:write\t1',
      'INFO  jepsen.util - :nemesis\t:info\t:start\tnil',
      'INFO  jepsen.core - something else',
      'INFO  jepsen.util - 1   :invoke :cas    [1 2]',
      'INFO  jepsen.util - 1   :fail   :cas    [1 2]',
      'INFO  jepsen.util - 2\t:invoke\t:read\tnil',
      'INFO  jepsen.util - 2\t:fail\t:read\t:timed-out',
      '',
    ].join('\n');
    const parsed = parseHistory(log);
    expect(parsed).toMatchObject({ format: 'jepsen-etcd', kind: 'register', invocations: 3 });
    // The CAS failed although the value was 1 and nothing else was concurrent: illegal.
    expect(checkHistory(parsed.ops, etcdCasRegisterModel).verdict).toBe('illegal');
    expect(parseHistory(log, 'jepsen-etcd').ops).toHaveLength(3);
  });
});
