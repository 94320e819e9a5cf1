// A small namespace-aware XML reader for the parts of an Office file. The deck is read in a worker
// (inflating a zip is not main-thread work), and DOMParser is not exposed to dedicated workers
// (it is [Exposed=Window] in the DOM Parsing spec; Chromium has no DOMParser in workers). Shipping
// every slide's XML back to the page to parse would put megabytes of parsing on the main thread,
// so the worker parses here: elements, attributes, namespaces, text, entities, CDATA; no DTDs.

/** One element: its namespace URI and local name (prefixes resolved), attributes and children. */
export interface XmlElement {
  namespace: string;
  name: string;
  /** Attributes by local name, except namespaced ones, which are `{uri}local` (xmlns declarations left out). */
  attributes: Map<string, string>;
  children: XmlNode[];
}

/** A child node: an element, or a piece of text. */
export type XmlNode = XmlElement | string;

/** The XML could not be read. */
export class XmlParseError extends Error {
  override readonly name = 'XmlParseError';
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] !== '#') return NAMED_ENTITIES[body] ?? whole;
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

function splitName(qualified: string): [prefix: string, local: string] {
  const colon = qualified.indexOf(':');
  return colon < 0 ? ['', qualified] : [qualified.slice(0, colon), qualified.slice(colon + 1)];
}

/** Parse a whole document; returns its root element. XmlParseError when tags do not match. */
export function parseXml(source: string): XmlElement {
  const root: XmlElement = { namespace: '', name: '#document', attributes: new Map(), children: [] };
  const stack: { element: XmlElement; qualified: string; scope: Map<string, string> }[] = [
    { element: root, qualified: '', scope: new Map([['', ''], ['xml', XML_NAMESPACE]]) },
  ];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('<', at);
    const top = stack[stack.length - 1] as (typeof stack)[number];
    const textEnd = open < 0 ? source.length : open;
    if (textEnd > at && stack.length > 1) top.element.children.push(decodeEntities(source.slice(at, textEnd)));
    if (open < 0) break;
    if (source.startsWith('<!--', open)) {
      at = endOf(source, '-->', open);
    } else if (source.startsWith('<![CDATA[', open)) {
      const close = endOf(source, ']]>', open);
      top.element.children.push(source.slice(open + 9, close - 3));
      at = close;
    } else if (source.startsWith('<?', open) || source.startsWith('<!', open)) {
      // The declaration, processing instructions and a DOCTYPE (no internal subset in Office parts).
      at = endOf(source, '>', open);
    } else if (source[open + 1] === '/') {
      const close = endOf(source, '>', open);
      const qualified = source.slice(open + 2, close - 1).trim();
      if (stack.length < 2 || top.qualified !== qualified) throw new XmlParseError(`Unexpected </${qualified}>.`);
      stack.pop();
      at = close;
    } else {
      const close = tagEnd(source, open);
      const isEmpty = source[close - 2] === '/';
      const body = source.slice(open + 1, isEmpty ? close - 2 : close - 1);
      const qualified = /^[^\s/>]+/.exec(body)?.[0] ?? '';
      const scope = new Map(top.scope);
      const raw: [string, string][] = [];
      for (const match of body.slice(qualified.length).matchAll(ATTRIBUTE)) {
        const name = match[1] as string;
        const value = decodeEntities(match[3] ?? match[4] ?? '');
        if (name === 'xmlns') scope.set('', value);
        else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
        else raw.push([name, value]);
      }
      const [prefix, name] = splitName(qualified);
      const namespace = scope.get(prefix);
      if (namespace === undefined) throw new XmlParseError(`Undeclared prefix in <${qualified}>.`);
      const attributes = new Map<string, string>();
      for (const [attributeName, value] of raw) {
        const [attributePrefix, local] = splitName(attributeName);
        // An unprefixed attribute is in no namespace (Namespaces in XML §6.2).
        attributes.set(attributePrefix ? `{${scope.get(attributePrefix) ?? ''}}${local}` : local, value);
      }
      const element: XmlElement = { namespace, name, attributes, children: [] };
      top.element.children.push(element);
      if (!isEmpty) stack.push({ element, qualified, scope });
      at = close;
    }
  }
  if (stack.length > 1) throw new XmlParseError('The XML ends inside an element.');
  const element = root.children.find((child): child is XmlElement => typeof child !== 'string');
  if (!element) throw new XmlParseError('The XML has no root element.');
  return element;
}

function endOf(source: string, marker: string, from: number): number {
  const found = source.indexOf(marker, from);
  if (found < 0) throw new XmlParseError('The XML ends inside a tag.');
  return found + marker.length;
}

// The end of a start tag: the first '>' outside a quoted attribute value (which may hold a raw '>').
function tagEnd(source: string, from: number): number {
  let quote = '';
  for (let i = from; i < source.length; i++) {
    const char = source[i];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return i + 1;
    }
  }
  throw new XmlParseError('The XML ends inside a tag.');
}

/** Child elements of `element` with this namespace and local name. */
export function childElements(element: XmlElement, namespace: string, name: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string' && c.namespace === namespace && c.name === name);
}

/** Every descendant element (depth first, document order) with this namespace and local name. */
export function descendants(element: XmlElement, namespace: string, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement) => {
    for (const child of node.children) {
      if (typeof child === 'string') continue;
      if (child.namespace === namespace && child.name === name) found.push(child);
      visit(child);
    }
  };
  visit(element);
  return found;
}

/** The concatenated text inside an element. */
export function textContent(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textContent(c))).join('');
}
