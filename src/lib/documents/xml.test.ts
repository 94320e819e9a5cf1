import { describe, expect, it } from 'vitest';
import { childElements, descendants, parseXml, textContent, XmlParseError } from './xml.ts';

describe('parseXml', () => {
  it('resolves prefixes to namespaces, scoped to the element that declares them', () => {
    const root = parseXml('<?xml version="1.0"?><x:a xmlns:x="urn:one"><x:b xmlns:x="urn:two"/><x:b/></x:a>');
    expect(root).toMatchObject({ namespace: 'urn:one', name: 'a' });
    expect(childElements(root, 'urn:two', 'b')).toHaveLength(1);
    expect(childElements(root, 'urn:one', 'b')).toHaveLength(1);
  });

  it('decodes entities, keeps CDATA as written and skips comments', () => {
    const root = parseXml('<t xmlns="urn:t">a &amp; b &lt;c&gt; &#233;&#x263A;<!-- no --><![CDATA[<raw> &amp;]]></t>');
    expect(textContent(root)).toBe('a & b <c> é☺<raw> &amp;');
  });

  it('reads attributes, namespaced ones by {uri}local, even with > inside a value', () => {
    const root = parseXml(`<a xmlns:r="urn:r" r:id="rId2" name='x > y' plain="1"/>`);
    expect(root.attributes.get('{urn:r}id')).toBe('rId2');
    expect(root.attributes.get('name')).toBe('x > y');
    expect(root.attributes.has('xmlns:r')).toBe(false);
  });

  it('finds descendants in document order', () => {
    const root = parseXml('<a xmlns="urn:a"><b><c n="1"/></b><c n="2"><c n="3"/></c></a>');
    expect(descendants(root, 'urn:a', 'c').map((c) => c.attributes.get('n'))).toEqual(['1', '2', '3']);
  });

  it('refuses mismatched tags, undeclared prefixes and truncated documents', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(XmlParseError);
    expect(() => parseXml('<p:a/>')).toThrow(XmlParseError);
    expect(() => parseXml('<a><b/>')).toThrow(XmlParseError);
    expect(() => parseXml('<a attr="x')).toThrow(XmlParseError);
    expect(() => parseXml('just text')).toThrow(XmlParseError);
  });
});
