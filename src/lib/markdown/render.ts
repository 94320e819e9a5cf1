// The one path from model output to HTML. Model output is untrusted: it must never run script,
// make the browser contact any host, or navigate the app's own tab, so the HTML is sanitised,
// every remote URL removed, and the only way out is a link the person clicks, into a new tab.
import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, breaks: false, async: false });

const CONFIG: Config = {
  USE_PROFILES: { html: true },
  // Anything that could fetch (style url(), posters, SVG hrefs), embed a page, navigate (meta
  // refresh, base, forms, image maps) or act on the app's own controls is out.
  FORBID_TAGS: [
    'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'object', 'embed', 'portal',
    'form', 'input', 'button', 'select', 'textarea', 'option', 'optgroup', 'datalist', 'output',
    'map', 'area', 'video', 'audio', 'source', 'track', 'picture', 'svg', 'math', 'template', 'slot',
  ],
  FORBID_ATTR: [
    'style', 'srcset', 'background', 'poster', 'ping', 'lowsrc', 'dynsrc', 'xlink:href',
    'action', 'formaction', 'formtarget', 'formmethod', 'formenctype', 'method', 'enctype', 'target',
    'usemap', 'ismap', 'download',
    // Would point at (or act on) the app's own elements: a label that ticks the app's checkbox,
    // an invoker that opens its dialogs, a shortcut key or focus grab.
    'for', 'form', 'popovertarget', 'popovertargetaction', 'command', 'commandfor', 'accesskey', 'autofocus',
  ],
  ALLOW_DATA_ATTR: false,
  // Prefix ids and names ("user-content-…") so a reply cannot shadow the app's own.
  SANITIZE_NAMED_PROPS: true,
};

/** Only these may be followed from a reply, and only in a new tab. */
const FOLLOWABLE = /^(https?:|mailto:)/i;
/** Attributes that make an element go somewhere when clicked or loaded. */
const NAVIGATING_ATTRS = ['href', 'xlink:href', 'action', 'formaction'];

function createPurifier(): DOMPurify {
  const purifier = createDOMPurify(globalThis.window);
  purifier.addHook('afterSanitizeAttributes', (node) => {
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
      // Relative and fragment links would move the app's own tab; javascript: would run code.
      if (!FOLLOWABLE.test(href.trim())) node.removeAttribute('href');
      // Links open only on a click, in a new context that learns nothing about this page.
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
      node.setAttribute('referrerpolicy', 'no-referrer');
    } else {
      for (const name of NAVIGATING_ATTRS) node.removeAttribute(name);
    }
  });
  return purifier;
}

let purifier: DOMPurify | undefined;

/** Model Markdown → safe HTML: DOMPurify(marked(md)). */
export function renderMarkdown(markdown: string): string {
  // Its own instance, so these hooks never change how anything else sanitises.
  purifier ??= createPurifier();
  const html = marked.parse(markdown) as string;
  return purifier.sanitize(html, CONFIG) as string;
}
