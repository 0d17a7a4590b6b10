/** Saves a Blob the dashboard fetched (with its auth header) as a file, through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the link; the URL can go once the browser has read it.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
