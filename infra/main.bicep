// OrderPayments on Azure: the Functions app (Flex Consumption, isolated worker, Durable Functions on Azure Storage),
// its storage account with the app's queues, Key Vault for the provider secrets, Application Insights + Log Analytics.
// One user-assigned managed identity; no shared keys. Deploy with `azd up` (azure.yaml at the repository root).
// Every resource is declared here and in app/ with a pinned API version (no registry modules), so the Bicep CLI
// compiles and type-checks the whole deployment offline; tests/OrderPayments.Infra.Tests does so on every build.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment; used to make resource names unique.')
param environmentName string

@minLength(1)
@description('Location of every resource (a region that offers Flex Consumption).')
param location string

@description('Object id of the deploying user, given data access for debugging. Empty for none.')
param principalId string = ''

@description('Vipps API base URL: https://apitest.vipps.no (test) or https://api.vipps.no (production).')
param vippsBaseUrl string = 'https://apitest.vipps.no'

@description('Vipps sales unit client id.')
param vippsClientId string

@description('Vipps merchant serial number.')
param vippsMerchantSerialNumber string

@secure()
@description('Vipps client secret (kept in Key Vault).')
param vippsClientSecret string

@secure()
@description('Vipps subscription key (kept in Key Vault).')
param vippsSubscriptionKey string

@secure()
@description('The secret Vipps returned when the webhook was registered (kept in Key Vault); empty until registered.')
param vippsWebhookSecret string = ''

@description('PayEx API host: https://api.externalintegration.payex.com (test) or https://api.payex.com.')
param payexBaseUrl string = 'https://api.externalintegration.payex.com'

@description('PayEx payee (merchant) id; empty when PayEx is not used.')
param payexPayeeId string = ''

@secure()
@description('PayEx merchant token (kept in Key Vault); empty disables PayEx.')
param payexAccessToken string = ''

@description('Where payers return after a PayEx push payment (orders without a return URL).')
param payexDefaultCompleteUrl string = ''

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}orderpayments-${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'
// Names known before deployment (not taken from module outputs), so What-If predicts the role assignments precisely.
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}orderpayments-${resourceToken}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var keyVaultName = '${abbrs.keyVaultVaults}${take(resourceToken, 17)}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'

// The queue the Functions app's bindings use (functions.metadata): the fulfillment system's shipments. (Webhooks and
// callbacks are recorded in their HTTP request, as the self-hosted API does.) Its poison queue is created by the
// Functions host on first use.
var queueNames = ['order-fulfillments']

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    queueNames: queueNames
  }
}

module vault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
    vippsClientSecret: vippsClientSecret
    vippsSubscriptionKey: vippsSubscriptionKey
    vippsWebhookSecret: vippsWebhookSecret
    payexAccessToken: payexAccessToken
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  dependsOn: [identity, storage, vault, monitoring]
  params: {
    storageAccountName: storageAccountName
    keyVaultName: keyVaultName
    applicationInsightsName: applicationInsightsName
    identityName: identityName
    userPrincipalId: principalId
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  dependsOn: [rbac, storage, vault]
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}orderpayments-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    keyVaultName: keyVaultName
    vippsWebhookSecretSet: !empty(vippsWebhookSecret)
    payexAccessTokenSet: !empty(payexAccessToken)
    vippsBaseUrl: vippsBaseUrl
    vippsClientId: vippsClientId
    vippsMerchantSerialNumber: vippsMerchantSerialNumber
    payexBaseUrl: payexBaseUrl
    payexPayeeId: payexPayeeId
    payexDefaultCompleteUrl: payexDefaultCompleteUrl
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output VIPPS_WEBHOOK_URL string = api.outputs.webhookUrl
