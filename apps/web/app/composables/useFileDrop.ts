import type { Ref } from 'vue';
import type { useUploadsStore } from '~/stores/uploads';

/**
 * Files pasted or dropped on the composer go to the chat's uploads at once (not while editing);
 * `dragging` is true while files are held over it.
 */
export function useFileDrop(o: { uploads: ReturnType<typeof useUploadsStore>; chatId: () => string; editing: () => boolean; notice: Ref<string | null> }) {
  const dragging = ref(false);
  const hasFiles = (e: DragEvent): boolean => [...(e.dataTransfer?.types ?? [])].includes('Files');

  async function addFiles(list: File[]): Promise<void> {
    if (o.editing() || list.length === 0) return;
    o.notice.value = await o.uploads.add(o.chatId(), list);
  }

  function onPaste(e: ClipboardEvent): void {
    const list = [...(e.clipboardData?.files ?? [])];
    if (list.length === 0) return; // plain text pastes as usual
    e.preventDefault();
    void addFiles(list);
  }

  function onDragOver(e: DragEvent): void {
    if (o.editing() || !hasFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    dragging.value = true;
  }

  function onDragLeave(e: DragEvent): void {
    const to = e.relatedTarget as Node | null;
    if (!to || !(e.currentTarget as HTMLElement).contains(to)) dragging.value = false;
  }

  function onDrop(e: DragEvent): void {
    dragging.value = false;
    if (o.editing() || !hasFiles(e)) return;
    e.preventDefault();
    void addFiles([...(e.dataTransfer?.files ?? [])]);
  }

  return { dragging, addFiles, onPaste, onDragOver, onDragLeave, onDrop };
}
