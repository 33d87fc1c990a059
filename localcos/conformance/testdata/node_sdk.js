// Drives Tencent's cos-nodejs-sdk-v5 through its ordinary calls against a lightbox serve.
// The Go test (node_test.go) starts the server, passes its address in the environment and
// reads one "PASS name" or "FAIL name: why" line per operation.
'use strict';
const fs = require('fs');
const path = require('path');
const http = require('http');
const crypto = require('crypto');
const COS = require('cos-nodejs-sdk-v5');

const env = process.env;
const Bucket = env.LB_BUCKET;
const Region = env.LB_REGION;
const work = env.LB_WORKDIR;
const cos = new COS({
  SecretId: env.LB_SECRET_ID,
  SecretKey: env.LB_SECRET_KEY,
  Domain: env.LB_HOST, // 127.0.0.1:PORT: the SDK then addresses the bucket by this host
  Protocol: 'http:',
});

const call = (method, params) =>
  new Promise((resolve, reject) =>
    cos[method](Object.assign({ Bucket, Region }, params), (err, data) => (err ? reject(err) : resolve(data))));

function must(cond, why) {
  if (!cond) throw new Error(why);
}

function md5(buf) {
  return crypto.createHash('md5').update(buf).digest('hex');
}

function fetch(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

const ops = [];
const op = (name, fn) => ops.push([name, fn]);

op('putObject', async () => {
  const r = await call('putObject', { Key: 'node/a.txt', Body: 'hello node', ContentType: 'text/plain',
    CacheControl: 'no-cache', ContentDisposition: 'attachment; filename=a.txt', 'x-cos-meta-who': 'node' });
  must(r.statusCode === 200 && r.ETag, 'no ETag');
});

op('getObject', async () => {
  const r = await call('getObject', { Key: 'node/a.txt' });
  must(r.Body.toString() === 'hello node', 'body ' + r.Body);
});

op('headObject (metadata and standard headers kept)', async () => {
  const r = await call('headObject', { Key: 'node/a.txt' });
  const h = r.headers;
  must(h['x-cos-meta-who'] === 'node', 'meta ' + h['x-cos-meta-who']);
  must(h['cache-control'] === 'no-cache', 'cache-control ' + h['cache-control']);
  must(h['content-disposition'] === 'attachment; filename=a.txt', 'content-disposition ' + h['content-disposition']);
  must(h['content-type'] === 'text/plain', 'content-type ' + h['content-type']);
});

op('getBucket with paging', async () => {
  for (let i = 0; i < 5; i++) await call('putObject', { Key: `node/page/${i}.txt`, Body: String(i) });
  const keys = [];
  let Marker = '';
  for (let pages = 0; pages < 10; pages++) {
    const r = await call('getBucket', { Prefix: 'node/page/', MaxKeys: 2, Marker });
    r.Contents.forEach((c) => keys.push(c.Key));
    if (r.IsTruncated !== 'true') break;
    Marker = r.NextMarker;
  }
  must(keys.join(',') === [0, 1, 2, 3, 4].map((i) => `node/page/${i}.txt`).join(','), 'keys ' + keys);
  const d = await call('getBucket', { Prefix: 'node/', Delimiter: '/' });
  must(d.CommonPrefixes.some((p) => p.Prefix === 'node/page/'), 'prefixes ' + JSON.stringify(d.CommonPrefixes));
});

op('putObjectCopy', async () => {
  // The SDK insists on the COS host form of the source; the server takes its own bucket's.
  await call('putObjectCopy', { Key: 'node/copy.txt', CopySource: `${Bucket}.cos.${Region}.myqcloud.com/node/a.txt` });
  const r = await call('getObject', { Key: 'node/copy.txt' });
  must(r.Body.toString() === 'hello node', 'copy body ' + r.Body);
});

op('putObjectTagging / getObjectTagging / deleteObjectTagging', async () => {
  await call('putObjectTagging', { Key: 'node/a.txt', Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] });
  const r = await call('getObjectTagging', { Key: 'node/a.txt' });
  must(r.Tags.length === 2 && r.Tags[0].Key === 'k1', 'tags ' + JSON.stringify(r.Tags));
  await call('deleteObjectTagging', { Key: 'node/a.txt' });
  const e = await call('getObjectTagging', { Key: 'node/a.txt' });
  must(e.Tags.length === 0, 'tags after delete ' + JSON.stringify(e.Tags));
});

