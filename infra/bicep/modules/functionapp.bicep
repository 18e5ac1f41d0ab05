// Flex Consumption (FC1) plan and the .NET 10 isolated function app. On Flex the runtime and
// scale come from functionAppConfig, so FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION
// are deliberately not app settings.
param planName string
param appName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param appInsightsConnectionString string
param signalRSecretUri string
param signalRHubName string
param postgresFqdn string
param postgresDatabaseName string
@description('The PostgreSQL user: the name of the identity that is the server\'s Entra administrator.')
param postgresUserName string
param redisSecretUri string
param s3AccessKeySecretUri string
param s3SecretKeySecretUri string
param internalKeyHashSecretUri string
@description('Storage:OutputRetention in days: the same figure as the storage lifecycle rule for outputs/.')
param outputRetentionDays int
@allowed(['S3', 'AzureBlob'])
param storageProvider string
param blobServiceUri string
param blobContainerName string
param s3Bucket string
param s3ServiceUrl string
param s3Region string
param s3ForcePathStyle bool
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int
@description('Subnet delegated to Microsoft.App/environments for VNet integration; empty for none.')
param virtualNetworkSubnetId string

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity, not a system one.
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        // ffmpeg renders need the largest Flex instance size.
        instanceMemoryMB: 4096
        maximumInstanceCount: maximumInstanceCount
      }
    }
  }
}

var isAzureBlob = storageProvider == 'AzureBlob'

resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // Host + Durable Functions storage through the identity (the account has no shared keys).
    AzureWebJobsStorage__accountName: storageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId

    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
    // App Insights has local auth disabled: ingestion is authorized with the identity.
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

    // Key-based: the bindings and the app's REST progress sender both read it (see signalr.bicep).
    AzureSignalRConnectionString: '@Microsoft.KeyVault(SecretUri=${signalRSecretUri})'
    AzureSignalRHubName: signalRHubName

    // No password: with Postgres:UseManagedIdentity the app signs in as the identity (AZURE_CLIENT_ID) with an
    // Entra token; the user name is the identity's name, which is what the server's Entra administrator is called.
    ConnectionStrings__Postgres: 'Host=${postgresFqdn};Port=5432;Database=${postgresDatabaseName};Username=${postgresUserName};Ssl Mode=Require'
    Postgres__UseManagedIdentity: 'true'
    ConnectionStrings__Redis: '@Microsoft.KeyVault(SecretUri=${redisSecretUri})'

    // One setting picks the store; the other store's settings are empty, and with AzureBlob no S3 key
    // is referenced (the app reaches the container with the identity and signs user delegation SAS).
    Storage__Provider: storageProvider
    Storage__AzureBlob__ServiceUri: isAzureBlob ? blobServiceUri : ''
    Storage__AzureBlob__Container: isAzureBlob ? blobContainerName : ''
    // DefaultAzureCredential picks the user-assigned identity by this id.
    AZURE_CLIENT_ID: identityClientId
    S3__Bucket: isAzureBlob ? '' : s3Bucket
    S3__ServiceUrl: isAzureBlob ? '' : s3ServiceUrl
    S3__Region: s3Region
    S3__AccessKey: isAzureBlob ? '' : '@Microsoft.KeyVault(SecretUri=${s3AccessKeySecretUri})'
    S3__SecretKey: isAzureBlob ? '' : '@Microsoft.KeyVault(SecretUri=${s3SecretKeySecretUri})'
    S3__ForcePathStyle: string(s3ForcePathStyle)

    // The operator's internal key for /api/admin/api-keys (the first admin key of a tenant).
    Auth__InternalKeyHash: '@Microsoft.KeyVault(SecretUri=${internalKeyHashSecretUri})'
    // One parameter feeds this and the lifecycle rule on outputs/ (storage.bicep): the sweeper expires the
    // composition, the rule is the backstop.
    Storage__OutputRetention: '${outputRetentionDays}.00:00:00'

    // Bundled in the zip. wwwroot is read-only on Flex and zip deploy drops the exec bit:
    // the app copies these to a temp dir and chmods them before use.
    Ffmpeg__FfmpegPath: '/home/site/wwwroot/tools/ffmpeg'
    Ffmpeg__FfprobePath: '/home/site/wwwroot/tools/ffprobe'
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
