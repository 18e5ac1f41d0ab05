// Azure Cache for Redis, TLS only. Its access key is read by keyvault.bicep (listKeys) and
// never leaves Key Vault, so this module outputs no secret.
param name string
param location string
param tags object
@allowed(['Basic', 'Standard', 'Premium'])
param skuName string
@allowed(['C', 'P'])
param skuFamily string
param skuCapacity int

resource cache 'Microsoft.Cache/redis@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: skuName
      family: skuFamily
      capacity: skuCapacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    redisVersion: '6'
  }
}

output name string = cache.name
output hostName string = cache.properties.hostName
output sslPort int = cache.properties.sslPort
