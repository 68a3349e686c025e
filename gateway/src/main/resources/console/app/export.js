import { request } from './api.js';

/**
 * Downloads the whole result of the current view as CSV or NDJSON: the server streams every matching event
 * (GET /api/events/export, within the caller's view); the browser keeps it as a file. Answers the number of events.
 */
export async function exportEvents(format, filter) {
  const response = await request(`/api/events/export?${new URLSearchParams({ format, filter })}`);
  const blob = await response.blob();
  const text = await blob.text();
  const lines = text.split('\n').filter((l) => l.trim()).length - (format === 'csv' ? 1 : 0);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `auditlog-events-${new Date().toISOString().replaceAll(':', '-').slice(0, 19)}.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return lines;
}
