// Host storage for the Functions runtime and Durable Functions, plus the Flex deployment
// container. Shared keys are off: everything goes through the managed identity.
param name string
param location string
param tags object
param deploymentContainerName string
@description('The app\'s media container (Storage:Provider=AzureBlob); empty: none.')
param mediaContainerName string = ''

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

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
