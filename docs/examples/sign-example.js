// An example DOUYIN_SIGN_SCRIPT: it shows the contract, it does NOT compute Douyin's signature.
// A real script wraps your own copy of Douyin's browser SDK the same way: define a global
// function sign(stub, userAgent, url) that answers synchronously.
//
// - Push handshake: `stub` is the X-MS-STUB (32 hex chars), `url` the unsigned push URL; return
//   the `signature` (a string, or { signature }).
// - Signed HTTP calls (enter, rank list, products, im/fetch): `stub` is '', `url` the full request
//   URL; return { signature: '', a_bogus } (or '' when you have no a_bogus for it).
// The test test/e2e/signer-script.test.ts runs this file against a simulator that checks both.

var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// 32-bit FNV-1a: a stand-in for the real computation, cheap and deterministic.
function fnv1a(text, seed) {
  var hash = 0x811c9dc5 ^ seed;
  for (var i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

// 16 characters, as Douyin's push signatures are.
function token(text) {
  var out = '';
  for (var round = 0; out.length < 16; round += 1) {
    var hash = fnv1a(text, round);
    for (var k = 0; k < 4 && out.length < 16; k += 1) out += ALPHABET[(hash >>> (k * 6)) & 63];
  }
  return out;
}

function sign(stub, userAgent, url) {
  if (stub !== '') return { signature: token(stub + '|' + userAgent) };
  return { signature: '', a_bogus: token(url + '|' + userAgent) };
}
