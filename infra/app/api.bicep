// The Functions app: Flex Consumption, .NET isolated worker, user-assigned identity for storage (no connection
// strings), Key Vault references for the Vipps secrets. Every setting the code reads (HostSettings.FunctionsApp) is
// set here; a test in tests/OrderPayments.Application.Tests checks it.
param name string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsConnectionString string
param keyVaultUri string
param taskHubName string
param vippsBaseUrl string
param vippsClientId string
param vippsMerchantSerialNumber string
param payexBaseUrl string
param payexPayeeId string
param payexDefaultCompleteUrl string

// Without a payee id PayEx is off: the token setting stays empty (a reference to a missing secret would not resolve).
var payexAccessTokenReference = empty(payexPayeeId) ? '' : '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/payex-access-token)'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
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
          value: 'https://${storageAccountName}.blob.${environment().suffixes.storage}/${deploymentContainerName}'
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
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: {
      // AzureWebJobsStorage, identity-based: the host and the queue triggers reach storage with the app's identity.
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      TASKHUB_NAME: taskHubName
      Vipps__BaseUrl: vippsBaseUrl
      Vipps__ClientId: vippsClientId
      Vipps__ClientSecret: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/vipps-client-secret)'
      Vipps__SubscriptionKey: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/vipps-subscription-key)'
      Vipps__MerchantSerialNumber: vippsMerchantSerialNumber
      Vipps__WebhookUrl: 'https://${name}.azurewebsites.net/api/webhooks/vipps'
      Vipps__WebhookSecret: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/vipps-webhook-secret)'
      Vipps__SystemName: 'OrderPayments'
      Vipps__SystemVersion: '0.1.0'
      Vipps__PluginName: 'OrderPayments.Functions'
      Vipps__PluginVersion: '0.1.0'
      // PayEx is used when its token secret holds a value (empty disables it).
      PayEx__BaseUrl: payexBaseUrl
      PayEx__AccessToken: payexAccessTokenReference
      PayEx__PayeeId: payexPayeeId
      PayEx__PayeeName: 'OrderPayments'
      PayEx__CallbackUrl: 'https://${name}.azurewebsites.net/api/callbacks/payex'
      PayEx__DefaultCompleteUrl: payexDefaultCompleteUrl
      PayEx__Language: 'nb-NO'
    }
  }
}

output name string = app.name
output webhookUrl string = 'https://${name}.azurewebsites.net/api/webhooks/vipps'
