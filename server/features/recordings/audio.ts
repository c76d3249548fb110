/**
 * Which audio a recording may be: the declared Content-Type (aliases folded to one canonical type) and a check
 * of the first bytes against that type, so a recording served inline is always the audio it claims to be.
 */
import { badRequest, HttpError } from '../../lib/errors.ts';

export const MAX_RECORDING_BYTES = 50 * 1024 * 1024;

/** Canonical types, their file extension and a test of the file's first bytes. */
const TYPES: Record<string, { ext: string; label: string; sniff: (b: Buffer) => boolean }> = {
  'audio/wav': {
    ext: 'wav',
    label: 'a RIFF/WAVE file',
    sniff: (b) => ['RIFF', 'RF64'].includes(ascii(b, 0, 4)) && ascii(b, 8, 12) === 'WAVE',
  },
  'audio/mpeg': {
    ext: 'mp3',
    label: 'an MPEG audio (MP3) file',
    sniff: (b) => ascii(b, 0, 3) === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
  },
  'audio/ogg': { ext: 'ogg', label: 'an Ogg file', sniff: (b) => ascii(b, 0, 4) === 'OggS' },
  'audio/webm': {
    ext: 'webm',
    label: 'a WebM file',
    sniff: (b) => b.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])),
  },
  'audio/flac': { ext: 'flac', label: 'a FLAC file', sniff: (b) => ascii(b, 0, 4) === 'fLaC' },
  'audio/mp4': { ext: 'm4a', label: 'an MP4 audio file', sniff: (b) => ascii(b, 4, 8) === 'ftyp' },
  'audio/aac': {
    ext: 'aac',
    label: 'an AAC (ADTS) file',
    sniff: (b) => ascii(b, 0, 4) === 'ADIF' || (b[0] === 0xff && ((b[1] ?? 0) & 0xf6) === 0xf0),
  },
};

const ALIASES: Record<string, string> = {
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/mp3': 'audio/mpeg',
  'audio/x-mp3': 'audio/mpeg',
  'audio/mpeg3': 'audio/mpeg',
  'audio/opus': 'audio/ogg',
  'audio/x-flac': 'audio/flac',
  'audio/m4a': 'audio/mp4',
  'audio/x-m4a': 'audio/mp4',
  'audio/aacp': 'audio/aac',
};

export const ACCEPTED_TYPES = Object.keys(TYPES);

function ascii(b: Buffer, from: number, to: number): string {
  return b.subarray(from, to).toString('latin1');
}

/** The canonical audio type of a Content-Type header, or a 415 naming the accepted types. */
export function audioType(header: string | undefined): string {
  const base = (header ?? '').split(';')[0]!.trim().toLowerCase();
  const type = ALIASES[base] ?? base;
  if (!TYPES[type]) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `${base ? `“${base.slice(0, 60)}” is not a recording type` : 'The request has no Content-Type'}; send the raw audio as one of ${ACCEPTED_TYPES.join(', ')}`,
      { accepted: ACCEPTED_TYPES },
    );
  }
  return type;
}

/** Refuses bytes that are not the declared audio type (or no bytes at all). */
export function checkAudio(type: string, data: Buffer): void {
  if (data.length === 0)
    throw badRequest('empty_recording', 'The request body is empty; send the audio bytes');
  const t = TYPES[type]!;
  if (!t.sniff(data)) {
    throw badRequest('invalid_audio', `The body is declared as ${type} but is not ${t.label}`);
  }
}

/** The file extension of a canonical audio type. */
export function audioExtension(type: string): string {
  return TYPES[type]?.ext ?? 'bin';
}
