// Azure SignalR Service in Serverless mode, as the Functions SignalR bindings require.
// Access keys are off: the app authenticates with its managed identity (SignalR App Server).
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
    disableLocalAuth: true
    tls: { clientCertEnabled: false }
  }
}

output name string = signalR.name
output serviceUri string = 'https://${signalR.properties.hostName}'
