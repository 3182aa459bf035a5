// The official openai npm client against the Transfusion server's OpenAI-compatible HTTP port: it generates
// images, streams a chat completion about an image, lists models and gets proper errors for bad requests,
// printing one line per result for the JUnit test (OpenAiNodeClientTest) to read.
//
// usage: node client.js BASE_URL PNG_FILE TOKEN
'use strict';

const fs = require('fs');
const { OpenAI } = require('openai');

const [baseURL, pngFile, apiKey] = process.argv.slice(2);
if (!baseURL || !pngFile || !apiKey) {
  console.error('usage: node client.js BASE_URL PNG_FILE TOKEN');
  process.exit(2);
}
// no retries: a refused call must show as the error it is, not as a later success
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30000 });

async function images() {
  const r = await client.images.generate({
    model: 'fake', prompt: 'draw a circle', n: 2, size: '4x4', response_format: 'b64_json', seed: 255,
  });
  for (const d of r.data) {
    console.log('IMAGE ' + d.b64_json);
  }
}

async function chatAboutImage() {
  const url = 'data:image/png;base64,' + fs.readFileSync(pngFile).toString('base64');
  const stream = await client.chat.completions.create({
    model: 'fake',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{
      role: 'user',
      content: [{ type: 'image_url', image_url: { url } }, { type: 'text', text: 'what is it?' }],
    }],
  });
  let chunks = 0;
  let text = '';
  let finish = null;
  let usage = null;
  for await (const c of stream) {
    const choice = c.choices[0];
    if (choice && choice.delta && choice.delta.content) {
      chunks++;
      text += choice.delta.content;
    }
    if (choice && choice.finish_reason) {
      finish = choice.finish_reason;
    }
    if (c.usage) {
      usage = c.usage;
    }
  }
  console.log(`CHAT chunks=${chunks} finish=${finish} completion_tokens=${usage && usage.completion_tokens} ${text}`);
  const caption = await client.chat.completions.create({
    model: 'fake', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }],
  });
  console.log(`CAPTION ${caption.choices[0].finish_reason} ${caption.choices[0].message.content}`);
}

async function models() {
  for await (const m of client.models.list()) {
    console.log(`MODEL ${m.id} ${m.object}`);
  }
}

async function errors() {
  try {
    await client.images.generate({ model: 'fake', prompt: 'draw', size: '512x512' });
    console.log('NO ERROR for a bad size');
  } catch (e) {
    console.log(`ERROR ${e.constructor.name} ${e.status} ${e.type} ${e.param} ${e.error && e.error.message}`);
  }
  try {
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    console.log('NO ERROR for an unknown model');
  } catch (e) {
    console.log(`ERROR ${e.constructor.name} ${e.status} ${e.code} ${e.param}`);
  }
  const stranger = new OpenAI({ baseURL, apiKey: 'not-the-token', maxRetries: 0, timeout: 30000 });
  try {
    await stranger.models.list();
    console.log('NO ERROR for a wrong token');
  } catch (e) {
    console.log(`ERROR ${e.constructor.name} ${e.status} ${e.error && e.error.message}`);
  }
}

(async () => {
  await images();
  await chatAboutImage();
  await models();
  await errors();
  console.log('DONE');
})().catch((e) => {
  console.error('FAILED', e);
  process.exit(1);
});
