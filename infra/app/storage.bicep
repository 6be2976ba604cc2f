// Storage for the Functions host (AzureWebJobsStorage: Durable Functions' task hub uses blobs, queues and tables),
// the deployment package container and the two queues of the app. Shared keys are disabled: identity only.
param name string
param location string
param tags object
param deploymentContainerName string

module account 'br/public:avm/res/storage/storage-account:0.8.3' = {
  name: 'storage-account'
  params: {
    name: name
    location: location
    tags: tags
    kind: 'StorageV2'
    skuName: 'Standard_LRS'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    blobServices: {
      containers: [{ name: deploymentContainerName }]
    }
    queueServices: {
      queues: [
        { name: 'payment-notifications' }
        { name: 'order-fulfillments' }
      ]
    }
  }
}

output name string = account.outputs.name
