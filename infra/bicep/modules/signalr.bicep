// Azure SignalR Service in Serverless mode, as the Functions SignalR bindings require.
// Access keys stay on: the app pushes progress from inside long activities through the service's
// REST API with a JWT signed by the access key (an output binding only exists at function return).
// The key reaches the app only as a Key Vault secret.
param name string
param location string
param tags object
@allowed(['Free_F1', 'Standard_S1', 'Premium_P1'])
param skuName string
param capacity int

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: skuName
    capacity: capacity
  }
  properties: {
    features: [
      { flag: 'ServiceMode', value: 'Serverless' }
      { flag: 'EnableConnectivityLogs', value: 'True' }
    ]
    disableLocalAuth: false
    tls: { clientCertEnabled: false }
  }
}

output name string = signalR.name
