// The boundaries issue 13 drew between the core and its two fronts, kept by reading the source:
// the core words no command line (no flag, no `boxoffice …` command, no exit code), and the TUI
// words refusals by their code and reason, never by matching the core's message.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The text of every string and template literal in `code` (template holes left out), with its line. */
export function stringLiterals(code: string): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  let line = 1;
  let i = 0;
  // Template literals nest through `${ … }`: a stack of brace depths at which a template resumes.
  const resume: number[] = [];
  let depth = 0;
  const readQuoted = (quote: string) => {
    const start = line;
    let text = '';
    i++;
    while (i < code.length && code[i] !== quote) {
      if (code[i] === '\\') {
        text += code.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (quote === '`' && code.startsWith('${', i)) {
        found.push({ line: start, text });
        resume.push(depth);
        depth++;
        i += 2;
        return;
      }
      if (code[i] === '\n') line++;
      text += code[i++];
    }
    i++;
    found.push({ line: start, text });
  };
  while (i < code.length) {
    const ch = code[i];
    if (ch === '\n') {
      line++;
      i++;
    } else if (code.startsWith('//', i)) {
      while (i < code.length && code[i] !== '\n') i++;
    } else if (code.startsWith('/*', i)) {
      const end = code.indexOf('*/', i + 2);
      line += code.slice(i, end).split('\n').length - 1;
      i = end + 2;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      readQuoted(ch);
    } else if (ch === '{') {
      depth++;
      i++;
    } else if (ch === '}') {
      depth--;
      if (resume.length && resume[resume.length - 1] === depth) {
        resume.pop();
        // Back inside the template (readQuoted steps over this brace): on to its next hole or its end.
        readQuoted('`');
      } else i++;
    } else if (ch === '/' && /[(,=:[!&|?{};]\s*$/.test(code.slice(Math.max(0, i - 20), i))) {
      // A regular expression literal: skip it, so a quote inside it starts no string.
      i++;
      let inClass = false;
      while (i < code.length && (code[i] !== '/' || inClass)) {
        if (code[i] === '\\') i++;
        else if (code[i] === '[') inClass = true;
        else if (code[i] === ']') inClass = false;
        i++;
      }
      i++;
    } else i++;
  }
  return found;
}

// The command words of src/cli/program.ts: `boxoffice event price` is a command, "boxoffice runs single-user" is not.
const COMMAND =
  /\bboxoffice (--db \S+ )?(init|venue|event|seats|hold|sell|order|expire|checkin|staff|customer|lead|login|logout|whoami|log|backup|config|completion|tickets|mail|import|export|sync|report|ui)\b/;

// Flags that are not boxoffice's: V8's, set from inside the process.
const NOT_OURS = new Set(['--expose-gc']);

const rel = (file: string) => path.relative(path.dirname(SRC), file);

describe('the core knows no command line', () => {
  const core = sourceFiles(path.join(SRC, 'core'));

  it('names no command-line flag or boxoffice command in a string', () => {
    const offending = core.flatMap((file) =>
      stringLiterals(fs.readFileSync(file, 'utf8'))
        .filter((s) => !NOT_OURS.has(s.text) && (/(^|[\s(:|"'])--[a-z][a-z-]+/.test(s.text) || COMMAND.test(s.text)))
        .map((s) => `${rel(file)}:${s.line}: ${s.text}`),
    );
    expect(offending).toEqual([]);
  });

  it('knows no exit code and never ends the process', () => {
    const offending = core.flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((text, i) => (/\bexitCode\b|\bEXIT\b|process\.exit/.test(text.replace(/\/\/.*$/, '')) ? [`${rel(file)}:${i + 1}: ${text.trim()}`] : [])),
    );
    expect(offending).toEqual([]);
  });
});

describe('the TUI words refusals by their code', () => {
  it('matches no error message or hint with a pattern', () => {
    const offending = sourceFiles(path.join(SRC, 'ui')).flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((text, i) =>
          /\b(message|hint)\b.*\.(test|exec|match|replace|search|startsWith|includes)\(|\.(test|exec|match)\([^)]*\b(message|hint)\b/.test(text) ? [`${rel(file)}:${i + 1}: ${text.trim()}`] : [],
        ),
    );
    expect(offending).toEqual([]);
  });
});

describe('the string scanner these rules read with', () => {
  it('finds strings and template text, and skips comments and regular expressions', () => {
    const code = "const a = 'one --x'; // 'not --this'\n/* 'nor --this' */ const r = /'--no/; const t = `two ${a + `three ${'four'}`} five`;";
    expect(stringLiterals(code).map((s) => s.text)).toEqual(['one --x', 'two ', 'three ', 'four', '', ' five']);
  });
});
