// Every role the app's identity needs, each scoped to the one resource it is for.
// Names come from guid(scope, identity name, role): stable across redeploys and known before
// the identity exists (what-if can predict them).
param identityName string
param principalId string
param storageAccountName string
param appInsightsName string
param keyVaultName string
param signalRName string
@description('The media container (Storage:Provider=AzureBlob); empty: no media roles.')
param mediaContainerName string = ''

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageBlobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  signalRAppServer: '420fcaa2-552c-430f-98ca-3264be4806c7'
}

// Durable Functions uses blobs (leases), queues (work items) and tables (history).
var storageRoles = [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]

resource storage 'Microsoft.Storage/storageAccounts@2026-06-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: keyVaultName
}

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' existing = {
  name: signalRName
}

resource storageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRoles: {
    name: guid(storage.id, identityName, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource mediaContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-06-01' existing = if (!empty(mediaContainerName)) {
  name: '${storageAccountName}/default/${empty(mediaContainerName) ? 'unused' : mediaContainerName}'
}

// Media: read, write and delete blobs in the media container only.
resource mediaContributorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(mediaContainerName)) {
  name: guid(storage.id, mediaContainerName, identityName, roles.storageBlobDataContributor)
  scope: mediaContainer
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageBlobDataContributor
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Signing user delegation SAS links: the key is an account-level operation, so this role cannot be
// scoped to the container. A SAS still carries only what the identity may do in the container.
resource mediaDelegatorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(mediaContainerName)) {
  name: guid(storage.id, identityName, roles.storageBlobDelegator)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDelegator)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource appInsightsAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identityName, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.monitoringMetricsPublisher
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource keyVaultAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityName, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource signalRAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signalR.id, identityName, roles.signalRAppServer)
  scope: signalR
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.signalRAppServer)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Lets the app module wait for the assignments (Key Vault references resolve at startup).
output assignmentIds array = [
  storageAssignments[0].id
  storageAssignments[1].id
  storageAssignments[2].id
  appInsightsAssignment.id
  keyVaultAssignment.id
  signalRAssignment.id
]
