// Test-only driver of panva's dpop client (https://github.com/panva/dpop), for PanvaDpopInteropTest.
// One JSON request per line on stdin, one JSON answer per line on stdout:
//   {"op":"key","name":"k1","alg":"ES256"|"Ed25519"|"RS256"|"PS256"} -> {"jkt": "<RFC 7638 thumbprint by panva>"}
//   {"op":"proof","key":"k1","htm":"GET","htu":"http://...","token":"...","nonce":"...","ageSeconds":600}
//       -> {"proof": "<compact JWS made by generateProof>"}
// ageSeconds makes the client's clock run that far behind, to make it write an old iat.
// Anything that fails answers {"error": "..."}.
import * as dpop from 'dpop';
import { createInterface } from 'node:readline';

const keys = new Map();
const realNow = Date.now;

async function handle(request) {
  switch (request.op) {
    case 'key': {
      const keypair = await dpop.generateKeyPair(request.alg, { extractable: false });
      keys.set(request.name, keypair);
      return { jkt: await dpop.calculateThumbprint(keypair.publicKey) };
    }
    case 'proof': {
      const keypair = keys.get(request.key);
      if (!keypair) {
        throw new Error(`no key named ${request.key}`);
      }
      const age = request.ageSeconds ?? 0;
      Date.now = () => realNow() - age * 1000;
      try {
        return { proof: await dpop.generateProof(keypair, request.htu, request.htm, request.nonce ?? undefined,
          request.token ?? undefined) };
      } finally {
        Date.now = realNow;
      }
    }
    case 'version': {
      return { node: process.version };
    }
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === '') {
    continue;
  }
  let answer;
  try {
    answer = await handle(JSON.parse(line));
  } catch (e) {
    answer = { error: String(e && e.message ? e.message : e) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}
