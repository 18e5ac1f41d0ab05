// Starts the S3 emulator with our bucket. @20minutes/s3rver 5.0.0 ships no CLI.
// allowMismatchedSignatures: it mis-verifies signatures of bucket-level PUT and list requests.
const S3rver = require('@20minutes/s3rver');

const [address, port, directory, bucket] = process.argv.slice(2);
new S3rver({
  address,
  port: Number(port),
  directory,
  silent: true,
  allowMismatchedSignatures: true,
  configureBuckets: [{ name: bucket, configs: [] }],
}).run().then(
  () => console.log(`s3rver listening on ${address}:${port}, bucket ${bucket}`),
  (err) => { console.error(err); process.exit(1); });
