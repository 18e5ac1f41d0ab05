// FfmpegFunctions on Azure: a Flex Consumption .NET 10 isolated function app with Durable
// Functions (identity-based host storage), SignalR Service (serverless), PostgreSQL Flexible
// Server (Entra authentication only), Azure Managed Redis and Key Vault for every secret.
// Deploy into an existing resource group.
targetScope = 'resourceGroup'

@description('Azure region for all resources.')
param location string = resourceGroup().location

@description('Short lowercase name part (letters/digits) used in every resource name.')
@minLength(2)
@maxLength(8)
param namePrefix string

param tags object = {
  app: 'ffmpegfunctions'
}

@description('Upper bound of Flex Consumption instances (each has 4 GB for ffmpeg).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed(['Free_F1', 'Standard_S1', 'Premium_P1'])
param signalRSkuName string = 'Standard_S1'
@minValue(1)
param signalRCapacity int = 1
@description('Hub the app broadcasts composition progress on.')
param signalRHubName string = 'compositions'

param postgresSkuName string = 'Standard_B1ms'
@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param postgresSkuTier string = 'Burstable'
@minValue(32)
param postgresStorageSizeGB int = 32
@description('publicAccess: public endpoint limited to Azure services. vnet: delegated subnet, no public endpoint.')
@allowed(['publicAccess', 'vnet'])
param postgresNetworkMode string = 'publicAccess'
@description('vnet mode: subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers.')
param postgresDelegatedSubnetId string = ''
@description('vnet mode: private DNS zone ending in .postgres.database.azure.com, linked to the VNet.')
param postgresPrivateDnsZoneId string = ''
@description('vnet mode: subnet delegated to Microsoft.App/environments for the function app, so it can reach PostgreSQL.')
param functionAppSubnetId string = ''
@description('Days of PostgreSQL point-in-time recovery (7-35).')
@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 30
@description('Copy PostgreSQL backups to the paired region, for geo-restore. Fixed at creation; turn off in a region without a pair.')
param postgresGeoRedundantBackup bool = true
@description('PostgreSQL standby: Disabled (cost), SameZone or ZoneRedundant (General Purpose or Memory Optimized tier only).')
@allowed(['Disabled', 'SameZone', 'ZoneRedundant'])
param postgresHighAvailability string = 'Disabled'

@description('Azure Managed Redis SKU: Balanced_B0 is the smallest; e.g. Balanced_B1, MemoryOptimized_M10 for more.')
param redisSkuName string = 'Balanced_B0'
@description('Azure Managed Redis replica on a second node, promoted on failure (doubles the Redis price).')
param redisHighAvailability bool = true
@description('Redis persistence: RDB (snapshot every 6 h) or AOF (every write, fsync every second).')
@allowed(['RDB', 'AOF'])
param redisPersistence string = 'RDB'

@description('Where media is kept: S3 (any S3-compatible store, keys in Key Vault) or AzureBlob (a container in this template\'s storage account, reached with the app identity; no S3 settings or secrets).')
@allowed(['S3', 'AzureBlob'])
param storageProvider string = 'S3'
@description('The media container made in the storage account when storageProvider is AzureBlob.')
@minLength(3)
@maxLength(63)
param blobContainerName string = 'outputs'

param s3Bucket string = ''
@description('S3-compatible endpoint, e.g. https://<account>.r2.cloudflarestorage.com; empty for AWS S3.')
param s3ServiceUrl string = ''
param s3Region string = 'us-east-1'
param s3ForcePathStyle bool = false
@secure()
param s3AccessKey string = ''
@secure()
param s3SecretKey string = ''

@description('Days a completed composition\'s output is kept: the app\'s Storage:OutputRetention and the blob lifecycle rule on outputs/.')
@minValue(1)
@maxValue(3650)
param outputRetentionDays int = 90
@description('Browser origins (the web console\'s) allowed to PUT/GET media through the storage account\'s SAS links; empty: no CORS rule.')
param blobCorsAllowedOrigins array = []

@description('Auth:InternalKeyHash: base64url SHA-256 (no padding) of the operator\'s internal key; see the README\'s first-key steps.')
@secure()
@minLength(43)
@maxLength(43)
param internalKeyHash string

var token = uniqueString(resourceGroup().id)
var isVnet = postgresNetworkMode == 'vnet'
var isAzureBlob = storageProvider == 'AzureBlob'

// Names are deploy-time constants (not module outputs) so what-if can predict the resources that
// other modules look up by name; those modules then need an explicit dependsOn.
var names = {
  identity: 'id-${namePrefix}-${token}'
  logAnalytics: 'log-${namePrefix}-${token}'
  appInsights: 'appi-${namePrefix}-${token}'
  storage: 'st${namePrefix}${token}'
  signalR: 'sigr-${namePrefix}-${token}'
  postgres: 'psql-${namePrefix}-${token}'
  redis: 'redis-${namePrefix}-${token}'
  keyVault: 'kv${namePrefix}${token}'
  plan: 'plan-${namePrefix}-${token}'
  functionApp: 'func-${namePrefix}-${token}'
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: 'app-package'
    mediaContainerName: isAzureBlob ? blobContainerName : ''
    outputRetentionDays: outputRetentionDays
    corsAllowedOrigins: blobCorsAllowedOrigins
  }
}

