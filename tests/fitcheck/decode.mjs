// Usage: node decode.mjs FILE.fit  -> the decoded messages as JSON on stdout; exit 1 (message on
// stderr) when the file is not FIT, a CRC does not match or the decoder reports any error.
// Garmin's official @garmin/fitsdk decoder (shared/spec/test-tools.md §5.2): an opinion on our FIT
// files that shares no code with src/fit/.
import { readFileSync } from 'node:fs';
import { Decoder, Stream } from '@garmin/fitsdk';

const buf = readFileSync(process.argv[2]);
const decoder = new Decoder(Stream.fromBuffer(buf));
if (!decoder.isFIT() || !decoder.checkIntegrity()) {
  console.error('not a FIT file or CRC mismatch');
  process.exit(1);
}
const { messages, errors } = decoder.read({ includeUnknownData: true });
if (errors.length) {
  console.error(errors);
  process.exit(1);
}
const replacer = (_k, v) => (typeof v === 'bigint' ? v.toString() : v);
console.log(JSON.stringify(messages, replacer, 2));
