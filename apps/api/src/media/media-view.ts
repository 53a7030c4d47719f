/**
 * A media row as a MediaViewSource (json), for `toMediaView` from the contracts. The chats module
 * builds the same object for MessageView.attachments in its own query (it may not import media);
 * the tests compare the views from upload, message and gallery, so the two cannot drift apart.
 */
export function mediaJsonSql(alias: string): string {
  return `json_build_object('id', ${alias}.id, 'kind', ${alias}.kind, 'mime', ${alias}.mime, 'size', ${alias}.size::float8,
    'width', ${alias}.width, 'height', ${alias}.height, 'durationMs', ${alias}.duration_ms, 'waveform', ${alias}.waveform,
    'placeholder', ${alias}.placeholder, 'name', ${alias}.name, 'renditions', ${alias}.files)`;
}
