// FfmpegFunctions on Azure: a Flex Consumption .NET 10 isolated function app with Durable
// Functions (identity-based host storage), SignalR Service (serverless), PostgreSQL Flexible
// Server, Azure Cache for Redis and Key Vault for every secret. Deploy into an existing resource group.
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

param postgresAdministratorLogin string
@secure()
param postgresAdministratorPassword string
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

@allowed(['Basic', 'Standard', 'Premium'])
param redisSkuName string = 'Basic'
@allowed(['C', 'P'])
param redisSkuFamily string = 'C'
@minValue(0)
@maxValue(6)
param redisSkuCapacity int = 0

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
    administratorLogin: postgresAdministratorLogin
    administratorPassword: postgresAdministratorPassword
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    databaseName: 'ffmpegfunctions'
    networkMode: postgresNetworkMode
    delegatedSubnetId: postgresDelegatedSubnetId
    privateDnsZoneId: postgresPrivateDnsZoneId
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  params: {
    name: names.redis
    location: location
    tags: tags
    skuName: redisSkuName
    skuFamily: redisSkuFamily
    skuCapacity: redisSkuCapacity
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    postgresFqdn: postgres.outputs.fqdn
    postgresDatabaseName: postgres.outputs.databaseName
    postgresAdministratorLogin: postgresAdministratorLogin
    postgresAdministratorPassword: postgresAdministratorPassword
    redisName: names.redis
    signalRName: names.signalR
    withS3Secrets: !isAzureBlob
    s3AccessKey: s3AccessKey
    s3SecretKey: s3SecretKey
  }
  dependsOn: [redis, signalR]
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
    postgresSecretUri: keyVault.outputs.postgresSecretUri
    redisSecretUri: keyVault.outputs.redisSecretUri
    s3AccessKeySecretUri: keyVault.outputs.s3AccessKeySecretUri
    s3SecretKeySecretUri: keyVault.outputs.s3SecretKeySecretUri
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
