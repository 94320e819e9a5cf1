// The one path from model output to HTML. Model output is untrusted: it must never run script
// or make the browser contact any host, so the HTML is sanitised and every remote URL removed.
import DOMPurify, { type Config } from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: false, async: false });

// Anything that could fetch (style url(), srcset, posters, SVG hrefs) or embed a page is out.
const CONFIG: Config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'link', 'meta', 'base', 'iframe', 'frame', 'object', 'embed', 'form', 'input', 'button', 'video', 'audio', 'source', 'track', 'picture', 'svg', 'math', 'template'],
  FORBID_ATTR: ['style', 'srcset', 'background', 'poster', 'action', 'formaction', 'ping', 'xlink:href', 'lowsrc', 'dynsrc'],
  ALLOW_DATA_ATTR: false,
};

let hooked = false;
function installHooks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'IMG') {
      // Only inline data: images may show; a remote src would tell another host we are here.
      const src = node.getAttribute('src') ?? '';
      if (!/^data:image\/(png|jpeg|gif|webp);/i.test(src)) {
        const alt = node.getAttribute('alt');
        node.replaceWith(node.ownerDocument.createTextNode(alt ? `[image: ${alt}]` : '[image]'));
      }
    }
    if (node.tagName === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (!/^(https?:|mailto:|#)/i.test(href)) node.removeAttribute('href');
      // Links open only on a click, in a new context that learns nothing about this page.
      node.setAttribute('rel', 'noopener noreferrer nofollow');
      node.setAttribute('target', '_blank');
      node.setAttribute('referrerpolicy', 'no-referrer');
    }
  });
}

/** Model Markdown → safe HTML: DOMPurify(marked(md)). */
export function renderMarkdown(markdown: string): string {
  installHooks();
  const html = marked.parse(markdown) as string;
  return DOMPurify.sanitize(html, CONFIG) as string;
}
