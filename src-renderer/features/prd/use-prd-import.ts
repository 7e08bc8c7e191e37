import { useCallback, useState } from 'react';
import { decodePrdBytes } from '../../../src-shared/domain/prd-text';
import { prdFileProblem } from './prd-file';

/** A file read and waiting for the user to confirm that it may replace their edited text. */
export interface PendingImport {
  readonly name: string;
  readonly text: string;
}

interface PrdImportOptions {
  /** Whether the current text holds edits that an import would lose. */
  readonly hasEdits: boolean;
  /** Replaces the editor's text with an imported file's. */
  readonly apply: (imported: PendingImport) => void;
}

/** Reads a dropped or chosen file into the editor: wrong types are refused, and edited text is only replaced after confirmation. */
export function usePrdImport({ hasEdits, apply }: PrdImportOptions) {
  const [pending, setPending] = useState<PendingImport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const importFile = useCallback(
    async (file: File) => {
      const refused = prdFileProblem(file);
      setProblem(refused);
      if (refused !== null) return;
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await file.arrayBuffer());
      } catch (error) {
        setProblem(`Could not read "${file.name}": ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      // The same checks as `co parse`: a binary, non-UTF-8, empty or too long file is refused here, before any model call.
      const decoded = decodePrdBytes(bytes, `"${file.name}"`);
      if ('problem' in decoded) {
        setProblem(decoded.problem);
        return;
      }
      const imported = { name: file.name, text: decoded.text };
      if (hasEdits) setPending(imported);
      else apply(imported);
    },
    [apply, hasEdits],
  );

  const confirm = useCallback(() => {
    if (pending !== null) apply(pending);
    setPending(null);
  }, [apply, pending]);

  const dismiss = useCallback(() => setPending(null), []);

  return { pending, problem, importFile, confirm, dismiss, clearProblem: () => setProblem(null) };
}
