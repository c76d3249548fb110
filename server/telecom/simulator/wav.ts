/**
 * Synthesised call audio for the demo and tests: a few seconds of 8 kHz, 16-bit mono PCM in a RIFF/WAVE file
 * (ring-back tone, then a couple of "voice" tones with a little line noise), deterministic per seed.
 */
import { createRng } from './prng.ts';

const RATE = 8000;

/** A canonical 44-byte WAVE header for 16-bit mono PCM followed by the samples. */
export function wavFile(samples: Int16Array, sampleRate = RATE): Buffer {
  const data = samples.length * 2;
  const out = Buffer.alloc(44 + data);
  out.write('RIFF', 0, 'latin1');
  out.writeUInt32LE(36 + data, 4);
  out.write('WAVE', 8, 'latin1');
  out.write('fmt ', 12, 'latin1');
  out.writeUInt32LE(16, 16); // fmt chunk size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28); // byte rate
  out.writeUInt16LE(2, 32); // block align
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'latin1');
  out.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i]!, 44 + i * 2);
  return out;
}

/** A short synthetic call recording of `seconds` (2–3 s by default, from the seed). */
export function syntheticCallWav(seed: string, seconds?: number): Buffer {
  const rng = createRng(`wav:${seed}`);
  const length = seconds ?? 2 + rng();
  const n = Math.round(length * RATE);
  const samples = new Int16Array(n);
  const ring = Math.min(0.8, length / 3); // ring-back: 440 + 480 Hz
  const voice = [300 + rng() * 500, 300 + rng() * 500, 300 + rng() * 500];
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    let v: number;
    if (t < ring) {
      v = 0.25 * (Math.sin(2 * Math.PI * 440 * t) + Math.sin(2 * Math.PI * 480 * t));
    } else {
      const k = Math.min(voice.length - 1, Math.floor(((t - ring) / (length - ring)) * voice.length));
      const syllable = Math.abs(Math.sin(Math.PI * 3 * (t - ring))); // loudness rises and falls
      v =
        0.45 * syllable * Math.sin(2 * Math.PI * voice[k]! * t) +
        0.1 * Math.sin(2 * Math.PI * 2 * voice[k]! * t);
    }
    v += (rng() - 0.5) * 0.04; // line noise
    samples[i] = Math.round(Math.max(-1, Math.min(1, v)) * 32_000);
  }
  return wavFile(samples);
}
