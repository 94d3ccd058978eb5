// Reads a suite file (YAML or JSON) into the run workflow's input. Every problem is reported at
// once, with the file, the line and the field path, before anything starts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { runInputSchema, type Run } from '../core/run';

export class SuiteFileError extends Error {}

/** The YAML line of the node at `path`, or of its nearest existing parent. */
function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Input files may be inline text or `{ file: path }`, read relative to the suite file. */
function readInputs(doc: Document, dir: string, problems: string[], where: (path: (string | number)[]) => string): void {
  const inputs = doc.getIn(['inputs'], true);
  if (!isMap(inputs)) return;
  for (const item of inputs.items) {
    const value = item.value;
    if (!isMap(value) || !isScalar(item.key)) continue;
    const name = String(item.key.value);
    const file = value.get('file');
    if (typeof file !== 'string') continue;
    const path = resolve(dir, file);
    if (!existsSync(path)) {
      problems.push(`${where(['inputs', name])}: inputs.${name}.file: ${path} does not exist`);
      continue;
    }
    doc.setIn(['inputs', name], readFileSync(path, 'utf8'));
  }
}

export function loadSuiteFile(file: string, extra: { labels?: Record<string, string>; cluster?: string } = {}): Run {
  if (!existsSync(file)) throw new SuiteFileError(`${file}: no such file`);
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) throw new SuiteFileError(doc.errors.map((e) => `${file}:${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`).join('\n'));
  const where = (path: (string | number)[]) => `${file}:${lineOf(doc, lines, path) ?? 1}`;
  const problems: string[] = [];
  readInputs(doc, dirname(file), problems, where);
  const parsed = runInputSchema.safeParse({ suite: doc.toJS() as unknown, ...extra });
  if (parsed.success && problems.length === 0) return parsed.data;
  for (const issue of parsed.error?.issues ?? []) {
    const path = issue.path.slice(1) as (string | number)[]; // drop the leading "suite"
    problems.push(`${where(path)}: ${path.join('.') || '(top level)'}: ${issue.message}`);
  }
  throw new SuiteFileError(problems.join('\n'));
}
