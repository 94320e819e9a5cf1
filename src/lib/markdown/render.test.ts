// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './render.ts';

const PAYLOADS = [
  '<script>window.pwned = 1</script>',
  '<img src=x onerror="window.pwned=1">',
  '[click](javascript:alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  '<iframe src="https://evil.example/"></iframe>',
  '<svg onload="alert(1)"><image href="https://evil.example/x.png"/></svg>',
  '<div style="background:url(https://evil.example/t.png)">x</div>',
  '<style>body{background:url(https://evil.example/s.png)}</style>',
  '![tracker](https://evil.example/pixel.png)',
  '<img srcset="https://evil.example/a.png 1x">',
  '<video poster="https://evil.example/p.png"></video>',
  '<form action="https://evil.example/"><button>go</button></form>',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<base href="https://evil.example/">',
  '<object data="https://evil.example/x.swf"></object>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
];

describe('renderMarkdown', () => {
  it('renders ordinary Markdown', () => {
    const html = renderMarkdown('# Title\n\n- **one**\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>one</strong>');
    expect(html).toContain('<table>');
  });

  it.each(PAYLOADS)('leaves no script, handler or remote URL in %s', (payload) => {
    const html = renderMarkdown(payload);
    expect(html).not.toMatch(/<script|onerror|onload|javascript:|<iframe|<style|<link|<base|<object|<form|srcset|poster/i);
    expect(html).not.toMatch(/(src|href|action|data|style)=["']?[^"'>]*evil\.example/i);
    expect(html).not.toMatch(/url\(/i);
  });

  it('replaces a remote image with its alt text', () => {
    expect(renderMarkdown('![a chart](https://evil.example/c.png)')).toContain('[image: a chart]');
  });

  it('keeps http links but opens them without referrer or opener', () => {
    const html = renderMarkdown('[docs](https://ollama.com)');
    expect(html).toContain('href="https://ollama.com"');
    expect(html).toContain('rel="noopener noreferrer"');
    expect(html).toContain('target="_blank"');
  });
});

/** The rendered reply as a DOM, to ask what a click on it could do. */
function renderToDom(markdown: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = renderMarkdown(markdown);
  return root;
}

// Each of these would move the app's own tab, submit somewhere or act on the app's controls.
const NAVIGATION_VECTORS: [string, string][] = [
  ['image map', '<img src="data:image/png;base64,iVBORw0KGgo=" usemap="#m" ismap><map name="m"><area shape="rect" coords="0,0,9,9" href="https://evil.example/area"><area href="javascript:alert(1)"></map>'],
  ['form with submit button', '<form action="https://evil.example/post" method="post"><input name="q" value="x"><button type="submit">Send</button></form>'],
  ['button formaction', '<button formaction="https://evil.example/fa" form="settings">Go</button><input type="image" formaction="/x">'],
  ['SVG a xlink:href', '<svg><a xlink:href="javascript:alert(1)"><text>svg link</text></a></svg>'],
  ['SVG use href', '<svg><use href="https://evil.example/sprite.svg#x"/><use xlink:href="#app-icon"/></svg>'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example/">'],
  ['base href', '<base href="https://evil.example/" target="_self">'],
  ['href outside a', '<div href="https://evil.example/d" action="/x">div</div><span xlink:href="/y">s</span>'],
  ['javascript: link', '<a href="javascript:alert(1)" target="_self">js</a> [md](javascript:alert(2))'],
  ['relative and fragment links', '<a href="/settings">rel</a> <a href="#top">frag</a> <a href="//evil.example/p">proto</a> [m](?reset=1)'],
  ['target on a link', '<a href="https://example.com/" target="_top">top</a>'],
  ['label for an app control', '<label for="select-all">tick</label><div id="select-all" popovertarget="x">d</div>'],
  ['form controls', '<select form="f"><option>a</option></select><textarea>t</textarea><output>o</output>'],
  ['download link', '<a href="https://evil.example/x.exe" download>get</a>'],
];

describe('renderMarkdown against navigation', () => {
  it.each(NAVIGATION_VECTORS)('leaves nothing that can navigate the app in a %s', (_label, markdown) => {
    const root = renderToDom(markdown);
    expect(root.querySelectorAll('map, area, form, input, button, select, textarea, output, meta, base, svg, use')).toHaveLength(0);
    for (const element of root.querySelectorAll('*')) {
      for (const name of ['action', 'formaction', 'xlink:href', 'usemap', 'ismap', 'for', 'form', 'download', 'popovertarget']) {
        expect(element.hasAttribute(name), `${element.tagName} ${name}`).toBe(false);
      }
      if (element.tagName !== 'A') expect(element.hasAttribute('href'), `${element.tagName} href`).toBe(false);
    }
    for (const link of root.querySelectorAll('a')) {
      expect(link.getAttribute('href') ?? 'https:').toMatch(/^(https?:|mailto:)/);
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    }
    // A reply's ids cannot stand in for the app's own.
    expect(root.querySelector('#select-all')).toBeNull();
  });

  it('keeps the visible text of what it disarms', () => {
    const text = renderToDom(NAVIGATION_VECTORS.map(([, md]) => md).join('\n\n')).textContent ?? '';
    for (const word of ['Send', 'Go', 'js', 'rel', 'frag', 'top', 'tick', 'get']) expect(text).toContain(word);
  });

  it('keeps mailto links and a link that was already safe', () => {
    const root = renderToDom('[mail](mailto:a@example.com) <https://example.com/x>');
    expect([...root.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['mailto:a@example.com', 'https://example.com/x']);
  });
});
