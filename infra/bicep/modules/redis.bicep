// Azure Managed Redis (Microsoft.Cache/redisEnterprise): the successor of Azure Cache for Redis, whose
// SKUs are retiring. One cluster, its one database 'default', TLS only on port 10000. The access key
// is read by keyvault.bicep (listKeys) and never leaves Key Vault, so this module outputs no secret.
param name string
param location string
param tags object
@description('Azure Managed Redis SKU, e.g. Balanced_B0 (smallest), Balanced_B1, MemoryOptimized_M10.')
param skuName string
@description('A replica of every shard on another node, promoted on failure (doubles the price).')
param highAvailability bool
@description('RDB: a snapshot every 6 h. AOF: every write appended, fsync once a second.')
@allowed(['RDB', 'AOF'])
param persistence string

resource cluster 'Microsoft.Cache/redisEnterprise@2025-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  properties: {
    minimumTlsVersion: '1.2'
    highAvailability: highAvailability ? 'Enabled' : 'Disabled'
    publicNetworkAccess: 'Enabled'
  }
}

// EnterpriseCluster: clients see one endpoint that behaves as a single non-clustered Redis (the proxy
// routes keys to shards), so the app's pub/sub channels and its one-key rate-limit script run unchanged.
resource database 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' = {
  parent: cluster
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: 10000
    clusteringPolicy: 'EnterpriseCluster'
    // Rate-limit buckets expire by themselves; evicting one early would reset a caller's budget.
    evictionPolicy: 'NoEviction'
    // The app connects with the key from Key Vault (see docs/decisions.md); newer API versions default to Disabled.
    accessKeysAuthentication: 'Enabled'
    persistence: persistence == 'AOF'
      ? {
          aofEnabled: true
          aofFrequency: '1s'
          rdbEnabled: false
        }
      : {
          aofEnabled: false
          rdbEnabled: true
          rdbFrequency: '6h'
        }
  }
}

output name string = cluster.name
output hostName string = cluster.properties.hostName
output port int = database.properties.port
