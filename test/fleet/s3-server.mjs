// A loopback S3-compatible server for the tests (@20minutes/s3rver, the maintained fork of
// s3rver, which checks SigV4 signatures against its account S3RVER / S3RVER). Run by
// test/fleet/s3-server.ts as `node --openssl-legacy-provider s3-server.mjs DIR BUCKET...`:
// its ListObjectsV2 continuation tokens use DES, which Node's OpenSSL 3 offers only with the
// legacy provider, so it runs in its own process rather than inside the test's.
// Its SigV4 check rebuilds a bucket request's canonical URI without the trailing slash the
// AWS SDK signs (`/BUCKET/?list-type=2`), and so refuses every ListObjectsV2: on bucket
// requests only the access key is checked (an unknown one is refused); on object requests
// (PUT, GET, DELETE) the signature is checked too.
// Prints `{"port":N}` once listening on 127.0.0.1; stops when its stdin closes (the test
// ended, or died) or on SIGTERM.
import process from 'node:process';
import S3rver from '@20minutes/s3rver';

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  vhostBuckets: false,
  configureBuckets: buckets.map((name) => ({ name })),
});
server.middleware.unshift((ctx, next) => {
  ctx.app.allowMismatchedSignatures = /^\/[^/]+\/?$/.test(ctx.path);
  return next();
});
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.stdin.on('end', stop).on('close', stop).resume();
process.on('SIGTERM', stop);
