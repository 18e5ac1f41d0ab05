// Non-secret settings only. Secrets come from the deployer's environment at deploy time, so this
// file never holds one: export INTERNAL_KEY_HASH, S3_ACCESS_KEY and S3_SECRET_KEY first.
using 'main.bicep'

param namePrefix = 'ffmpegfn'
param postgresNetworkMode = 'publicAccess'
param s3Bucket = 'ffmpegfunctions'
param s3ServiceUrl = ''
param s3Region = 'us-east-1'
param s3ForcePathStyle = false

param internalKeyHash = readEnvironmentVariable('INTERNAL_KEY_HASH')
param s3AccessKey = readEnvironmentVariable('S3_ACCESS_KEY')
param s3SecretKey = readEnvironmentVariable('S3_SECRET_KEY')
