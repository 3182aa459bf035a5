// A Transfusion client written against nothing but transfusion.proto: @grpc/grpc-js loads the .proto at
// run time, calls Generate (streaming) and Caption, with an image and with audio (ModalityData), and prints
// one line per result for the JUnit test to read.
//
// usage: node client.js HOST:PORT PNG_FILE [TOKEN]
'use strict';

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [target, pngFile, token] = process.argv.slice(2);
if (!target || !pngFile) {
  console.error('usage: node client.js HOST:PORT PNG_FILE [TOKEN]');
  process.exit(2);
}

const protoFile = path.join(__dirname, '..', '..', '..', '..', 'proto', 'src', 'main', 'proto', 'transfusion', 'v1', 'transfusion.proto');
const definition = protoLoader.loadSync(protoFile, {
  keepCase: true,      // field names as in the .proto: max_new_tokens, mime_type
  longs: String,       // uint64 seeds as strings: no precision lost
  enums: String,
  defaults: false,
  oneofs: true,        // the oneof's name tells which kind of event arrived
});
const v1 = grpc.loadPackageDefinition(definition).transfusion.v1;
const client = new v1.Transfusion(target, grpc.credentials.createInsecure());

function metadata() {
  const m = new grpc.Metadata();
  if (token) {
    m.set('authorization', 'Bearer ' + token);
  }
  return m;
}

function deadline() {
  return { deadline: Date.now() + 30000 };
}

function generate() {
  return new Promise((resolve, reject) => {
    const call = client.Generate({
      prompt: [{ text: 'draw a circle' }],
      mode: 'MODE_IMAGE',
      sampling: { seed: '255', max_new_tokens: 16 },
      diffusion: { steps: 3, sampler: 'ddim' },
    }, metadata(), deadline());
    const text = [];
    call.on('data', (event) => {
      switch (event.event) {
        case 'text': text.push(event.text.text); break;
        case 'progress': console.log(`PROGRESS ${event.progress.step}/${event.progress.total_steps}`); break;
        case 'image': console.log(`IMAGE ${event.image.mime_type} ${pngSize(event.image.data)}`); break;
        case 'finished':
          console.log(`TEXT ${text.join('')}`);
          console.log(`FINISHED ${event.finished.finish_reason} images=${event.finished.images} seed=${event.finished.seed}`);
          break;
        default: console.log(`UNKNOWN ${JSON.stringify(event)}`);
      }
    });
    call.on('error', reject);
    call.on('end', resolve);
  });
}

// width x height from the PNG's IHDR chunk, to show the bytes are a real PNG
function pngSize(data) {
  const signature = data.subarray(0, 8).toString('hex');
  if (signature !== '89504e470d0a1a0a') {
    return 'not-a-png';
  }
  return `${data.readUInt32BE(16)}x${data.readUInt32BE(20)}`;
}

function caption() {
  return new Promise((resolve, reject) => {
    client.Caption({ image: { data: fs.readFileSync(pngFile), mime_type: 'image/png' } }, metadata(), deadline(),
      (err, response) => {
        if (err) {
          reject(err);
          return;
        }
        console.log(`CAPTION ${response.text}`);
        resolve();
      });
  });
}

function badRequest() {
  return new Promise((resolve) => {
    client.Caption({ image: { data: Buffer.from('not an image'), mime_type: 'image/png' } }, metadata(), deadline(),
      (err) => {
        console.log(err ? `ERROR ${grpc.status[err.code]} ${err.details}` : 'ERROR none');
        resolve();
      });
  });
}

// a part of another modality (ModalityData): the model's audio comes back as WAV bytes; raw values go in
function audio() {
  return new Promise((resolve, reject) => {
    const call = client.Generate({ prompt: [{ text: 'sing a tone' }], diffusion: { steps: 1 } }, metadata(),
      deadline());
    call.on('data', (event) => {
      if (event.event === 'part') {
        console.log(`PART ${event.part.modality} ${event.part.mime_type} ${event.part.data.subarray(0, 4).toString()}`);
      } else if (event.event === 'progress') {
        console.log(`PROGRESS ${event.progress.modality}`);
      }
    });
    call.on('error', reject);
    call.on('end', () => {
      client.Caption({ part: { modality: 'audio', shape: [2], values: [0.5, -0.5] } }, metadata(), deadline(),
        (err, response) => {
          if (err) {
            reject(err);
            return;
          }
          console.log(`CAPTION ${response.text}`);
          resolve();
        });
    });
  });
}

generate()
  .then(caption)
  .then(badRequest)
  .then(audio)
  .then(() => {
    console.log('DONE');
    client.close();
  })
  .catch((err) => {
    console.error(`FAILED ${err.code} ${err.details || err.message}`);
    client.close();
    process.exit(1);
  });
