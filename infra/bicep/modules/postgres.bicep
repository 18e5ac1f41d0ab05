// PostgreSQL Flexible Server and the app database, Microsoft Entra authentication only: the app's
// user-assigned identity is an Entra administrator and signs in with a token (Postgres:UseManagedIdentity),
// so no password exists anywhere. Network mode is a choice:
// 'publicAccess' opens the server to Azure services only (firewall 0.0.0.0);
// 'vnet' injects it into a delegated subnet with a private DNS zone and no public endpoint.
param name string
param location string
param tags object
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
@description('Days of point-in-time recovery (7-35).')
@minValue(7)
@maxValue(35)
param backupRetentionDays int
@description('Backups copied to the paired region (geo-restore). Fixed at creation; some regions have no pair.')
param geoRedundantBackup bool
@description('Disabled, SameZone or ZoneRedundant: a standby server (not on the Burstable tier; doubles compute).')
@allowed(['Disabled', 'SameZone', 'ZoneRedundant'])
param highAvailability string
@description('The app identity that becomes an Entra administrator: its name is the PostgreSQL role and user name.')
param administratorIdentityName string
@description('Object (principal) id of that identity.')
param administratorPrincipalId string

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
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: subscription().tenantId
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: geoRedundantBackup ? 'Enabled' : 'Disabled'
    }
    highAvailability: { mode: highAvailability }
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
  // A flexible server runs one operation at a time: children go one after another.
  dependsOn: [database]
}

// The name of an Entra administrator is the principal's object id; principalName becomes the role.
resource appAdministrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2025-08-01' = {
  parent: server
  name: administratorPrincipalId
  properties: {
    principalName: administratorIdentityName
    principalType: 'ServicePrincipal'
    tenantId: subscription().tenantId
  }
  dependsOn: [database, allowAzure]
}

output name string = server.name
output fqdn string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
output administratorName string = appAdministrator.properties.principalName
