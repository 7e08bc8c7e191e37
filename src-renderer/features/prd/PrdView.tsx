import { Suspense, lazy, useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';
import { ErrorMessage } from '../../app/ErrorMessage';
import { removeTask, toNewTasks, toggleDependency, updateTask, type PlanDraft } from './plan-edit';
import { PlanPreview } from './PlanPreview';
import { PRD_FILE_ACCEPT } from './prd-file';
import { prdStorageKeys, useSessionState } from './prd-storage';
import { useAcceptPlan, usePlanPrd } from './queries';
import { usePrdImport, type PendingImport } from './use-prd-import';

// CodeMirror and the Markdown renderer are large; load them when the Plan tab first opens.
const MarkdownEditor = lazy(async () => ({ default: (await import('./MarkdownEditor')).MarkdownEditor }));
const RenderedPrd = lazy(async () => ({ default: (await import('./RenderedPrd')).RenderedPrd }));

/** A file dropped on the project's window, handed to the Plan tab to import; `seq` tells repeated drops of the same file apart. */
export interface DroppedFile {
  readonly file: File;
  readonly seq: number;
}

interface PrdViewProps {
  readonly project: string;
  /** A file dropped anywhere on the window (the workspace catches drops and switches to this tab). */
  readonly dropped?: DroppedFile | null;
  /** Told once a dropped file has been taken, so it is not imported again when the tab is reopened. */
  readonly onDropTaken?: () => void;
}

/** The Plan tab: write or import a PRD, have the manager plan it, edit the proposed tasks, accept them. */
export function PrdView({ project, dropped = null, onDropTaken }: PrdViewProps) {
  const [text, setText] = useSessionState(prdStorageKeys.draft(project), '');
  const [imported, setImported] = useSessionState(prdStorageKeys.imported(project), '');
  const [draft, setDraft] = useSessionState<PlanDraft | null>(prdStorageKeys.plan(project), null);
  const [showPreview, setShowPreview] = useState(false);
  const [added, setAdded] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const planRequest = useRef(0);
  const planButton = useRef<HTMLButtonElement>(null);
  const planHeading = useRef<HTMLHeadingElement>(null);
  const addedStatus = useRef<HTMLParagraphElement>(null);
  const keepTextButton = useRef<HTMLButtonElement>(null);
  // Where keyboard focus goes next, once the element exists (the plan arrived, was accepted, or was discarded).
  const [focusNext, setFocusNext] = useState<'plan-heading' | 'added' | 'plan-button' | null>(null);
  useEffect(() => {
    if (focusNext === null) return;
    const target = focusNext === 'plan-heading' ? planHeading.current : focusNext === 'added' ? addedStatus.current : planButton.current;
    target?.focus();
    setFocusNext(null);
  }, [focusNext, draft, added]);
  const plan = usePlanPrd(project);
  const accept = useAcceptPlan(project);

  const apply = useCallback(
    ({ name, text: fileText }: PendingImport) => {
      setText(fileText);
      setImported(fileText);
      setNotice(`Imported ${name}.`);
    },
    [setImported, setText],
  );
  const hasEdits = text.trim() !== '' && text !== imported;
  const fileImport = usePrdImport({ hasEdits, apply });
  // Each drop is imported once, even when this tab re-renders or the same file is dropped again.
  const importedDrop = useRef(0);
  const { importFile } = fileImport;
  useEffect(() => {
    if (dropped === null || dropped.seq === importedDrop.current) return;
    importedDrop.current = dropped.seq;
    void importFile(dropped.file);
    onDropTaken?.();
  }, [dropped, importFile, onDropTaken]);

  // The question about replacing edited text takes focus, on its harmless answer.
  const asking = fileImport.pending !== null;
  useEffect(() => {
    if (asking) keepTextButton.current?.focus();
  }, [asking]);

  const onChoose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file !== undefined) void fileImport.importFile(file);
  };

  const startPlan = () => {
    planRequest.current += 1;
    const request = planRequest.current;
    setAdded(null);
    accept.reset();
    plan.mutate(text, {
      onSuccess: (result) => {
        if (request !== planRequest.current) return;
        setDraft(result);
        // Someone waiting on the Plan button is taken to the proposal; someone typing elsewhere is left alone.
        if (document.activeElement === planButton.current || document.activeElement === document.body) setFocusNext('plan-heading');
      },
    });
  };
  const cancelPlan = () => {
    planRequest.current += 1;
    plan.reset();
  };
  const acceptPlan = () => {
    if (draft === null) return;
    accept.mutate(toNewTasks(draft), {
      onSuccess: ({ ids }) => {
        setAdded(ids.length);
        setDraft(null);
        setFocusNext('added');
      },
    });
  };
  const edit = (next: PlanDraft) => {
    accept.reset();
    setDraft(next);
    // Removing the last proposed task removes the table the focus was in.
    if (next.tasks.length === 0) setFocusNext('plan-button');
  };
  const discardPlan = () => {
    setDraft(null);
    setFocusNext('plan-button');
  };

  const planBlocked = text.trim() === '' || accept.isPending;
  const emptyTitles = draft?.tasks.filter((task) => task.title.trim() === '').map((task) => task.id) ?? [];
  const busy = plan.isPending || accept.isPending;

  return (
    <section aria-label="Plan from a PRD" className="prd-view">
      <div className="toolbar" role="toolbar" aria-label="PRD controls">
        <button type="button" onClick={() => fileInput.current?.click()}>
          Import file…
        </button>
        <input ref={fileInput} type="file" accept={PRD_FILE_ACCEPT} aria-label="PRD file to import" className="visually-hidden" tabIndex={-1} onChange={onChoose} />
        <button type="button" aria-pressed={showPreview} onClick={() => setShowPreview(!showPreview)}>
          Preview
        </button>
        <span className="muted">or drop a .md / .txt file anywhere on the window</span>
        {plan.isPending ? (
          <span role="status" className="prd-planning">
            Planning… the manager can take a minute or two.
          </span>
        ) : null}
        {/* One button for Plan / Cancel planning / Plan again, so keyboard focus stays on it throughout. */}
        <button
          ref={planButton}
          type="button"
          className={plan.isPending ? 'prd-plan-button' : 'primary prd-plan-button'}
          aria-disabled={!plan.isPending && planBlocked}
          onClick={() => {
            if (plan.isPending) cancelPlan();
            else if (!planBlocked) startPlan();
          }}
        >
          {plan.isPending ? 'Cancel planning' : draft === null ? 'Plan' : 'Plan again'}
        </button>
      </div>
      {fileImport.problem === null ? null : <p role="alert" className="error">{fileImport.problem}</p>}
      {notice === null || fileImport.problem !== null ? null : (
        <p role="status" className="muted prd-notice">
          {notice}
        </p>
      )}
      {fileImport.pending === null ? null : (
        <div
          className="confirm"
          role="group"
          aria-label="Replace the PRD"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            event.stopPropagation();
            fileImport.dismiss();
            planButton.current?.focus();
          }}
        >
          <p>Replace your edited PRD with the contents of {fileImport.pending.name}? Your current text will be lost.</p>
          <div className="row">
            <button type="button" className="primary" onClick={fileImport.confirm}>
              Replace
            </button>
            <button ref={keepTextButton} type="button" onClick={fileImport.dismiss}>
              Keep my text
            </button>
          </div>
        </div>
      )}
      <Suspense fallback={<p role="status">Loading the editor…</p>}>
        <div className={showPreview ? 'prd-panes prd-panes-split' : 'prd-panes'}>
          <MarkdownEditor label="PRD" value={text} onChange={setText} />
          {showPreview ? <RenderedPrd text={text} /> : null}
        </div>
      </Suspense>
      {plan.error === null ? null : <ErrorMessage error={plan.error} />}
      {added === null ? null : (
        <p ref={addedStatus} tabIndex={-1} role="status" className="prd-added">
          Added {added} {added === 1 ? 'task' : 'tasks'} — see the Tasks tab.
        </p>
      )}
      {draft === null ? null : (
        <section aria-label="Proposed plan" className="panel prd-plan">
          <div className="prd-plan-head">
            <h3 ref={planHeading} tabIndex={-1}>
              Proposed tasks
            </h3>
            <span className="muted">
              {draft.tasks.length} {draft.tasks.length === 1 ? 'task' : 'tasks'} · planning cost ${draft.costUsd.toFixed(4)}
            </span>
          </div>
          {draft.notes.length === 0 ? null : (
            <ul className="prd-notes" aria-label="Planning notes">
              {draft.notes.map((note, index) => (
                <li key={index}>
                  <span className="badge">{note.kind}</span> {note.message}
                </li>
              ))}
            </ul>
          )}
          {draft.tasks.length === 0 ? (
            <p className="empty">Every proposed task was removed; plan again to get new ones.</p>
          ) : (
            <PlanPreview
              draft={draft}
              disabled={accept.isPending}
              onTitle={(id, title) => edit(updateTask(draft, id, { title }))}
              onPriority={(id, priority) => edit(updateTask(draft, id, { priority }))}
              onDependency={(id, dependencyId, on) => edit(toggleDependency(draft, id, dependencyId, on))}
              onRemove={(id) => edit(removeTask(draft, id))}
            />
          )}
          {emptyTitles.length === 0 ? null : <p className="error">Give task {emptyTitles.join(', ')} a title before accepting.</p>}
          {accept.error === null ? null : <ErrorMessage error={accept.error} />}
          <div className="row">
            <button type="button" className="primary" disabled={busy || draft.tasks.length === 0 || emptyTitles.length > 0} onClick={acceptPlan}>
              {accept.isPending ? 'Adding…' : `Accept ${draft.tasks.length} ${draft.tasks.length === 1 ? 'task' : 'tasks'}`}
            </button>
            <button type="button" disabled={busy} onClick={discardPlan}>
              Discard plan
            </button>
          </div>
        </section>
      )}
    </section>
  );
}
