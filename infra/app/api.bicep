// The Functions app: Flex Consumption, .NET isolated worker, the user-assigned identity for storage (no connection
// strings), Key Vault references for the provider secrets. The app settings are exactly the settings the app reads
// (local.settings.sample.json, the bindings' connections in functions.metadata, host.json's references);
// tests/OrderPayments.Infra.Tests checks that on the compiled template.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsConnectionString string
@description('The Key Vault holding the provider secrets (Key Vault references name it and the secret).')
param keyVaultName string
@description('Whether Key Vault holds vipps-webhook-secret (created once the webhook is registered).')
param vippsWebhookSecretSet bool
@description('Whether Key Vault holds payex-access-token (PayEx is used only then).')
param payexAccessTokenSet bool
param vippsBaseUrl string
param vippsClientId string
param vippsMerchantSerialNumber string
param payexBaseUrl string
param payexPayeeId string
param payexDefaultCompleteUrl string

// The task hub's name (host.json: "hubName": "%TASKHUB_NAME%"): letters and digits, 3 to 45, starting with a letter.
var taskHubName = 'OrderPayments'

// A reference to a secret that does not exist would not resolve (the app would read the reference text itself), so
// an optional secret's setting stays empty until the secret is there.
var vippsWebhookSecretReference = vippsWebhookSecretSet ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=vipps-webhook-secret)' : ''
var payexAccessTokenReference = payexAccessTokenSet ? '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=payex-access-token)' : ''

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
      }
      // FUNCTIONS_WORKER_RUNTIME: on Flex Consumption the worker runtime is set here, not as an app setting.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: {
      // AzureWebJobsStorage, identity-based: the host, the queue bindings, the task hub and the app's tables reach
      // storage with the app's identity.
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      TASKHUB_NAME: taskHubName
      // How long a finished order keeps its orchestration history, inbox and deliveries before they are purged (its
      // row in the orders table stays, so it still answers); 00:00:00 keeps everything.
      Durable__FinishedOrderRetention: '30.00:00:00'
      Vipps__BaseUrl: vippsBaseUrl
      Vipps__ClientId: vippsClientId
      Vipps__ClientSecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=vipps-client-secret)'
      Vipps__SubscriptionKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=vipps-subscription-key)'
      Vipps__MerchantSerialNumber: vippsMerchantSerialNumber
      Vipps__WebhookUrl: 'https://${app.properties.defaultHostName}/api/webhooks/vipps'
      Vipps__WebhookSecret: vippsWebhookSecretReference
      Vipps__SystemName: 'OrderPayments'
      Vipps__SystemVersion: '0.1.0'
      Vipps__PluginName: 'OrderPayments.Functions'
      Vipps__PluginVersion: '0.1.0'
      // PayEx is used when its token holds a value (empty disables it).
      PayEx__BaseUrl: payexBaseUrl
      PayEx__AccessToken: payexAccessTokenReference
      PayEx__PayeeId: payexPayeeId
      PayEx__PayeeName: 'OrderPayments'
      PayEx__CallbackUrl: 'https://${app.properties.defaultHostName}/api/callbacks/payex'
      PayEx__DefaultCompleteUrl: payexDefaultCompleteUrl
      PayEx__Language: 'nb-NO'
    }
  }
}

output name string = app.name
output webhookUrl string = 'https://${app.properties.defaultHostName}/api/webhooks/vipps'
