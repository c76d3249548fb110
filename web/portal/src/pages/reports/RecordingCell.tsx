/**
 * The Recording cell of a CDR row: an inline player when the call's audio is stored (the server sends
 * `recording_url` only with the `recording` feature), a download link only with `download_recording`,
 * otherwise the switch's reference as text.
 */
import { formatTime } from './common.tsx';

/** Which call a control belongs to, for its accessible name: the number dialled, else the time. */
function whichCall(row: Record<string, unknown>): string {
  if (typeof row.dest_number === 'string' && row.dest_number) return ` to ${row.dest_number}`;
  if (typeof row.start_time === 'string') return ` at ${formatTime(row.start_time)}`;
  return '';
}

export function RecordingCell({ row, canDownload }: { row: Record<string, unknown>; canDownload: boolean }) {
  const url = typeof row.recording_url === 'string' ? row.recording_url : null;
  const ref = typeof row.recording === 'string' ? row.recording : '';
  if (!url) {
    if (!ref) return <>–</>;
    if (/^https:\/\//i.test(ref)) {
      return (
        <a className="portal-link" href={ref} rel="noreferrer">
          Listen
        </a>
      );
    }
    return <>{ref}</>;
  }
  const call = whichCall(row);
  return (
    <div className="portal-recording">
      <audio
        className="portal-recording-player"
        controls
        preload="none"
        src={url}
        aria-label={`Play recording of call${call}`}
        {...(canDownload ? {} : { controlsList: 'nodownload' })}
      />
      {canDownload ? (
        <a
          className="portal-link portal-recording-download"
          href={`${url}?download=1`}
          download
          aria-label={`Download recording of call${call}`}
        >
          Download
        </a>
      ) : null}
    </div>
  );
}
