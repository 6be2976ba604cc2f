// Key Vault holding the provider secrets; the Functions app reads them through Key Vault references (api.bicep) with
// the Key Vault Secrets User role (rbac.bicep). RBAC authorization only, no access policies.
param name string
param location string
param tags object
@secure()
param vippsClientSecret string
@secure()
param vippsSubscriptionKey string
@secure()
@description('Empty until the webhook is registered: no secret is created then.')
param vippsWebhookSecret string
@secure()
@description('Empty when PayEx is not used: no secret is created then.')
param payexAccessToken string

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    publicNetworkAccess: 'Enabled'
  }
}

resource vippsClientSecretValue 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'vipps-client-secret'
  properties: {
    value: vippsClientSecret
  }
}

resource vippsSubscriptionKeyValue 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'vipps-subscription-key'
  properties: {
    value: vippsSubscriptionKey
  }
}

resource vippsWebhookSecretValue 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(vippsWebhookSecret)) {
  parent: vault
  name: 'vipps-webhook-secret'
  properties: {
    value: vippsWebhookSecret
  }
}

resource payexAccessTokenValue 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(payexAccessToken)) {
  parent: vault
  name: 'payex-access-token'
  properties: {
    value: payexAccessToken
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
