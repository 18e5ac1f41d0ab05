// The one identity the function app uses for everything: storage, Key Vault references,
// App Insights ingestion and SignalR. User-assigned so role assignments can exist before the app.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
