// Module loader hooks (node:module register()): every `import 'electron'` resolves to the
// recording stand-in next to this file, so the built main bundle runs under plain Node.
const standIn = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: standIn, format: 'module', shortCircuit: true };
  return nextResolve(specifier, context);
}
