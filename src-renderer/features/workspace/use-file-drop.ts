import { useEffect, useRef } from 'react';

/** Whether a drag carries files (not text or links dragged from the page). */
function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer !== null && Array.from(event.dataTransfer.types).includes('Files');
}

/**
 * Accepts files dropped anywhere on the window while the calling component is mounted: the
 * browser's default (opening the file in place of the app) is prevented and `onDrop` gets the
 * first file. `onDragChange` tells whether a file is being dragged over the window. Drag-over
 * and drop are caught in the capture phase so the editor does not paste the file's text itself.
 */
export function useWindowFileDrop(onDrop: (file: File) => void, onDragChange?: (dragging: boolean) => void): void {
  const handlers = useRef({ onDrop, onDragChange });
  handlers.current = { onDrop, onDragChange };
  useEffect(() => {
    let depth = 0;
    const setDragging = (dragging: boolean) => handlers.current.onDragChange?.(dragging);
    const onDragEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth += 1;
      setDragging(true);
    };
    const onDragLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDragOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.stopPropagation();
      if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'copy';
    };
    const onDropEvent = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.stopPropagation();
      depth = 0;
      setDragging(false);
      const file = event.dataTransfer?.files[0];
      if (file !== undefined) handlers.current.onDrop(file);
    };
    window.addEventListener('dragenter', onDragEnter);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('dragover', onDragOver, true);
    window.addEventListener('drop', onDropEvent, true);
    return () => {
      window.removeEventListener('dragenter', onDragEnter);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('dragover', onDragOver, true);
      window.removeEventListener('drop', onDropEvent, true);
    };
  }, []);
}