module signalR 'modules/signalr.bicep' = {
  name: 'signalr'
  params: {
    name: names.signalR
    location: location
    tags: tags
    skuName: signalRSkuName
    capacity: signalRCapacity
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    name: names.postgres
    location: location
    tags: tags
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    databaseName: 'ffmpegfunctions'
    networkMode: postgresNetworkMode
    delegatedSubnetId: postgresDelegatedSubnetId
    privateDnsZoneId: postgresPrivateDnsZoneId
    backupRetentionDays: postgresBackupRetentionDays
    geoRedundantBackup: postgresGeoRedundantBackup
    highAvailability: postgresHighAvailability
    administratorIdentityName: names.identity
    // An Entra administrator is named by the principal's object id, known only once the identity exists:
    // what-if cannot predict that one child, and there is no deploy-time name to give it instead.
    #disable-next-line what-if-short-circuiting
    administratorPrincipalId: identity.outputs.principalId
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  params: {
    name: names.redis
    location: location
    tags: tags
    skuName: redisSkuName
    highAvailability: redisHighAvailability
    persistence: redisPersistence
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    redisName: names.redis
    redisPort: redis.outputs.port
    signalRName: names.signalR
    withS3Secrets: !isAzureBlob
    s3AccessKey: s3AccessKey
    s3SecretKey: s3SecretKey
    internalKeyHash: internalKeyHash
  }
  dependsOn: [signalR]
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    identityName: names.identity
    principalId: identity.outputs.principalId
    storageAccountName: names.storage
    appInsightsName: names.appInsights
    keyVaultName: names.keyVault
    signalRName: names.signalR
    mediaContainerName: isAzureBlob ? blobContainerName : ''
  }
  dependsOn: [storage, monitoring, keyVault, signalR]
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    planName: names.plan
    appName: names.functionApp
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    signalRSecretUri: keyVault.outputs.signalRSecretUri
    signalRHubName: signalRHubName
    postgresFqdn: postgres.outputs.fqdn
    postgresDatabaseName: postgres.outputs.databaseName
    postgresUserName: postgres.outputs.administratorName
    redisSecretUri: keyVault.outputs.redisSecretUri
    s3AccessKeySecretUri: keyVault.outputs.s3AccessKeySecretUri
    s3SecretKeySecretUri: keyVault.outputs.s3SecretKeySecretUri
    internalKeyHashSecretUri: keyVault.outputs.internalKeyHashSecretUri
    outputRetentionDays: outputRetentionDays
    storageProvider: storageProvider
    blobServiceUri: storage.outputs.blobEndpoint
    blobContainerName: isAzureBlob ? blobContainerName : ''
    s3Bucket: s3Bucket
    s3ServiceUrl: s3ServiceUrl
    s3Region: s3Region
    s3ForcePathStyle: s3ForcePathStyle
    maximumInstanceCount: maximumInstanceCount
    virtualNetworkSubnetId: isVnet ? functionAppSubnetId : ''
  }
  // The app reads Key Vault references and host storage at startup: its roles must exist first.
  dependsOn: [roles]
}

output functionAppName string = functionApp.outputs.name
output functionAppHostName string = functionApp.outputs.defaultHostName
output functionAppUrl string = 'https://${functionApp.outputs.defaultHostName}'
output signalRName string = signalR.outputs.name
output keyVaultName string = keyVault.outputs.name
output postgresFqdn string = postgres.outputs.fqdn
output redisHostName string = redis.outputs.hostName
output identityClientId string = identity.outputs.clientId
