import Markdown from 'react-markdown';

/** The PRD rendered as Markdown (raw HTML in it is shown as text, never run). */
export function RenderedPrd({ text }: { readonly text: string }) {
  return (
    <article className="prd-rendered" aria-label="PRD preview">
      {text.trim() === '' ? <p className="muted">Nothing to preview yet.</p> : <Markdown>{text}</Markdown>}
    </article>
  );
}
