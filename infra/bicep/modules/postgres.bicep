// PostgreSQL Flexible Server and the app database. Network mode is a choice:
// 'publicAccess' opens the server to Azure services only (firewall 0.0.0.0);
// 'vnet' injects it into a delegated subnet with a private DNS zone and no public endpoint.
param name string
param location string
param tags object
param administratorLogin string
@secure()
param administratorPassword string
param skuName string
@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param skuTier string
param storageSizeGB int
param databaseName string
@allowed(['publicAccess', 'vnet'])
param networkMode string
@description('Subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers; used when networkMode is vnet.')
param delegatedSubnetId string
@description('Private DNS zone (*.postgres.database.azure.com) linked to the VNet; used when networkMode is vnet.')
param privateDnsZoneId string

var isVnet = networkMode == 'vnet'

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: '16'
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: { mode: 'Disabled' }
    // Only the subnet/DNS ids differ between modes; nulls are dropped from the request.
    network: isVnet
      ? {
          delegatedSubnetResourceId: delegatedSubnetId
          privateDnsZoneArmResourceId: privateDnsZoneId
          publicNetworkAccess: 'Disabled'
        }
      : {
          publicNetworkAccess: 'Enabled'
        }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2025-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0-0.0.0.0 is Azure's special range meaning "any Azure service", not the whole internet.
resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2025-08-01' = if (!isVnet) {
  parent: server
  name: 'AllowAllAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

output name string = server.name
output fqdn string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