op('getObjectUrl fetched over plain HTTP', async () => {
  const url = await new Promise((resolve, reject) =>
    cos.getObjectUrl({ Bucket, Region, Key: 'node/a.txt', Sign: true, Expires: 600 }, (err, d) => (err ? reject(err) : resolve(d.Url))));
  must(url.startsWith('http://'), 'url ' + url);
  const r = await fetch(url);
  must(r.status === 200 && r.body.toString() === 'hello node', `status ${r.status} ${r.body}`);
});

const big = path.join(work, 'big31.bin');
let bigSum = '';

op('uploadFile over 30 MB (multipart)', async () => {
  const buf = crypto.randomBytes(31 << 20);
  fs.writeFileSync(big, buf);
  bigSum = md5(buf);
  await call('uploadFile', { Key: 'node/upload.bin', FilePath: big });
  const h = await call('headObject', { Key: 'node/upload.bin' });
  must(/-\d+"$/.test(h.headers.etag), 'not uploaded in parts: ETag ' + h.headers.etag);
  const r = await call('getObject', { Key: 'node/upload.bin' });
  must(md5(r.Body) === bigSum, 'content differs');
});

op('sliceUploadFile over 30 MB', async () => {
  await call('sliceUploadFile', { Key: 'node/slice.bin', FilePath: big, ChunkSize: 4 << 20 });
  const r = await call('headObject', { Key: 'node/slice.bin' });
  must(r.headers['content-length'] === String(31 << 20), 'size ' + r.headers['content-length']);
  must(/-\d+"$/.test(r.headers.etag), 'multipart ETag ' + r.headers.etag);
  const g = await call('getObject', { Key: 'node/slice.bin' });
  must(md5(g.Body) === bigSum, 'content differs');
});

op('AssessQuality through cos.request', async () => {
  await call('putObject', { Key: 'node/img.jpg', Body: fs.readFileSync(path.join(work, 'img.jpg')) });
  const r = await call('request', { Method: 'GET', Key: 'node/img.jpg', Query: { 'ci-process': 'AssessQuality' } });
  const body = r.Response || (r.Body && r.Body.Response) || r;
  const text = JSON.stringify(body);
  must(/ClarityScore/.test(text), 'no ClarityScore in ' + text.slice(0, 200));
});

op('deleteObject', async () => {
  await call('deleteObject', { Key: 'node/copy.txt' });
  try {
    await call('headObject', { Key: 'node/copy.txt' });
  } catch (e) {
    must(e.statusCode === 404, 'status ' + e.statusCode);
    return;
  }
  throw new Error('still there');
});

op('deleteMultipleObject', async () => {
  const keys = [0, 1, 2, 3, 4].map((i) => ({ Key: `node/page/${i}.txt` }));
  const r = await call('deleteMultipleObject', { Objects: keys });
  must(r.Deleted.length === 5 && r.Error.length === 0, JSON.stringify(r));
  const l = await call('getBucket', { Prefix: 'node/page/' });
  must(l.Contents.length === 0, 'left ' + l.Contents.length);
});

(async () => {
  let failed = 0;
  for (const [name, fn] of ops) {
    try {
      await fn();
      console.log('PASS ' + name);
    } catch (e) {
      failed++;
      const why = e && (e.message || e.code || JSON.stringify(e));
      console.log('FAIL ' + name + ': ' + String(why).replace(/\s+/g, ' ').slice(0, 400));
    }
  }
  process.exit(failed ? 1 : 0);
})();
