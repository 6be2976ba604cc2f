// Key Vault holding the Vipps secrets; the Functions app reads them through Key Vault references.
param name string
param location string
param tags object
@secure()
param vippsClientSecret string
@secure()
param vippsSubscriptionKey string
@secure()
param vippsWebhookSecret string
@secure()
param payexAccessToken string

module vault 'br/public:avm/res/key-vault/vault:0.11.0' = {
  name: 'vault'
  params: {
    name: name
    location: location
    tags: tags
    enableRbacAuthorization: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 30
    secrets: concat([
      { name: 'vipps-client-secret', value: vippsClientSecret }
      { name: 'vipps-subscription-key', value: vippsSubscriptionKey }
    ], empty(vippsWebhookSecret) ? [] : [
      { name: 'vipps-webhook-secret', value: vippsWebhookSecret }
    ], empty(payexAccessToken) ? [] : [
      { name: 'payex-access-token', value: payexAccessToken }
    ])
  }
}

output name string = vault.outputs.name
output uri string = vault.outputs.uri
