// Host storage for the Functions runtime and Durable Functions, the Flex deployment container and,
// with Storage:Provider=AzureBlob, the app's media container. Shared keys are off: everything goes
// through the managed identity. Blobs are versioned and soft deleted, and a lifecycle policy backs up
// the app's retention sweeper.
param name string
param location string
param tags object
param deploymentContainerName string
@description('The app\'s media container (Storage:Provider=AzureBlob); empty: none.')
param mediaContainerName string = ''
@description('Days after which outputs/ blobs are deleted: the same figure as the app\'s Storage:OutputRetention.')
@minValue(1)
param outputRetentionDays int
@description('Origins (e.g. https://console.example.com) whose browsers may PUT/GET media through SAS links; empty: no CORS rule.')
param corsAllowedOrigins array

// Deleted blobs, containers and overwritten versions are recoverable for this long.
var recoveryDays = 7

// What a browser upload sends to a SAS link: AzureBlobObjectStore.PutHeaders (Content-Type, x-ms-blob-type).
var corsRule = {
  allowedOrigins: corsAllowedOrigins
  allowedMethods: ['PUT', 'GET', 'HEAD', 'OPTIONS']
  allowedHeaders: ['content-type', 'x-ms-blob-type']
  exposedHeaders: ['content-length', 'content-type', 'etag', 'x-ms-request-id']
  maxAgeInSeconds: 3600
}

// Prefixes as the app writes them (StorageKeys): outputs/{id}/ and temp/{jobId}/. A lifecycle prefix
// starts with the container's name.
var mediaRules = [
  {
    name: 'outputs'
    enabled: true
    type: 'Lifecycle'
    definition: {
      filters: {
        blobTypes: ['blockBlob']
        prefixMatch: ['${mediaContainerName}/outputs/']
      }
      actions: {
        baseBlob: { delete: { daysAfterModificationGreaterThan: outputRetentionDays } }
      }
    }
  }
  {
    name: 'temp'
    enabled: true
    type: 'Lifecycle'
    definition: {
      filters: {
        blobTypes: ['blockBlob']
        prefixMatch: ['${mediaContainerName}/temp/']
      }
      actions: {
        baseBlob: { delete: { daysAfterModificationGreaterThan: 1 } }
      }
    }
  }
]

// Versioning keeps every overwritten or deleted blob: without this rule they would be billed forever.
var previousVersionsRule = {
  name: 'previous-versions'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: {
      blobTypes: ['blockBlob']
    }
    actions: {
      version: { delete: { daysAfterCreationGreaterThan: recoveryDays } }
    }
  }
}

resource account 'Microsoft.Storage/storageAccounts@2026-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-06-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: recoveryDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: recoveryDays
    }
    cors: {
      corsRules: empty(corsAllowedOrigins) ? [] : [corsRule]
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-06-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Private: downloads and uploads go through user delegation SAS links the app signs.
resource mediaContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-06-01' = if (!empty(mediaContainerName)) {
  parent: blobService
  name: empty(mediaContainerName) ? 'unused' : mediaContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2026-06-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: concat(empty(mediaContainerName) ? [] : mediaRules, [previousVersionsRule])
    }
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
