/** One stored rendition of an upload (an entry of `media.files`). */
export interface MediaFile {
  key: string;
  mime: string;
  size: number;
  width: number;
  height: number;
}
