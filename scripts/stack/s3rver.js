// Starts the S3 emulator with our bucket. @20minutes/s3rver 5.0.0 ships no CLI.
// allowMismatchedSignatures: it mis-verifies signatures of bucket-level PUT and list requests.
const S3rver = require('@20minutes/s3rver');

const [address, port, directory, bucket] = process.argv.slice(2);

// The web console PUTs uploads straight to presigned URLs and plays outputs from another origin
// (the Server's port), so the local bucket allows any origin, as a developer bucket may.
const cors = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;
const server = new S3rver({
  address,
  port: Number(port),
  directory,
  silent: true,
  allowMismatchedSignatures: true,
  configureBuckets: [{ name: bucket, configs: [cors] }],
});

// The AWS SDKs send x-amz-copy-source with the key's slashes encoded (%2F), as S3 accepts; s3rver
// decodes it with decodeURI, which leaves %2F alone, so every CopyObject of a nested key 404s.
server.middleware.unshift(async (ctx, next) => {
  const source = ctx.headers['x-amz-copy-source'];
  if (source) ctx.headers['x-amz-copy-source'] = source.replace(/%2F/gi, '/');
  await next();
});

server.run().then(
  () => console.log(`s3rver listening on ${address}:${port}, bucket ${bucket}`),
  (err) => { console.error(err); process.exit(1); });
