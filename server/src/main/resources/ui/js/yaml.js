// A small JSON-to-YAML writer for the raw view: block style, strings quoted only when YAML would
// read them as something else. It is for reading, not for round-tripping every edge case.

export function toYaml(value) {
  return `${write(value, 0).replace(/^\n/, '')}\n`;
}

function write(value, indent) {
  const pad = '  '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    return value.map((item) => {
      const body = write(item, indent + 1);
      return `\n${pad}-${body.startsWith('\n') ? body.replace(/^\n\s*/, ' ') : body}`;
    }).join('');
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return ' {}';
    return keys.map((k) => `\n${pad}${scalarString(k)}:${write(value[k], indent + 1)}`).join('');
  }
  if (typeof value === 'string' && value.includes('\n')) {
    const inner = '  '.repeat(indent);
    const chomp = value.endsWith('\n') ? '' : '-';
    const lines = value.replace(/\n$/, '').split('\n');
    return ` |${chomp}\n${lines.map((l) => (l ? inner + l : '')).join('\n')}`;
  }
  return ` ${scalar(value)}`;
}

function scalar(value) {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return scalarString(value);
  return String(value);
}

const PLAIN = /^[A-Za-z_./][A-Za-z0-9_./ ()=+-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function scalarString(s) {
  if (s !== '' && PLAIN.test(s) && !RESERVED.test(s) && !s.endsWith(' ') && !s.includes(': ')
      && !s.includes(' #')) {
    return s;
  }
  return JSON.stringify(s);
}
