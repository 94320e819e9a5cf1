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
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });
});
