// Key Vault (RBAC, soft delete) holding every secret the app reads. The app settings point at
// these secrets with Key Vault references, so no secret value is ever an app setting or an output.
param name string
param location string
param tags object
param redisName string
@description('Port of the Azure Managed Redis database (TLS).')
param redisPort int
param signalRName string
@description('false with Storage:Provider=AzureBlob: no S3 keys are stored.')
param withS3Secrets bool = true
@secure()
param s3AccessKey string
@secure()
param s3SecretKey string
@description('Auth:InternalKeyHash: base64url SHA-256 of the operator\'s internal key.')
@secure()
param internalKeyHash string

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

resource redis 'Microsoft.Cache/redisEnterprise@2025-07-01' existing = {
  name: redisName
}

resource redisDatabase 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' existing = {
  parent: redis
  name: 'default'
}

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' existing = {
  name: signalRName
}

resource redisSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = {
  parent: vault
  name: 'Redis-ConnectionString'
  properties: {
    value: '${redis.properties.hostName}:${redisPort},password=${redisDatabase.listKeys().primaryKey},ssl=True,abortConnect=False'
  }
}

resource signalRSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = {
  parent: vault
  name: 'SignalR-ConnectionString'
  properties: {
    value: signalR.listKeys().primaryConnectionString
  }
}

resource s3AccessKeySecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (withS3Secrets) {
  parent: vault
  name: 'S3-AccessKey'
  properties: {
    value: s3AccessKey
  }
}

resource s3SecretKeySecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (withS3Secrets) {
  parent: vault
  name: 'S3-SecretKey'
  properties: {
    value: s3SecretKey
  }
}

// A hash, not the key itself, but kept with the secrets so the key's owner is the only one who can rotate it.
resource internalKeyHashSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = {
  parent: vault
  name: 'Auth-InternalKeyHash'
  properties: {
    value: internalKeyHash
  }
}

output name string = vault.name
// Versionless URIs: the app picks up a rotated secret without a redeploy.
output redisSecretUri string = redisSecret.properties.secretUri
output signalRSecretUri string = signalRSecret.properties.secretUri
output internalKeyHashSecretUri string = internalKeyHashSecret.properties.secretUri
output s3AccessKeySecretUri string = withS3Secrets ? s3AccessKeySecret!.properties.secretUri : ''
output s3SecretKeySecretUri string = withS3Secrets ? s3SecretKeySecret!.properties.secretUri : ''
